package io.cdcenabler.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.postgres.Secret;
import io.cdcenabler.contract.ResourceNames;
import io.cdcenabler.workflow.InvalidSecretException;
import io.cdcenabler.workflow.LogLines;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.cdcenabler.workflow.AwsUnreachableException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.Tag;

/**
 * Keeps the CDC user's credentials in one Secrets Manager secret per instance (or cluster), database and CDC user,
 * under the deterministic name {@code cdc-enabler/<instance-or-cluster-id>/<database>/<cdc user>} (see {@link
 * #secretName}). A re-run finds the secret and reuses its password, so the engine changes nothing; the secret gets a
 * new version only when a field of its shape changed. Fields other tools added (e.g. by a rotation Lambda) are kept.
 */
public final class CdcSecretStore {
    public static final String NAME_PREFIX = ResourceNames.CDC_SECRET_PREFIX;
    private static final Logger LOG = LoggerFactory.getLogger(CdcSecretStore.class);
    private static final int MAX_NAME_LENGTH = 512;

    /** What {@link #store} did. */
    public enum Action { CREATED, UPDATED, UNCHANGED }

    /** The secret after {@link #store}: its ARN, the version that holds the given values, and what was done. */
    public record StoreResult(String arn, String versionId, Action action) {
    }

    static final int CONFLICT_READS = 6;

    private final SecretsManagerClient secretsManager;
    private final long firstPauseMillis;

    public CdcSecretStore(SecretsManagerClient secretsManager) {
        this(secretsManager, 250);
    }

    /** With the first pause between reads of a secret created meanwhile (doubling, {@value #CONFLICT_READS} reads). */
    CdcSecretStore(SecretsManagerClient secretsManager, long firstPauseMillis) {
        this.secretsManager = secretsManager;
        this.firstPauseMillis = firstPauseMillis;
    }

    /**
     * The secret's name: {@code cdc-enabler/<identifier>/<database>/<cdcUser>}. Characters Secrets Manager does not
     * allow in names (it allows letters, digits and {@code /_+=.@-}) become {@code _}; the name is cut to 512.
     */
    public static String secretName(String identifier, String database, String cdcUser) {
        String name = NAME_PREFIX + safe(identifier) + "/" + safe(database) + "/" + safe(cdcUser);
        return name.length() <= MAX_NAME_LENGTH ? name : name.substring(0, MAX_NAME_LENGTH);
    }

    /**
     * Whether {@code name} is the CDC secret of {@code cdcUser} for another database of the same target
     * ({@code cdc-enabler/<identifier>/<any database>/<cdc user>}): the only secrets whose password a run may reuse
     * for that role, whatever a role's comment names.
     */
    public static boolean isSiblingName(String name, String identifier, String cdcUser) {
        String prefix = NAME_PREFIX + safe(identifier) + "/";
        String suffix = "/" + safe(cdcUser);
        return name != null && name.startsWith(prefix) && name.endsWith(suffix)
                && name.length() > prefix.length() + suffix.length()
                && name.substring(prefix.length(), name.length() - suffix.length()).indexOf('/') < 0;
    }

    private static String safe(String part) {
        if (part == null || part.isEmpty()) {
            throw new IllegalArgumentException("secret name parts must not be empty, was " + part);
        }
        return part.replaceAll("[^A-Za-z0-9/_+=.@-]", "_").replace('/', '_');
    }

    /** The secret with that name or ARN, if it exists. */
    public Optional<StoredCdcSecret> find(String secretId) {
        return current(secretId).map(found -> stored(found.response(), found.content()));
    }

    /** The secret with that name or ARN; an {@link InvalidSecretException} when it is missing or has no password. */
    public StoredCdcSecret read(String secretId) {
        StoredCdcSecret secret = find(secretId).orElseThrow(() -> new InvalidSecretException("CDC secret "
                + secretId + " does not exist: run Provision first"));
        if (!secret.hasPassword()) {
            throw new InvalidSecretException("CDC secret " + secretId + " has no password field");
        }
        return secret;
    }

