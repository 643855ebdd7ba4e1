package io.cdcenabler.alarms;

/**
 * The AWS/RDS metrics the guardrail alarms watch (all in Bytes), how each is read and whether Aurora PostgreSQL
 * publishes it. FreeStorageSpace is an RDS instance metric only: an Aurora cluster volume grows by itself and has no
 * free-space metric of that name, so an Aurora target gets no such alarm (one would sit in INSUFFICIENT_DATA forever).
 */
public enum GuardrailMetric {
    /** Disk used by replication slot files: grows while a consumer is stopped or slow. */
    REPLICATION_SLOT_DISK_USAGE("ReplicationSlotDiskUsage", true, true, "notBreaching"),
    /** WAL bytes the most lagging slot has not confirmed. */
    OLDEST_REPLICATION_SLOT_LAG("OldestReplicationSlotLag", true, true, "notBreaching"),
    /** Disk used by WAL: what an unconsumed slot makes RDS keep. */
    TRANSACTION_LOGS_DISK_USAGE("TransactionLogsDiskUsage", true, true, "notBreaching"),
    /** Free storage of a DB instance: the disk the three above fill. */
    FREE_STORAGE_SPACE("FreeStorageSpace", false, false, "missing");

    private final String metricName;
    private final boolean above;
    private final boolean onAurora;
    private final String treatMissingData;

    GuardrailMetric(String metricName, boolean above, boolean onAurora, String treatMissingData) {
        this.metricName = metricName;
        this.above = above;
        this.onAurora = onAurora;
        this.treatMissingData = treatMissingData;
    }

    /** The CloudWatch metric name in the AWS/RDS namespace. */
    public String metricName() {
        return metricName;
    }

    /** True when the alarm fires above the threshold (Maximum); false when below it (Minimum). */
    boolean above() {
        return above;
    }

    /** Whether Aurora PostgreSQL publishes the metric for the writer by DBClusterIdentifier and Role. */
    boolean onAurora() {
        return onAurora;
    }

    /**
     * The slot and WAL metrics treat missing data as not breaching (a stopped instance writes no WAL); free storage
     * keeps its last state ("missing"), so a gap never clears a low-storage alarm.
     */
    String treatMissingData() {
        return treatMissingData;
    }

    /** True when {@code target} has data for this metric. */
    boolean appliesTo(AlarmTarget target) {
        return target.kind() == AlarmTarget.Kind.INSTANCE || onAurora;
    }
}
