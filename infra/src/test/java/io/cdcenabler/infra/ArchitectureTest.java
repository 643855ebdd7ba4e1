package io.cdcenabler.infra;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.core.domain.JavaCall.Predicates.target;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.core.domain.properties.HasOwner.Predicates.With.owner;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

class ArchitectureTest {
    private static final ArchRule NO_ENVIRONMENT = noClasses().that().resideInAPackage("io.cdcenabler.infra..")
            .should().callMethodWhere(target(owner(describe("java.lang.System", t -> t.isEquivalentTo(System.class))))
                    .and(target(nameMatching("getenv|getProperty|getProperties"))))
            .because("configuration comes from CDK context only, parsed once by CdcEnablerConfig");

    @Test
    void noInfraClass_readsTheEnvironmentOrSystemProperties() {
        NO_ENVIRONMENT.check(new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.cdcenabler.infra"));
    }

    @Test
    void theRule_catchesAClassThatReadsTheEnvironment() {
        assertThat(NO_ENVIRONMENT.evaluate(new ClassFileImporter().importClasses(ReadsEnvironment.class))
                .hasViolation()).isTrue();
    }

    static final class ReadsEnvironment {
        String region() {
            return System.getenv("AWS_REGION");
        }
    }
}