    /** The CDC secret as {@link #ensure} left it: its ARN and version, the password it holds, and what was done. */
    public record Ensured(String arn, String versionId, Secret password, Action action) {
    }

    /**
     * Makes sure the secret {@code name} holds a password before any role gets one: creates it with the connection
     * and {@code candidate} when it does not exist, returns the password it holds when it does (a secret without a
     * password gets the candidate in a new version). Two runs at once converge on one secret: CreateSecret refuses the
     * second with ResourceExistsException, and the second then reads what the first stored, waiting out Secrets
     * Manager's eventual consistency for a secret created a moment ago.
     */
    public Ensured ensure(String name, CdcConnection connection, Secret candidate) {
        return ensure(name, connection, () -> candidate);
    }

    /** As {@link #ensure(String, CdcConnection, Secret)}, asking for the candidate only when it is stored. */
    public Ensured ensure(String name, CdcConnection connection, java.util.function.Supplier<Secret> candidates) {
        Optional<Current> existing = current(name);
        if (existing.isEmpty()) {
            Secret candidate = candidates.get();
            Optional<StoreResult> created = create(name, connection, candidate);
            if (created.isPresent()) {
                return new Ensured(created.get().arn(), created.get().versionId(), candidate, Action.CREATED);
            }
            existing = Optional.of(readAfterConflict(name));
        }
        Current found = existing.get();
        JsonNode password = found.content().get("password");
        if (password != null && password.isTextual() && !password.asText().isEmpty()) {
            return new Ensured(found.response().arn(), found.response().versionId(), Secret.of(password.asText()),
                    Action.UNCHANGED);
        }
        Secret candidate = candidates.get();
        StoreResult put = putMerged(found, connection, candidate);
        return new Ensured(put.arn(), put.versionId(), candidate, Action.UPDATED);
    }

    /**
     * Creates the secret {@code name} with the connection and password, or, when it exists, puts a new version only
     * if a field differs from what is stored.
     */
    public StoreResult store(String name, CdcConnection connection, Secret password) {
        Optional<Current> existing = current(name);
        if (existing.isEmpty()) {
            Optional<StoreResult> created = create(name, connection, password);
            if (created.isPresent()) {
                return created.get();
            }
            existing = Optional.of(readAfterConflict(name));
        }
        Current found = existing.get();
        ObjectNode wanted = found.content().deepCopy();
        merge(wanted, connection, password);
        if (wanted.equals(found.content())) {
            LOG.info(LogLines.json("event", "cdcSecretUnchanged", "secretArn", found.response().arn(),
                    "versionId", found.response().versionId()));
            return new StoreResult(found.response().arn(), found.response().versionId(), Action.UNCHANGED);
        }
        return putMerged(found, connection, password);
    }

    /** CreateSecret; empty when a secret of that name exists already (created meanwhile by another run). */
    private Optional<StoreResult> create(String name, CdcConnection connection, Secret password) {
        ObjectNode content = SecretJson.MAPPER.createObjectNode();
        merge(content, connection, password);
        try {
            CreateSecretResponse created = secretsManager.createSecret(CreateSecretRequest.builder()
                    .name(name)
                    .description("CDC login " + connection.username() + " for database " + connection.dbname()
                            + " at " + connection.host() + ", managed by cdc-enabler")
                    .secretString(SecretJson.write(content))
                    .tags(Tag.builder().key("managed-by").value("cdc-enabler").build())
                    .build());
            LOG.info(LogLines.json("event", "cdcSecretCreated", "secretArn", created.arn(),
                    "versionId", created.versionId()));
            return Optional.of(new StoreResult(created.arn(), created.versionId(), Action.CREATED));
        } catch (ResourceExistsException raced) {
            LOG.info(LogLines.json("event", "cdcSecretCreatedMeanwhile", "secretName", name));
            return Optional.empty();
        } catch (AwsServiceException e) {
            throw SecretsManagerErrors.translate(e, "secretsmanager:CreateSecret", name);
        } catch (SdkClientException e) {
            throw new AwsUnreachableException("secretsmanager:CreateSecret on " + name + " failed before Secrets "
                    + "Manager answered: " + e.getMessage(), e);
        }
    }

