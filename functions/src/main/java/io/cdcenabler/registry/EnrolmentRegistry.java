package io.cdcenabler.registry;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where enrolments are kept, in AWS (never in a function's memory). Every successful enrolment run records what it
 * enrolled; reconciliation reads every enrolment and records what it found. Implementations are safe for two runs at
 * once: a write never silently loses another's (optimistic concurrency on {@link Enrolment#version()}).
 */
public interface EnrolmentRegistry {

    /** The enrolment of {@code key}, read consistently, if there is one. */
    Optional<Enrolment> find(Enrolment.Key key);

    /** Every enrolment of the Region's deployment, in key order; pages through the store as needed. */
    List<Enrolment> list();

    /** The enrolments of one target (each of its databases), in database order. */
    List<Enrolment> listFor(String identifier);

    /**
     * Records a successful enrolment run: inserts the enrolment, or replaces the stored one's request, secret,
     * parameter group and engine version while keeping its {@code enrolledAt}. Returns what is stored now.
     */
    Enrolment recordEnrolment(Enrolment enrolment);

    /**
     * Records what a run or a reconciliation found for an existing enrolment: READY and REPAIRED also set
     * {@code lastVerified} to the finding's time. Returns what is stored now; empty when {@code key} is not enrolled
     * (nothing is written then).
     */
    Optional<Enrolment> recordResult(Enrolment.Key key, Finding finding);

    /**
     * What one check found.
     *
     * @param error the named error of a FAILED result, else null
     * @param drift what had drifted (empty when nothing had)
     */
    record Finding(EnrolmentResult result, List<String> drift, String error, Instant at) {
        public Finding {
            java.util.Objects.requireNonNull(result, "result");
            java.util.Objects.requireNonNull(at, "at");
            drift = drift == null ? List.of() : List.copyOf(drift);
        }

        /** The enrolment as it is after this finding: READY and REPAIRED also set lastVerified; version counts on. */
        public Enrolment applyTo(Enrolment e) {
            boolean verified = result == EnrolmentResult.READY || result == EnrolmentResult.REPAIRED;
            return new Enrolment(e.request(), e.kind(), e.identifier(), e.database(), e.cdcSecretArn(),
                    e.parameterGroupName(), e.engineVersion(), e.enrolledAt(), verified ? at : e.lastVerified(),
                    result, error, drift, e.version() + 1);
        }
    }

    /** Removes the enrolment (unenrol); true when there was one. */
    boolean remove(Enrolment.Key key);
}
