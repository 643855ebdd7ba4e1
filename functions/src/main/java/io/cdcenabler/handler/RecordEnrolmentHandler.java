package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.contract.EnvironmentVariables;
import io.cdcenabler.registry.DynamoDbEnrolmentRegistry;
import io.cdcenabler.registry.EnrolmentRegistry;
import io.cdcenabler.registry.UnconfiguredRegistry;
import io.cdcenabler.steps.RecordEnrolmentStep;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Objects;

/** RecordEnrolment: records the enrolled database, its request and its last result in the enrolment registry. */
public final class RecordEnrolmentHandler implements RequestStreamHandler {
    private final RecordEnrolmentStep step;

    public RecordEnrolmentHandler() {
        this(new RecordEnrolmentStep(registry(), Clock.systemUTC()));
        SnapStartPriming.register();
    }

    RecordEnrolmentHandler(RecordEnrolmentStep step) {
        this.step = Objects.requireNonNull(step, "step");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ExecutionLogContext.handleState(input, output, step::record);
    }

    /**
     * The stack's registry table; when the environment lacks it, a registry whose first call fails naming the
     * variable (before any AWS call), the one way every registry step says so.
     */
    static EnrolmentRegistry registry() {
        String table = System.getenv(EnvironmentVariables.REGISTRY_TABLE);
        return table == null || table.isBlank() ? new UnconfiguredRegistry(EnvironmentVariables.REGISTRY_TABLE)
                : new DynamoDbEnrolmentRegistry(AwsClients.dynamoDb(), table);
    }
}
