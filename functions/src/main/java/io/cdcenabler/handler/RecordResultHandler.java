package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.steps.RecordResultStep;
import io.cdcenabler.workflow.ReconcileItem;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Objects;

/** RecordResult (reconcile): one target's result in the registry, and its line of the summary. */
public final class RecordResultHandler implements RequestStreamHandler {
    private final RecordResultStep step;

    public RecordResultHandler() {
        this(new RecordResultStep(RecordEnrolmentHandler.registry(), Clock.systemUTC()));
        SnapStartPriming.register();
    }

    RecordResultHandler(RecordResultStep step) {
        this.step = Objects.requireNonNull(step, "step");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ExecutionLogContext.handle(input, output, ReconcileItem.class, step::record);
    }
}
