package io.cdcenabler.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretRequest;
import software.amazon.awssdk.services.secretsmanager.model.DescribeSecretResponse;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.InvalidParameterException;
import software.amazon.awssdk.services.secretsmanager.model.InvalidRequestException;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueRequest;
import software.amazon.awssdk.services.secretsmanager.model.PutSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.ResourceExistsException;
import software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * An in-memory Secrets Manager that behaves like the service for the calls cdc-enabler makes: secrets have ARNs
 * with the random six-character suffix and are found by name, full ARN or partial ARN; versions carry the
 * AWSCURRENT and AWSPREVIOUS stages; GetSecretValue reads the current or an exact version; CreateSecret refuses an
 * existing name with ResourceExistsException, except a repeat of the same request (same ClientRequestToken and
 * value), which is ignored as the service documents; PutSecretValue adds a version (idempotent for a repeated
 * ClientRequestToken). Throttling and AccessDenied can be injected, and so can the eventual consistency Secrets
 * Manager documents ("All Secrets Manager operations are eventually consistent"): with {@link #readLagAfterWrites},
 * the first GetSecretValue calls after a CreateSecret or PutSecretValue still see the secret as it was before it.
 */
public final class FakeSecretsManager implements SecretsManagerClient {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "123456789012";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9/_+=.@!-]{1,512}");
    private static final String SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private final Map<String, StoredSecret> byArn = new LinkedHashMap<>();
    private final Random random = new Random(42);
    private final Set<String> denied = new HashSet<>();
    private final Set<String> writesDenied = new HashSet<>();
    private int throttleNext;
    private int calls;
    private int readLag;

    private static final class StoredSecret {
        final String name;
        final String arn;
        final String description;
        final Instant created = Instant.now();
        final Map<String, String> versions = new LinkedHashMap<>();
        final Map<String, String> stageToVersion = new TreeMap<>();
        /** Reads left that see the state before the last write, and the current version then (null: none). */
        int staleReads;
        String staleCurrent;

        StoredSecret(String name, String arn, String description) {
            this.name = name;
            this.arn = arn;
            this.description = description;
        }

        List<String> stagesOf(String versionId) {
            List<String> stages = new ArrayList<>();
            stageToVersion.forEach((stage, version) -> {
                if (version.equals(versionId)) {
                    stages.add(stage);
                }
            });
            return stages;
        }

        void makeCurrent(String versionId) {
            String previous = stageToVersion.get("AWSCURRENT");
            if (previous != null && !previous.equals(versionId)) {
                stageToVersion.put("AWSPREVIOUS", previous);
            }
            stageToVersion.put("AWSCURRENT", versionId);
        }
    }

    /** Creates a secret as an operator or RDS would have, returning its ARN. */
    public synchronized String seed(String name, String secretString) {
        return createSecret(CreateSecretRequest.builder().name(name).secretString(secretString).build()).arn();
    }

    /** Adds a new current version, as a rotation does, returning its version id. */
    public synchronized String rotate(String secretId, String secretString) {
        return putSecretValue(PutSecretValueRequest.builder().secretId(secretId).secretString(secretString).build())
                .versionId();
    }

    /**
     * After every later CreateSecret or PutSecretValue, the next {@code reads} GetSecretValue calls of that secret
     * (without an explicit version id) see it as it was before the write: not found after a create, the previous
     * current version after a put.
     */
    public synchronized void readLagAfterWrites(int reads) {
        readLag = reads;
    }

    /** The next {@code count} calls fail with ThrottlingException. */
    public synchronized void throttleNextCalls(int count) {
        throttleNext = count;
    }

    /**
     * CreateSecret and PutSecretValue of this secret name fail with AccessDeniedException while reads work, as with
     * an IAM policy that grants secretsmanager:GetSecretValue but not the writes.
     */
    public synchronized void denyWritesTo(String secretName) {
        writesDenied.add(secretName);
    }

    /** Every call on this secret (name or ARN) fails with AccessDeniedException, as with a missing IAM permission. */
    public synchronized void denyAccessTo(String secretId) {
        denied.add(secretId);
    }

    /** Every secret's ARN with its versions and stages, to assert that nothing changed. */
    public synchronized Map<String, String> snapshot() {
        Map<String, String> state = new TreeMap<>();
        byArn.values().forEach(secret -> state.put(secret.arn, secret.versions.keySet() + " " + secret.stageToVersion));
        return state;
    }

    public synchronized List<String> secretNames() {
        return byArn.values().stream().map(secret -> secret.name).toList();
    }

    public synchronized String currentSecretString(String secretId) {
        StoredSecret secret = require(secretId);
        return secret.versions.get(secret.stageToVersion.get("AWSCURRENT"));
    }

    public synchronized String currentVersionId(String secretId) {
        return require(secretId).stageToVersion.get("AWSCURRENT");
    }

    public synchronized int versionCount(String secretId) {
        return require(secretId).versions.size();
    }

    /** How many API calls were made (including failed ones). */
    public synchronized int calls() {
        return calls;
    }

    @Override
    public synchronized GetSecretValueResponse getSecretValue(GetSecretValueRequest request) {
        StoredSecret secret = enter(request.secretId());
        if (secret.staleReads > 0 && request.versionId() == null) {
            secret.staleReads--;
            if (secret.staleCurrent == null) {
                throw notFound("Secrets Manager can't find the specified secret.");
            }
            String stale = secret.staleCurrent;
            return GetSecretValueResponse.builder().arn(secret.arn).name(secret.name).versionId(stale)
                    .secretString(secret.versions.get(stale)).versionStages(List.of("AWSCURRENT"))
                    .createdDate(secret.created).build();
        }
        String versionId;
        if (request.versionId() != null) {
            if (!secret.versions.containsKey(request.versionId())) {
                throw notFound("Secrets Manager can't find the specified secret value for VersionId: "
                        + request.versionId());
            }
            versionId = request.versionId();
            if (request.versionStage() != null && !versionId.equals(secret.stageToVersion.get(request.versionStage()))) {
                throw InvalidRequestException.builder().message("You provided a VersionStage that is not attached "
                        + "to the version you specified.").statusCode(400).awsErrorDetails(details(
                        "InvalidRequestException", "VersionStage does not match VersionId")).build();
            }
        } else {
            String stage = request.versionStage() != null ? request.versionStage() : "AWSCURRENT";
            versionId = secret.stageToVersion.get(stage);
            if (versionId == null) {
                throw notFound("Secrets Manager can't find the specified secret value for staging label: " + stage);
            }
        }
        return GetSecretValueResponse.builder()
                .arn(secret.arn)
                .name(secret.name)
                .versionId(versionId)
                .secretString(secret.versions.get(versionId))
                .versionStages(secret.stagesOf(versionId))
                .createdDate(secret.created)
                .build();
    }

    @Override
    public synchronized CreateSecretResponse createSecret(CreateSecretRequest request) {
        calls++;
        fault(request.name());
        if (writesDenied.contains(request.name())) {
            throw accessDenied(request.name());
        }
        if (request.name() == null || !NAME.matcher(request.name()).matches()) {
            throw InvalidParameterException.builder().message("Invalid name. Must be a valid name containing "
                    + "alphanumeric characters, or any of the following: -/_+=.@!").statusCode(400)
                    .awsErrorDetails(details("InvalidParameterException", "Invalid name")).build();
        }
        StoredSecret existing = find(request.name());
        if (existing != null && request.clientRequestToken() != null
                && existing.versions.containsKey(request.clientRequestToken())) {
            if (existing.versions.get(request.clientRequestToken()).equals(request.secretString())) {
                return CreateSecretResponse.builder().arn(existing.arn).name(existing.name)
                        .versionId(request.clientRequestToken()).build();
            }
            throw ResourceExistsException.builder().message("You can't modify an existing version, you can only "
                    + "create new versions.").statusCode(400).awsErrorDetails(details("ResourceExistsException",
                    "version exists")).build();
        }
        if (existing != null) {
            throw ResourceExistsException.builder()
                    .message("The operation failed because the secret " + request.name() + " already exists.")
                    .statusCode(400)
                    .awsErrorDetails(details("ResourceExistsException", "secret already exists"))
                    .build();
        }
        String arn = "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + request.name() + "-"
                + suffix();
        StoredSecret secret = new StoredSecret(request.name(), arn, request.description());
        String versionId = null;
        if (request.secretString() != null) {
            versionId = request.clientRequestToken() != null ? request.clientRequestToken()
                    : UUID.randomUUID().toString();
            secret.versions.put(versionId, request.secretString());
            secret.makeCurrent(versionId);
        }
        secret.staleReads = readLag;
        secret.staleCurrent = null;
        byArn.put(arn, secret);
        return CreateSecretResponse.builder().arn(arn).name(request.name()).versionId(versionId).build();
    }

    @Override
    public synchronized PutSecretValueResponse putSecretValue(PutSecretValueRequest request) {
        StoredSecret secret = enter(request.secretId());
        if (writesDenied.contains(secret.name)) {
            throw accessDenied(request.secretId());
        }
        if (request.secretString() == null && request.secretBinary() == null) {
            throw InvalidParameterException.builder().message("You must provide either SecretString or "
                    + "SecretBinary.").statusCode(400).awsErrorDetails(details("InvalidParameterException",
                    "no value")).build();
        }
        String versionId = request.clientRequestToken() != null ? request.clientRequestToken()
                : UUID.randomUUID().toString();
        String existing = secret.versions.get(versionId);
        if (existing != null && !existing.equals(request.secretString())) {
            throw ResourceExistsException.builder().message("You can't modify an existing version, you can only "
                    + "create new versions.").statusCode(400).awsErrorDetails(details("ResourceExistsException",
                    "version exists")).build();
        }
        if (existing == null) {
            secret.staleCurrent = secret.stageToVersion.get("AWSCURRENT");
            secret.staleReads = readLag;
            secret.versions.put(versionId, request.secretString());
            secret.makeCurrent(versionId);
        }
        return PutSecretValueResponse.builder().arn(secret.arn).name(secret.name).versionId(versionId)
                .versionStages(secret.stagesOf(versionId)).build();
    }

    @Override
    public synchronized DescribeSecretResponse describeSecret(DescribeSecretRequest request) {
        StoredSecret secret = enter(request.secretId());
        Map<String, List<String>> versions = new LinkedHashMap<>();
        secret.versions.keySet().forEach(version -> versions.put(version, secret.stagesOf(version)));
        return DescribeSecretResponse.builder().arn(secret.arn).name(secret.name).description(secret.description)
                .createdDate(secret.created).versionIdsToStages(versions).build();
    }

    @Override
    public String serviceName() {
        return SERVICE_NAME;
    }

    @Override
    public void close() {
    }

    private StoredSecret enter(String secretId) {
        calls++;
        fault(secretId);
        StoredSecret secret = find(secretId);
        if (secret == null) {
            throw notFound("Secrets Manager can't find the specified secret.");
        }
        if (denied.contains(secret.name) || denied.contains(secret.arn)) {
            throw accessDenied(secretId);
        }
        return secret;
    }

    private void fault(String secretId) {
        if (throttleNext > 0) {
            throttleNext--;
            throw SecretsManagerException.builder().message("Rate exceeded").statusCode(400)
                    .awsErrorDetails(details("ThrottlingException", "Rate exceeded")).build();
        }
        if (secretId != null && denied.contains(secretId)) {
            throw accessDenied(secretId);
        }
    }

    private StoredSecret require(String secretId) {
        StoredSecret secret = find(secretId);
        if (secret == null) {
            throw new IllegalArgumentException("no secret " + secretId + " in the fake");
        }
        return secret;
    }

    /** By full ARN, by name, or by partial ARN (the ARN without its random suffix), as the service resolves. */
    private StoredSecret find(String secretId) {
        if (secretId == null) {
            return null;
        }
        StoredSecret byFullArn = byArn.get(secretId);
        if (byFullArn != null) {
            return byFullArn;
        }
        for (StoredSecret secret : byArn.values()) {
            if (secret.name.equals(secretId) || secret.arn.startsWith(secretId + "-")
                    && secret.arn.length() == secretId.length() + 7) {
                return secret;
            }
        }
        return null;
    }

    private String suffix() {
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            suffix.append(SUFFIX_ALPHABET.charAt(random.nextInt(SUFFIX_ALPHABET.length())));
        }
        return suffix.toString();
    }

    private static ResourceNotFoundException notFound(String message) {
        return ResourceNotFoundException.builder().message(message).statusCode(400)
                .awsErrorDetails(details("ResourceNotFoundException", message)).build();
    }

    private static SecretsManagerException accessDenied(String secretId) {
        String message = "User: arn:aws:sts::" + ACCOUNT + ":assumed-role/cdc-enabler/fn is not authorized to "
                + "perform: secretsmanager:* on resource: " + secretId + " because no identity-based policy allows it";
        return (SecretsManagerException) SecretsManagerException.builder().message(message).statusCode(400)
                .awsErrorDetails(details("AccessDeniedException", message)).build();
    }

    private static AwsErrorDetails details(String code, String message) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("SecretsManager").build();
    }
}
