package io.cdcenabler.registry;

/** What a run or a reconciliation concluded about one enrolled database. */
public enum EnrolmentResult {
    /** Verified ready; nothing needed changing. */
    READY,
    /** Something had drifted and was repaired; verified ready afterwards. */
    REPAIRED,
    /** A repair is waiting for a reboot its reboot policy did not allow now (maintenance window or an operator). */
    DRIFT_PENDING_REBOOT,
    /** The run or the repair failed; {@link Enrolment#lastError()} names the error. */
    FAILED
}
