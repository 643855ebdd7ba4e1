package io.cdcenabler.secrets;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.InvalidSecretException;
import io.cdcenabler.workflow.LogLines;
import io.cdcenabler.workflow.StepOutcomes.CredentialsReference;
import io.cdcenabler.workflow.TargetDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.cdcenabler.workflow.AwsUnreachableException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;

/**
 * The admin credentials the provisioning logs in with. {@link #resolve} finds and validates the secret (the
 * request's {@code adminSecretArn}, else the RDS-managed master user secret) and returns only a reference to the
 * version it checked; {@link #read} reads exactly that version again when the password is needed, so a rotation in
 * between cannot make two steps use different credentials.
 */
public final class AdminSecrets {
    private static final Logger LOG = LoggerFactory.getLogger(AdminSecrets.class);
    private static final String GET_SECRET_VALUE = "secretsmanager:GetSecretValue";

    private final SecretsManagerClient secretsManager;

    public AdminSecrets(SecretsManagerClient secretsManager) {
        this.secretsManager = secretsManager;
    }

    /** Finds the admin secret of the target, checks it holds username and password, and returns its reference. */
    public CredentialsReference resolve(TargetDescription target) {
        AdminCredentials credentials = readCurrent(target);
        return new CredentialsReference(credentials.secretArn(), credentials.versionId(), credentials.username());
    }

    /**
     * As {@link #resolve}, for a step that logs in at once (CheckDrift, PrepareUpgrade): the current version's
     * credentials in one GetSecretValue call, instead of resolving and then reading the version again.
     */
    public AdminCredentials readCurrent(TargetDescription target) {
        String secretId = target.request().adminSecretArn() != null ? target.request().adminSecretArn()
                : target.masterSecretArn();
        if (secretId == null) {
            throw new InvalidSecretException("no admin secret for " + target.request().identifier()
                    + ": request.adminSecretArn is not set and target.masterSecretArn is null (the "
                    + (target.request().isCluster() ? "cluster" : "instance") + " has no RDS-managed master user "
                    + "secret); pass adminSecretArn, a secret holding {\"username\":...,\"password\":...}");
        }
        AdminCredentials credentials = fetch(GetSecretValueRequest.builder().secretId(secretId).build(), secretId);
        LOG.info(LogLines.json("event", "adminSecretResolved", "identifier", target.request().identifier(),
                "source", target.request().adminSecretArn() != null ? "request.adminSecretArn"
                        : "target.masterSecretArn",
                "secretArn", credentials.secretArn(), "versionId", credentials.versionId(),
                "username", credentials.username()));
        return credentials;
    }

    /** Reads exactly the referenced version of the admin secret. */
    public AdminCredentials read(CredentialsReference reference) {
        if (reference == null || reference.secretArn() == null || reference.versionId() == null) {
            throw new InvalidInputException("state must hold $.credentials from ReadCredentials with secretArn and "
                    + "versionId, was " + reference);
        }
        AdminCredentials credentials = fetch(GetSecretValueRequest.builder().secretId(reference.secretArn())
                .versionId(reference.versionId()).build(), reference.secretArn());
        if (reference.username() != null && !reference.username().equals(credentials.username())) {
            throw new InvalidSecretException("secret " + reference.secretArn() + " version " + reference.versionId()
                    + " holds username " + credentials.username() + ", but ReadCredentials saw "
                    + reference.username());
        }
        return credentials;
    }

    private AdminCredentials fetch(GetSecretValueRequest request, String secretId) {
        GetSecretValueResponse response;
        try {
            response = secretsManager.getSecretValue(request);
        } catch (AwsServiceException e) {
            throw SecretsManagerErrors.translate(e, GET_SECRET_VALUE, secretId);
        } catch (SdkClientException e) {
            throw new AwsUnreachableException(GET_SECRET_VALUE + " on " + secretId + " failed before Secrets Manager answered: "
                    + e.getMessage(), e);
        }
        ObjectNode secret = SecretJson.parse(response.secretString(), secretId);
        String username = SecretJson.requireText(secret, "username", secretId);
        String password = SecretJson.requireText(secret, "password", secretId);
        return new AdminCredentials(response.arn(), response.versionId(), username, Secret.of(password));
    }
}
