package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.contract.EnvironmentVariables;
import io.cdcenabler.registry.DynamoDbEnrolmentRegistry;
import io.cdcenabler.steps.RecordEnrolmentStep;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Objects;

/** RecordEnrolment: records the enrolled database, its request and its last result in the enrolment registry. */
public final class RecordEnrolmentHandler implements RequestStreamHandler {
    private final RecordEnrolmentStep step;

    public RecordEnrolmentHandler() {
        this(new RecordEnrolmentStep(registryOrNull(), Clock.systemUTC()));
        SnapStartPriming.register();
    }

    RecordEnrolmentHandler(RecordEnrolmentStep step) {
        this.step = Objects.requireNonNull(step, "step");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ExecutionLogContext.handleState(input, output, step::record);
    }

    /** The stack's registry table, or null when the environment lacks it (the step then names the variable). */
    static DynamoDbEnrolmentRegistry registryOrNull() {
        String table = System.getenv(EnvironmentVariables.REGISTRY_TABLE);
        return table == null || table.isBlank() ? null : new DynamoDbEnrolmentRegistry(AwsClients.dynamoDb(), table);
    }
}
