package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.rds.Rebooter;
import io.cdcenabler.workflow.WorkflowState;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Objects;

/** Reboot: the writer, once, when its parameters are pending-reboot, as the request's reboot policy allows. */
public final class RebootHandler implements RequestStreamHandler {
    private final Rebooter rebooter;

    public RebootHandler() {
        this(new Rebooter(AwsClients.rds(), Clock.systemUTC()));
        SnapStartPriming.register();
    }

    RebootHandler(Rebooter rebooter) {
        this.rebooter = Objects.requireNonNull(rebooter, "rebooter");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        JsonNode state = Json.read(input);
        Json.write(output, ExecutionLogContext.within(state,
                () -> rebooter.reboot(Json.convert(state, WorkflowState.class))));
    }
}
