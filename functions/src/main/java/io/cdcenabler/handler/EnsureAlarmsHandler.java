package io.cdcenabler.handler;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import io.cdcenabler.alarms.CloudWatchAlarmStore;
import io.cdcenabler.contract.EnvironmentVariables;
import io.cdcenabler.steps.EnsureAlarmsStep;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;

/** EnsureAlarms: the target's guardrail alarms, created or brought up to date, notifying the stack's topic. */
public final class EnsureAlarmsHandler implements RequestStreamHandler {
    private final EnsureAlarmsStep step;

    public EnsureAlarmsHandler() {
        this(new EnsureAlarmsStep(new CloudWatchAlarmStore(AwsClients.cloudWatch()),
                System.getenv(EnvironmentVariables.ALARM_TOPIC_ARN)));
        SnapStartPriming.register();
    }

    EnsureAlarmsHandler(EnsureAlarmsStep step) {
        this.step = Objects.requireNonNull(step, "step");
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) {
        ExecutionLogContext.handleState(input, output, step::ensure);
    }
}
