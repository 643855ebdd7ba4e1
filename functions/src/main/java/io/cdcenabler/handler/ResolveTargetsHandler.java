package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.reconcile.AffectedEnrolments;
import io.cdcenabler.reconcile.RdsBlueGreenSources;
import io.cdcenabler.reconcile.RdsInstanceClusters;
import io.cdcenabler.reconcile.RdsTaggedTargets;
import io.cdcenabler.reconcile.ResolveTargets;
import io.cdcenabler.rds.EventDefaults;
import io.cdcenabler.registry.EnrolmentRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import software.amazon.awssdk.services.rds.RdsClient;

/** ResolveTargets (reconcile): the schedule's or a lifecycle event's input to the enrolments to verify. */
public final class ResolveTargetsHandler implements RequestStreamHandler {
    private final ResolveTargets step;

    public ResolveTargetsHandler() {
        this(AwsClients.rds(), RecordEnrolmentHandler.registry(),
                EventDefaults.fromEnvironment(System.getenv()));
        SnapStartPriming.register();
    }

    ResolveTargetsHandler(RdsClient rds, EnrolmentRegistry registry, EventDefaults defaults) {
        this(new ResolveTargets(new AffectedEnrolments(registry,
                new RdsInstanceClusters(rds), new RdsBlueGreenSources(rds)),
                new RdsTaggedTargets(rds, defaults.optInTagKey(), defaults.optInTagValue())));
    }

    ResolveTargetsHandler(ResolveTargets step) {
        this.step = Objects.requireNonNull(step, "step");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        JsonNode event = Json.read(input);
        Json.write(output, ExecutionLogContext.within(event, () -> step.resolve(event)));
    }
}
