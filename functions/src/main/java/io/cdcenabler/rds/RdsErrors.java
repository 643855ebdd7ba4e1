package io.cdcenabler.rds;

import io.cdcenabler.workflow.InstanceBusyException;
import io.cdcenabler.workflow.TargetNotFoundException;
import io.cdcenabler.workflow.ThrottledException;
import java.util.Set;
import java.util.function.Supplier;
import io.cdcenabler.workflow.AwsUnreachableException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;

/**
 * Translates RDS SDK errors into the workflow's typed errors, whose class names the state machine's Retry and
 * Catch match. Errors with no workflow meaning propagate unchanged (the state machine sees the SDK's own type).
 */
public final class RdsErrors {
    private static final Set<String> THROTTLING_CODES =
            Set.of("Throttling", "ThrottlingException", "RequestLimitExceeded", "TooManyRequestsException");

    private RdsErrors() {
    }

    /** Runs one RDS call, translating its error; {@code what} names the call and its subject for the message. */
    public static <T> T call(String what, Supplier<T> call) {
        try {
            return call.get();
        } catch (AwsServiceException e) {
            throw translate(what, e);
        } catch (SdkClientException e) {
            throw new AwsUnreachableException(what + " failed before RDS answered: " + e.getMessage(), e);
        }
    }

    /** The workflow error for {@code error}, or {@code error} itself when it has no workflow meaning. */
    public static RuntimeException translate(String what, AwsServiceException error) {
        String code = error.awsErrorDetails() == null ? null : error.awsErrorDetails().errorCode();
        String reason = what + " failed: " + (error.awsErrorDetails() == null ? error.getMessage()
                : error.awsErrorDetails().errorMessage()) + (code == null ? "" : " (" + code + ")");
        if (error.isThrottlingException() || (code != null && THROTTLING_CODES.contains(code))) {
            return new ThrottledException(reason, error);
        }
        if (error instanceof InvalidDbInstanceStateException || error instanceof InvalidDbClusterStateException) {
            return new InstanceBusyException(reason, error);
        }
        if (error instanceof DbInstanceNotFoundException || error instanceof DbClusterNotFoundException) {
            return new TargetNotFoundException(reason, error);
        }
        return error;
    }
}
