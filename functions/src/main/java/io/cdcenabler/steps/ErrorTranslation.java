package io.cdcenabler.steps;

import io.cdcenabler.postgres.CdcEnablerException;
import io.cdcenabler.postgres.ConnectionFailedException;
import io.cdcenabler.postgres.InvalidSpecException;
import io.cdcenabler.postgres.LockTimeoutException;
import io.cdcenabler.postgres.UnknownObjectException;
import io.cdcenabler.postgres.WalLevelNotLogicalException;
import io.cdcenabler.workflow.DatabaseUnavailableException;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.LogicalReplicationOffException;
import io.cdcenabler.workflow.MissingPrivilegeException;
import io.cdcenabler.workflow.ProvisioningFailedException;
import io.cdcenabler.workflow.TablesLockedException;
import io.cdcenabler.workflow.TlsVerificationException;
import io.cdcenabler.workflow.WorkflowException;

/**
 * Maps the provisioning engine's exceptions to the workflow's typed errors, whose class names the state machine's
 * Retry and Catch match: a lock timeout and a refused connection are transient, a certificate that does not verify
 * is permanent; missing privileges and bad input (an invalid
 * spec, an unknown schema or table) are permanent and named; anything else, such as a conflicting existing
 * publication or an unexpected SQL error, is a {@link ProvisioningFailedException}. The engine's message is kept, with the engine's exception as the cause.
 */
public final class ErrorTranslation {
    private ErrorTranslation() {
    }

    public static WorkflowException translate(CdcEnablerException error, String doing) {
        String message = doing + ": " + error.getMessage();
        if (error instanceof LockTimeoutException) {
            return new TablesLockedException(message, error);
        }
        if (error instanceof ConnectionFailedException && isTlsFailure(error)) {
            return new TlsVerificationException(message + " (the server's certificate did not verify against the "
                    + "RDS CA bundle: refresh the bundle or check the endpoint)", error);
        }
        if (error instanceof ConnectionFailedException) {
            return new DatabaseUnavailableException(message, error);
        }
        if (error instanceof io.cdcenabler.postgres.MissingPrivilegeException) {
            return new MissingPrivilegeException(message, error);
        }
        if (error instanceof WalLevelNotLogicalException) {
            return new LogicalReplicationOffException(message + " (reboot the writer without failover so "
                    + "rds.logical_replication=1 takes effect, then run the workflow again)", error);
        }
        if (error instanceof InvalidSpecException || error instanceof UnknownObjectException) {
            return new InvalidInputException(message, error);
        }
        return new ProvisioningFailedException(message, error);
    }

    private static boolean isTlsFailure(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof javax.net.ssl.SSLException
                    || cause instanceof java.security.cert.CertificateException
                    || String.valueOf(cause.getMessage()).contains("could not be verified by hostnameverifier")) {
                return true;
            }
        }
        return false;
    }
}
