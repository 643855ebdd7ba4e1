package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.rds.ParameterGroupEnsurer;
import io.cdcenabler.rds.ParameterGroupPlanner;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/** EnsureParameterGroup: rds.logical_replication=1 in the (cluster) parameter group in effect, attached. */
public final class EnsureParameterGroupHandler implements RequestStreamHandler {
    private final ParameterGroupEnsurer ensurer;

    public EnsureParameterGroupHandler() {
        this(new ParameterGroupEnsurer(AwsClients.rds(), new ParameterGroupPlanner()));
        SnapStartPriming.register();
    }

    EnsureParameterGroupHandler(ParameterGroupEnsurer ensurer) {
        this.ensurer = Objects.requireNonNull(ensurer, "ensurer");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ExecutionLogContext.handleState(input, output, ensurer::ensure);
    }
}
