package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.rds.Rebooter;
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
        ExecutionLogContext.handleState(input, output, rebooter::reboot);
    }
}
