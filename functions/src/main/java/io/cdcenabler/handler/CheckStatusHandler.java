package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.rds.StatusChecker;
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
        ExecutionLogContext.handleState(input, output, checker::check);
    }
}
