package io.cdcenabler.registry;

import io.cdcenabler.workflow.ProvisioningRequest;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One enrolled database: what a successful run of the enrolment workflow made CDC-ready, and how it was last found.
 * Its key is the target's identifier and the database ({@link #key()}); a target with two databases has two.
 *
 * @param request the request as it was enrolled (tracking options, publication, CDC user, admin secret, reboot
 *     policy, waits, cap): running the enrolment workflow with it again repairs what drifted
 * @param cdcSecretArn the CDC secret Provision stored, null in MASTER credentials mode
 * @param parameterGroupName the DB parameter group (instances) or DB cluster parameter group (clusters) the target
 *     used when it was last verified; a parameter-group event for it concerns this enrolment
 * @param engineVersion the engine version last verified; a different one means an upgrade landed
 * @param enrolledAt when the first successful run recorded it
 * @param lastVerified when a run or a reconciliation last found it ready (null if never)
 * @param lastResult what the last run or reconciliation concluded
 * @param lastError the named error of a FAILED result (exception class and message, never a secret), else null
 * @param drift what the last check found drifted (empty when it was ready)
 * @param version the store's optimistic-concurrency counter: 0 for a record not stored yet
 */
public record Enrolment(
        ProvisioningRequest request,
        TargetKind kind,
        String identifier,
        String database,
        String cdcSecretArn,
        String parameterGroupName,
        String engineVersion,
        Instant enrolledAt,
        Instant lastVerified,
        EnrolmentResult lastResult,
        String lastError,
        List<String> drift,
        long version) {

    public Enrolment {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(identifier, "identifier");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(enrolledAt, "enrolledAt");
        Objects.requireNonNull(lastResult, "lastResult");
        drift = drift == null ? List.of() : List.copyOf(drift);
    }

    /**
     * This enrolment as a store keeps it when it records it over {@code stored} (null: none yet): the first
     * enrolment's {@code enrolledAt} is kept, the version counts on.
     */
    public Enrolment storedOver(Enrolment stored) {
        return new Enrolment(request, kind, identifier, database, cdcSecretArn, parameterGroupName, engineVersion,
                stored == null ? enrolledAt : stored.enrolledAt(), lastVerified, lastResult, lastError, drift,
                stored == null ? 1 : stored.version() + 1);
    }

    /** The registry key: identifier and database. */
    public Key key() {
        return new Key(identifier, database);
    }

    /** An enrolment's key. */
    public record Key(String identifier, String database) {
        public Key {
            Objects.requireNonNull(identifier, "identifier");
            Objects.requireNonNull(database, "database");
        }

        @Override
        public String toString() {
            return identifier + "/" + database;
        }
    }

    /** Whether the target is a DB instance or a DB cluster (Aurora or Multi-AZ DB cluster). */
    public enum TargetKind {
        INSTANCE,
        CLUSTER
    }
}
