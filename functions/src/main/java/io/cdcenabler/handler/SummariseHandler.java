package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.workflow.ReconcileSummary;
import java.io.InputStream;
import java.io.OutputStream;

/** Summarise (reconcile): the targets' lines and the totals per result. Calls no AWS API. */
public final class SummariseHandler implements RequestStreamHandler {

    public SummariseHandler() {
        SnapStartPriming.register();
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ExecutionLogContext.handle(input, output, ReconcileSummary.Input.class, ReconcileSummary::of);
    }
}
