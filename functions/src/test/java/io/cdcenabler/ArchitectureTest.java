package io.cdcenabler;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layout is the architecture: dependencies point inward (handler -> steps, rds; steps -> secrets, postgres;
 * everything -> workflow), the core knows nothing of AWS, and names say what a class is. The command line lives in
 * the cli module, which depends on this one (so nothing here can reach it): its rules are in cli's
 * ToolsArchitectureTest. Only production classes are checked; every rule fails when its "that" part selects no class
 * (ArchUnit's failOnEmptyShould), so a moved package cannot make a rule pass vacuously.
 */
class ArchitectureTest {
    private static final String ROOT = "io.cdcenabler";
    private static final String POSTGRES = ROOT + ".postgres..";
    private static final String WORKFLOW = ROOT + ".workflow..";
    private static final String RDS = ROOT + ".rds..";
    private static final String SECRETS = ROOT + ".secrets..";
    private static final String HANDLER = ROOT + ".handler..";
    private static final String CLI = ROOT + ".cli..";
    private static final String STEPS = ROOT + ".steps..";
    private static final String ALARMS = ROOT + ".alarms..";
    private static final String REGISTRY = ROOT + ".registry..";
    private static final String RECONCILE = ROOT + ".reconcile..";
    /** The contract module: constants functions and infra share, depending on nothing. */
    private static final String CONTRACT = ROOT + ".contract..";
    /** The handler package's classes that are not Task states. */
    private static final String HANDLER_HELPERS =
            "AwsClients|Json|LocalInvoke|SnapStartPriming|ExecutionLogContext|RdsTlsConnections";

    private static JavaClasses production;

    @BeforeAll
    static void importProductionClasses() {
        production = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void postgresAndWorkflow_dependOnNoAwsSdkOrLambdaClass() {
        noClasses().that().resideInAnyPackage(POSTGRES, WORKFLOW)
                .should().dependOnClassesThat().resideInAnyPackage("software.amazon..", "com.amazonaws..")
                .because("the engine and the state machine's contract must run and be tested without AWS")
                .check(production);
    }

    @Test
    void workflow_dependsOnNoOtherPackageOfOurs() {
        noClasses().that().resideInAPackage(WORKFLOW)
                .should().dependOnClassesThat(resideInAPackage(ROOT + "..").and(resideOutsideOfPackage(WORKFLOW))
                        .and(resideOutsideOfPackage(CONTRACT)))
                .because("workflow holds the records that cross the state machine: everything depends on it")
                .check(production);
    }

    @Test
    void alarms_dependsNotOnTheDatabaseSideOrTheHandlers() {
        noClasses().that().resideInAPackage(ALARMS)
                .should().dependOnClassesThat().resideInAnyPackage(POSTGRES, RDS, SECRETS, STEPS, HANDLER)
                .because("the guardrail alarms know CloudWatch and the target's name and topology only: they are "
                        + "planned and kept without a database connection or another AWS client")
                .check(production);
    }

    @Test
    void registry_dependsOnlyOnWorkflowAndTheSdk() {
        noClasses().that().resideInAPackage(REGISTRY)
                .should().dependOnClassesThat().resideInAnyPackage(POSTGRES, RDS, SECRETS, STEPS, HANDLER, CLI)
                .because("the registry is a store of enrolments: it knows DynamoDB and the workflow's records, "
                        + "not how a database is enrolled or which function calls it")
                .check(production);
    }

    @Test
    void reconcile_dependsNotOnTheDatabaseSideOrTheHandlers() {
        noClasses().that().resideInAPackage(RECONCILE)
                .should().dependOnClassesThat().resideInAnyPackage(POSTGRES, SECRETS, STEPS, HANDLER, CLI, ALARMS)
                .because("choosing which enrolments a lifecycle event concerns reads the event, the registry and "
                        + "RDS's describe calls only: it connects to no database and reads no secret")
                .check(production);
    }

    @Test
    void postgresRdsAndSecrets_dependNotOnAlarms() {
        noClasses().that().resideInAnyPackage(POSTGRES, RDS, SECRETS)
                .should().dependOnClassesThat().resideInAPackage(ALARMS)
                .because("alarms are a layer beside the engine and the RDS and Secrets Manager adapters, called by its own step")
                .check(production);
    }

    @Test
    void rds_dependsNotOnSecretsHandlerOrCli() {
        noClasses().that().resideInAPackage(RDS)
                .should().dependOnClassesThat().resideInAnyPackage(SECRETS, STEPS, HANDLER, CLI)
                .check(production);
    }

    @Test
    void secrets_dependsNotOnRdsStepsHandlerOrCli() {
        noClasses().that().resideInAPackage(SECRETS)
                .should().dependOnClassesThat().resideInAnyPackage(RDS, STEPS, HANDLER, CLI)
                .check(production);
    }

    @Test
    void postgres_dependsNotOnRdsSecretsHandlerCliOrWorkflow() {
        noClasses().that().resideInAPackage(POSTGRES)
                .should().dependOnClassesThat().resideInAnyPackage(RDS, SECRETS, STEPS, HANDLER, CLI, WORKFLOW)
                .because("the provisioning engine knows JDBC only; the handlers translate its errors. Its spec's "
                        + "defaults come from the contract module's Defaults, constants with no dependency at all")
                .check(production);
    }

    @Test
    void steps_dependNotOnRdsHandlerOrCli() {
        noClasses().that().resideInAPackage(STEPS)
                .should().dependOnClassesThat().resideInAnyPackage(RDS, HANDLER, CLI)
                .because("the database steps (Provision, Verify) run the engine with stored secrets for both the "
                        + "Lambda handlers and the command line, so they know neither")
                .check(production);
    }

    @Test
    void handlerPackage_holdsTaskStateHandlersAndKnownHelpersOnly() {
        classes().that().resideInAPackage(ROOT + ".handler").and().areTopLevelClasses()
                .should().haveNameMatching("io\\.cdcenabler\\.handler\\.(\\w+Handler|" + HANDLER_HELPERS + ")")
                .because("each Task state is one thin class named <State>Handler; other classes there are known")
                .check(production);
    }

    @Test
    void handlers_areLambdaStreamHandlers() {
        classes().that().resideInAPackage(ROOT + ".handler").and().areTopLevelClasses()
                .and().haveSimpleNameEndingWith("Handler")
                .should().implement(RequestStreamHandler.class)
                .andShould().bePublic()
                .check(production);
    }

    @Test
    void exceptions_endInException() {
        classes().that().areAssignableTo(Throwable.class)
                .should().haveSimpleNameEndingWith("Exception")
                .check(production);
    }
}
