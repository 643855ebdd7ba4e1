package io.cdcenabler.secrets;

import io.cdcenabler.workflow.InvalidSecretException;
import io.cdcenabler.workflow.ThrottledException;
import io.cdcenabler.workflow.WorkflowException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.secretsmanager.model.DecryptionFailureException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;

/**
 * Translates Secrets Manager's errors into the workflow's typed errors, so the state machine's Retry and Catch can
 * match them: throttling is transient; a missing, undecryptable or forbidden secret is an {@link
 * InvalidSecretException} that names the secret and what to do. Errors it does not know are returned unchanged.
 */
final class SecretsManagerErrors {
    private SecretsManagerErrors() {
    }

    /**
     * The workflow error for {@code error}, raised while {@code action} (e.g. {@code secretsmanager:GetSecretValue})
     * ran on {@code secretId}; or {@code error} itself when it is not one of the known cases.
     */
    static RuntimeException translate(AwsServiceException error, String action, String secretId) {
        WorkflowException translated = known(error, action, secretId);
        return translated != null ? translated : error;
    }

    private static WorkflowException known(AwsServiceException error, String action, String secretId) {
        String code = error.awsErrorDetails() == null ? null : error.awsErrorDetails().errorCode();
        if (error.isThrottlingException()) {
            return new ThrottledException("Secrets Manager throttled " + action + " on " + secretId + " ("
                    + code + ")", error);
        }
        if (error instanceof ResourceNotFoundException || "ResourceNotFoundException".equals(code)) {
            return new InvalidSecretException("secret " + secretId + " does not exist, or the version asked for is "
                    + "gone (" + action + " answered ResourceNotFoundException)", error);
        }
        if ("AccessDeniedException".equals(code) || error.statusCode() == 403) {
            return new InvalidSecretException("access denied: the function's role may not call " + action + " on "
                    + secretId + "; grant it " + action + " on that secret (and kms:Decrypt on its KMS key when the "
                    + "key is customer-managed)", error);
        }
        if (error instanceof DecryptionFailureException || "DecryptionFailure".equals(code)) {
            return new InvalidSecretException("secret " + secretId + " cannot be decrypted: the function's role "
                    + "needs kms:Decrypt on the secret's KMS key", error);
        }
        return null;
    }
}
