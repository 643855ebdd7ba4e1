package io.cdcenabler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The command line and the benchmarks sit on top: they use the engine (steps, postgres, workflow) and the testkit,
 * never a Lambda handler, and the benchmarks know nothing of the command line that runs them. Only this module's
 * production classes are imported; every rule fails when its "that" part selects no class (ArchUnit's
 * failOnEmptyShould), so a moved package cannot make a rule pass vacuously.
 */
class ToolsArchitectureTest {
    private static final String CLI = "io.cdcenabler.cli..";
    private static final String BENCH = "io.cdcenabler.bench..";
    private static final String HANDLER = "io.cdcenabler.handler..";

    private static JavaClasses tools;

    @BeforeAll
    static void importTheToolClasses() {
        tools = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.cdcenabler.cli", "io.cdcenabler.bench");
    }

    @Test
    void cli_dependsNotOnHandler() {
        noClasses().that().resideInAPackage(CLI)
                .should().dependOnClassesThat().resideInAPackage(HANDLER)
                .because("what the command line shares with the Lambda handlers lives in steps")
                .check(tools);
    }

    @Test
    void bench_dependsNotOnHandlerOrCli() {
        noClasses().that().resideInAPackage(BENCH)
                .should().dependOnClassesThat().resideInAnyPackage(HANDLER, CLI)
                .because("a benchmark starts the handlers in a fresh JVM by name and is run by the command line")
                .check(tools);
    }
}
