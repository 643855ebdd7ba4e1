package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.rds.StatusChecker;
import io.cdcenabler.workflow.WorkflowState;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/** CheckStatus: READY, WAIT, or a terminal status as a named error. */
public final class CheckStatusHandler implements RequestStreamHandler {
    private final StatusChecker checker;

    public CheckStatusHandler() {
        this(new StatusChecker(AwsClients.rds()));
        SnapStartPriming.register();
    }

    CheckStatusHandler(StatusChecker checker) {
        this.checker = Objects.requireNonNull(checker, "checker");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        JsonNode state = Json.read(input);
        Json.write(output, ExecutionLogContext.within(state,
                () -> checker.check(Json.convert(state, WorkflowState.class))));
    }
}
