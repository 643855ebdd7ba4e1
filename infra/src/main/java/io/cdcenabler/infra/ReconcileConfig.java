package io.cdcenabler.infra;

import java.util.function.Function;

/**
 * The reconciliation's part of the CDK context, read and validated once: when EventBridge Scheduler starts the
 * reconcile state machine ({@code -c reconcileSchedule='cron(0 3 * * ? *)'}), in UTC.
 *
 * @param schedule an EventBridge Scheduler rate or cron expression, e.g. {@value #DEFAULT_SCHEDULE}
 */
public record ReconcileConfig(String schedule) {
    public static final String RECONCILE_SCHEDULE = "reconcileSchedule";
    public static final String DEFAULT_SCHEDULE = "rate(1 day)";

    public ReconcileConfig {
        if (schedule == null || !(schedule.startsWith("rate(") || schedule.startsWith("cron("))
                || !schedule.endsWith(")")) {
            throw new InvalidContextException("CDK context " + RECONCILE_SCHEDULE + " must be an EventBridge "
                    + "Scheduler rate(...) or cron(...) expression such as " + DEFAULT_SCHEDULE
                    + " or cron(0 3 * * ? *), was " + (schedule == null ? null : "\"" + schedule + "\""));
        }
    }

    /** Reads {@value #RECONCILE_SCHEDULE} from {@code context} (e.g. {@code node::tryGetContext}); absent: daily. */
    public static ReconcileConfig fromContext(Function<String, Object> context) {
        Object value = context.apply(RECONCILE_SCHEDULE);
        if (value == null || value instanceof String s && s.isBlank()) {
            return new ReconcileConfig(DEFAULT_SCHEDULE);
        }
        if (!(value instanceof String text)) {
            throw new InvalidContextException("CDK context " + RECONCILE_SCHEDULE + " must be an EventBridge "
                    + "Scheduler rate(...) or cron(...) expression, was " + value.getClass().getSimpleName() + " "
                    + value);
        }
        return new ReconcileConfig(text.strip());
    }
}
