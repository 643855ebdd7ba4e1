package io.cdcenabler.handler;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.workflow.LogLines;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.WorkflowState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The SnapStart priming hook: before Lambda takes the snapshot it builds the SDK clients, loads what the first
 * invocation would load (Jackson on a sample {@link WorkflowState}, the JSON log lines, the JDK's TLS context), and
 * rehearses one RDS, Secrets Manager, DynamoDB (the registry) and CloudWatch (the alarms) call on throwaway clients
 * whose interceptor aborts each call after endpoint resolution, marshalling and signing with dummy credentials,
 * before anything is sent. So priming needs no AWS access and no network, and a restored function starts with those
 * classes loaded and initialised.
 *
 * <p>Handlers call {@link #register()} from their public constructors; only the first call registers. Outside a
 * CRaC or SnapStart runtime the registration does nothing else.
 */
public final class SnapStartPriming implements Resource {
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();
    // org.crac holds registered resources through weak references: this keeps the hook alive until the checkpoint.
    private static final SnapStartPriming INSTANCE = new SnapStartPriming();

    /** A manual request as the console would send it, every option but the target at its default. */
    private static final ProvisioningRequest SAMPLE_REQUEST = ProvisioningRequest.builder()
            .instanceIdentifier("priming-db").database("app").publication("cdc").build();

    static final String SAMPLE_STATE = """
            {
              "target": {
                "skipped": false,
                "request": %s,
                "topology": "SINGLE_INSTANCE",
                "engine": "postgres",
                "engineVersion": "16.4",
                "family": "postgres16",
                "parameterGroupName": "cdc-enabler-postgres16",
                "parameterApplyStatus": "in-sync",
                "writerInstanceIdentifier": "priming-db",
                "endpointHost": "priming-db.example.us-east-1.rds.amazonaws.com",
                "endpointPort": 5432,
                "database": "app"
              },
              "parameterGroup": {"parameterGroupName": "cdc-enabler-postgres16", "created": true, "modified": true,
                                 "attached": true, "rebootRequired": true, "sharedWith": []},
              "reboot": {"rebooted": true, "pending": false, "message": "rebooted priming-db without failover"},
              "status": {"state": "READY", "status": "available", "parameterApplyStatus": "in-sync"},
              "credentials": {"secretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:priming-AbCdEf",
                              "versionId": "00000000-0000-4000-8000-000000000000", "username": "postgres"},
              "provision": {"cdcSecretArn": "arn:aws:secretsmanager:us-east-1:123456789012:secret:cdc-AbCdEf",
                            "changed": 0, "changes": []},
              "verify": {"ready": true, "checks": []}
            }
            """.formatted(Json.MAPPER.valueToTree(SAMPLE_REQUEST));

    private SnapStartPriming() {
    }

    /** Registers the priming hook with the global CRaC context, once per JVM. */
    public static void register() {
        register(REGISTERED, Core.getGlobalContext());
    }

    /** Registers the hook with {@code context} unless {@code registered} says it was; true when this call did. */
    static boolean register(AtomicBoolean registered, Context<Resource> context) {
        if (registered.compareAndSet(false, true)) {
            context.register(INSTANCE);
            return true;
        }
        return false;
    }

    /** The one registered hook (for tests: a checkpoint cannot be taken in a unit test). */
    static SnapStartPriming instance() {
        return INSTANCE;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: the clients resolve credentials per call, and no connection is open at checkpoint.
    }

    /** Loads and initialises what a cold invocation would, without AWS access or network. */
    static void prime() {
        long started = System.nanoTime();
        AwsClients.rds();
        AwsClients.secretsManager();
        AwsClients.cloudWatch();
        AwsClients.dynamoDb();
        primeJson();
        rehearse(RdsClient.builder(), client -> client.describeDBInstances(request -> request
                .dbInstanceIdentifier("priming-db")));
        rehearse(SecretsManagerClient.builder(), client -> client.getSecretValue(request -> request
                .secretId("arn:aws:secretsmanager:us-east-1:123456789012:secret:priming-AbCdEf")));
        rehearse(DynamoDbClient.builder(), client -> client.getItem(request -> request.tableName("priming")
                .key(Map.of("pk", AttributeValue.fromS("priming")))));
        rehearse(CloudWatchClient.builder(), client -> client.describeAlarms(request -> request
                .alarmNamePrefix("cdc-enabler/priming")));
        primeTls();
        LOG.info(LogLines.json("event", "snapStartPrimed", "millis", (System.nanoTime() - started) / 1_000_000));
    }

    private static void primeJson() {
        WorkflowState state = Json.convert(Json.read(new ByteArrayInputStream(
                SAMPLE_STATE.getBytes(StandardCharsets.UTF_8))), WorkflowState.class);
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        Json.write(written, state);
        JsonNode reread = Json.read(new ByteArrayInputStream(written.toByteArray()));
        if (!reread.path("target").path("request").path("instanceIdentifier").asText().equals("priming-db")) {
            throw new IllegalStateException("priming: the sample WorkflowState did not survive a JSON round trip, got "
                    + reread);
        }
    }

    private static <C extends SdkClient, B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>> void rehearse(
            B builder, Consumer<C> call) {
        builder.region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming",
                        "priming")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(AwsRetryStrategy.doNotRetry())
                        .addExecutionInterceptor(new AbortBeforeTransmission())
                        .build());
        try (C client = builder.build()) {
            call.accept(client);
            throw new IllegalStateException("priming: a rehearsal call was not aborted before transmission");
        } catch (RuntimeException e) {
            if (!isAbort(e)) {
                throw e;
            }
        }
    }

    private static boolean isAbort(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof RehearsalAbortedException) {
                return true;
            }
        }
        return false;
    }

    private static void primeTls() {
        try {
            SSLContext.getDefault().createSSLEngine();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("priming: the JDK has no default TLS context", e);
        }
    }

    /** Ends a rehearsal call once the request is marshalled and signed, so nothing leaves the JVM. */
    private static final class AbortBeforeTransmission implements ExecutionInterceptor {
        @Override
        public void beforeTransmission(software.amazon.awssdk.core.interceptor.Context.BeforeTransmission context,
                                       ExecutionAttributes executionAttributes) {
            throw new RehearsalAbortedException();
        }
    }

    /** Thrown by {@link AbortBeforeTransmission}: the expected end of every rehearsal call. */
    static final class RehearsalAbortedException extends RuntimeException {
        RehearsalAbortedException() {
            super("rehearsal call aborted before transmission", null, false, false);
        }
    }
}
