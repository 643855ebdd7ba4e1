package io.cdcenabler.infra;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import io.github.cdklabs.cdknag.NagPackProps;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: reads the configuration from CDK context, adds the {@value #STACK_ID} stack and checks it with the
 * cdk-nag AwsSolutions rules. cdk.json runs {@link #main}; tests call {@link #create} on their own {@link App}.
 */
public final class CdcEnablerApp {
    public static final String STACK_ID = "CdcEnabler";

    private CdcEnablerApp() {
    }

    public static void main(String[] args) {
        App app = new App();
        try {
            create(app);
        } catch (InvalidContextException e) {
            System.err.println("cdc-enabler: " + e.getMessage());
            System.exit(1);
        }
        app.synth();
    }

    /** Adds the stack, configured from {@code app}'s context, with the cdk-nag checks as an aspect. */
    public static CdcEnablerStack create(App app) {
        CdcEnablerConfig config = CdcEnablerConfig.fromContext(app.getNode()::tryGetContext);
        CdcEnablerStack stack = new CdcEnablerStack(app, STACK_ID, StackProps.builder()
                .description("cdc-enabler: makes RDS and Aurora PostgreSQL ready for change data capture")
                .env(config.region() == null ? null : Environment.builder().region(config.region()).build())
                .build(), config, StateMachineDefinitions.read());
        Aspects.of(app).add(new AwsSolutionsChecks(NagPackProps.builder().verbose(true).build()));
        return stack;
    }
}
