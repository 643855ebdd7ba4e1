package io.cdcenabler.contract;

/**
 * How many status checks one Standard execution can afford: its history holds at most
 * {@value #HISTORY_EVENT_LIMIT} events, one check adds {@value #EVENTS_PER_STATUS_CHECK} (WaitForStatus, CheckStatus
 * and IsReady entered and exited, and the Lambda's scheduled, started and succeeded), and
 * {@value #EVENTS_OUTSIDE_STATUS_LOOP} are kept for the rest of a run.
 */
public final class ExecutionHistory {
    public static final int HISTORY_EVENT_LIMIT = 25_000;
    public static final int EVENTS_PER_STATUS_CHECK = 9;
    public static final int EVENTS_OUTSIDE_STATUS_LOOP = 1_000;
    public static final int MAX_STATUS_CHECKS = (HISTORY_EVENT_LIMIT - EVENTS_OUTSIDE_STATUS_LOOP)
            / EVENTS_PER_STATUS_CHECK;

    private ExecutionHistory() {
    }
}
