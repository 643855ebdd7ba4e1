package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.rds.EventDefaults;
import io.cdcenabler.rds.RdsEvent;
import io.cdcenabler.rds.TargetResolver;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.TargetDescription;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/** DescribeTarget: the execution input (manual JSON or an EventBridge RDS event) to a {@link TargetDescription}. */
public final class DescribeTargetHandler implements RequestStreamHandler {
    private final TargetResolver resolver;

    public DescribeTargetHandler() {
        this(new TargetResolver(AwsClients.rds(), EventDefaults.fromEnvironment(System.getenv())));
        SnapStartPriming.register();
    }

    DescribeTargetHandler(TargetResolver resolver) {
        this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        Json.write(output, describe(Json.read(input)));
    }

    private TargetDescription describe(JsonNode input) {
        RdsEvent event = RdsEvent.from(input);
        return event != null ? resolver.describe(event) : resolver.describe(Json.convert(input, ProvisioningRequest.class));
    }
}
