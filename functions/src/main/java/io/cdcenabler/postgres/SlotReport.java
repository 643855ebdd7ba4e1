package io.cdcenabler.postgres;

import io.cdcenabler.postgres.VerificationReport.Status;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/**
 * One replication slot as {@code pg_replication_slots} shows it, with what slot health made of it: who consumes it,
 * how much WAL it holds back, and a verdict that says what to do.
 */
public record SlotReport(Identity identity, Activity activity, Wal wal, Verdict verdict) {

    /** The slot's name, {@code logical} or {@code physical}, its output plugin and database (null for physical). */
    public record Identity(String name, String type, String plugin, String database) {
        public boolean logical() {
            return "logical".equals(type);
        }
    }

    /**
     * Whether a session streams the slot now; when not, since when ({@code inactive_since}, PostgreSQL 17+; empty
     * below 17 or when unknown). The consumer is the session holding the slot, null when none does.
     */
    public record Activity(boolean active, boolean temporary, Optional<OffsetDateTime> inactiveSince,
                           Consumer consumer) {
        public String describe() {
            if (active) {
                return "active" + (consumer == null ? "" : ", " + consumer.describe());
            }
            return inactiveSince.map(since -> "inactive since " + since)
                    .orElse("inactive (since when is unknown: PostgreSQL records it from 17 on)");
        }
    }

    /**
     * The session streaming a slot: its pid, application_name, client address, and the publications it asked for
     * in its START_REPLICATION command when the admin can see that command (null: unknown).
     */
    public record Consumer(int pid, String application, String client, List<String> publications) {
        public Consumer {
            publications = publications == null ? null : List.copyOf(publications);
        }

        public String describe() {
            return "pid " + pid + (application == null || application.isEmpty() ? "" : " '" + application + "'")
                    + (client == null ? "" : " from " + client);
        }
    }

    /**
     * {@code wal_status} (reserved, extended, unreserved, lost), the WAL it retains (current LSN minus restart_lsn,
     * null when it has no restart_lsn), {@code safe_wal_size} (null without a cap), and {@code invalidation_reason}
     * (17+, null when valid).
     */
    public record Wal(String status, Long retainedBytes, Long safeWalSize, String invalidationReason) {
        public boolean invalidated() {
            return "lost".equals(status) || invalidationReason != null;
        }
    }

    /** PASS, WARN or FAIL, with a message naming the slot, its consumer, what it retains and what to do. */
    public record Verdict(Status status, String message) {
    }

    /** The consumer's own words on its publications, when its slot uses pgoutput. */
    public String publicationNote(String ours) {
        if (!identity.logical()) {
            return "physical slot (a standby or backup); retains WAL for the whole server";
        }
        if (!"pgoutput".equals(identity.plugin())) {
            return "plugin " + identity.plugin() + " does not use publications";
        }
        Consumer consumer = activity.consumer();
        if (consumer == null || consumer.publications() == null) {
            return "slot of this database with plugin pgoutput; publication unknown (the consumer names it when it "
                    + "connects, the catalog does not keep it)";
        }
        return consumer.publications().contains(ours) ? "uses publication " + ours
                : "its consumer reads publication(s) " + String.join(", ", consumer.publications()) + ", not " + ours;
    }
}