    /**
     * The secret another run has just created. Secrets Manager is eventually consistent, so a read right after the
     * conflict may not find it yet: read again with a growing pause, for up to about {@value #CONFLICT_READS} reads.
     */
    private Current readAfterConflict(String name) {
        long pause = firstPauseMillis;
        for (int read = 1; ; read++) {
            Optional<Current> found = current(name);
            if (found.isPresent()) {
                return found.get();
            }
            if (read == CONFLICT_READS) {
                throw new InvalidSecretException("secret " + name + " exists (CreateSecret said so) but could not be "
                        + "read after " + read + " tries: is it scheduled for deletion? Restore it, or delete it for "
                        + "good, then run again");
            }
            sleep(pause);
            pause *= 2;
        }
    }

    private StoreResult putMerged(Current found, CdcConnection connection, Secret password) {
        ObjectNode wanted = found.content().deepCopy();
        merge(wanted, connection, password);
        try {
            PutSecretValueResponse put = secretsManager.putSecretValue(PutSecretValueRequest.builder()
                    .secretId(found.response().arn())
                    .secretString(SecretJson.write(wanted))
                    .build());
            LOG.info(LogLines.json("event", "cdcSecretUpdated", "secretArn", put.arn(), "versionId",
                    put.versionId(), "fields", changedFields(found.content(), wanted)));
            return new StoreResult(put.arn(), put.versionId(), Action.UPDATED);
        } catch (AwsServiceException e) {
            throw SecretsManagerErrors.translate(e, "secretsmanager:PutSecretValue", found.response().arn());
        } catch (SdkClientException e) {
            throw new AwsUnreachableException("secretsmanager:PutSecretValue on " + found.response().arn()
                    + " failed before Secrets Manager answered: " + e.getMessage(), e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AwsUnreachableException("interrupted while waiting to read the CDC secret", e);
        }
    }

    private record Current(GetSecretValueResponse response, ObjectNode content) {
    }

    private Optional<Current> current(String secretId) {
        try {
            GetSecretValueResponse response = secretsManager.getSecretValue(GetSecretValueRequest.builder()
                    .secretId(secretId).build());
            return Optional.of(new Current(response, SecretJson.parse(response.secretString(), secretId)));
        } catch (ResourceNotFoundException e) {
            return Optional.empty();
        } catch (AwsServiceException e) {
            throw SecretsManagerErrors.translate(e, "secretsmanager:GetSecretValue", secretId);
        } catch (SdkClientException e) {
            throw new AwsUnreachableException("secretsmanager:GetSecretValue on " + secretId + " failed before "
                    + "Secrets Manager answered: " + e.getMessage(), e);
        }
    }

    private static StoredCdcSecret stored(GetSecretValueResponse response, ObjectNode content) {
        JsonNode password = content.get("password");
        boolean held = password != null && password.isTextual() && !password.asText().isEmpty();
        return new StoredCdcSecret(response.arn(), response.versionId(), held ? Secret.of(password.asText()) : null);
    }

    private static void merge(ObjectNode content, CdcConnection connection, Secret password) {
        content.put("engine", "postgres");
        content.put("host", connection.host());
        content.put("port", connection.port());
        content.put("username", connection.username());
        content.put("password", password.revealAsString());
        content.put("dbname", connection.dbname());
        content.put("publication", connection.publication());
    }

    private static List<String> changedFields(ObjectNode before, ObjectNode after) {
        List<String> fields = new ArrayList<>();
        after.fieldNames().forEachRemaining(field -> {
            if (!after.get(field).equals(before.get(field))) {
                fields.add(field);
            }
        });
        return fields;
    }
}
