package io.cdcenabler.handler;

import io.cdcenabler.contract.TaskState;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.PutMetricAlarmRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.CreateSecretRequest;

/**
 * Records, per Task state, the IAM actions its handler's SDK calls need: each handler gets its own view of the fake
 * clients, which passes every call on to the fake and notes the operation as IAM names it (the SDK method
 * {@code describeDBInstances} is {@code rds:DescribeDBInstances}; a paginator calls the operation it pages). Creating a
 * secret with tags also needs {@code secretsmanager:TagResource} (CreateSecret's "Required permissions"), and so does
 * creating an alarm with tags {@code cloudwatch:TagResource} (PutMetricAlarm's Tags parameter).
 */
public final class SdkCallRecorder {
    private static final Set<String> NOT_OPERATIONS = Set.of("serviceName", "close", "serviceClientConfiguration",
            "waiter", "utilities", "toString", "hashCode", "equals");

    private final Map<TaskState, Set<String>> actions = new EnumMap<>(TaskState.class);

    /** {@code rds} as {@code state}'s handler sees it. */
    public RdsClient rds(TaskState state, RdsClient rds) {
        return view(state, RdsClient.class, "rds:", rds);
    }

    /** {@code secretsManager} as {@code state}'s handler sees it. */
    public SecretsManagerClient secretsManager(TaskState state, SecretsManagerClient secretsManager) {
        return view(state, SecretsManagerClient.class, "secretsmanager:", secretsManager);
    }

    /** {@code cloudWatch} as {@code state}'s handler sees it. */
    public CloudWatchClient cloudWatch(TaskState state, CloudWatchClient cloudWatch) {
        return view(state, CloudWatchClient.class, "cloudwatch:", cloudWatch);
    }

    /** {@code dynamoDb} as {@code state}'s handler sees it. */
    public DynamoDbClient dynamoDb(TaskState state, DynamoDbClient dynamoDb) {
        return view(state, DynamoDbClient.class, "dynamodb:", dynamoDb);
    }

    /** The IAM actions each state's handler needed so far, over every scenario since this recorder was made. */
    public synchronized Map<TaskState, Set<String>> actions() {
        Map<TaskState, Set<String>> copy = new EnumMap<>(TaskState.class);
        actions.forEach((state, used) -> copy.put(state, Collections.unmodifiableSet(new TreeSet<>(used))));
        return copy;
    }

    private <T extends SdkClient> T view(TaskState state, Class<T> client, String service, T fake) {
        InvocationHandler passOn = (proxy, method, args) -> {
            if (!NOT_OPERATIONS.contains(method.getName())) {
                record(state, service, method, args);
            }
            try {
                return method.invoke(fake, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return client.cast(Proxy.newProxyInstance(client.getClassLoader(), new Class<?>[] {client}, passOn));
    }

    private synchronized void record(TaskState state, String service, Method method, Object[] args) {
        String operation = method.getName().replaceFirst("Paginator$", "");
        Set<String> used = actions.computeIfAbsent(state, s -> new TreeSet<>());
        used.add(service + Character.toUpperCase(operation.charAt(0)) + operation.substring(1));
        if (operation.equals("createSecret") && createSecretRequest(args[0]).hasTags()
                && !createSecretRequest(args[0]).tags().isEmpty()) {
            used.add("secretsmanager:TagResource");
        }
        if (operation.equals("putMetricAlarm") && ((PutMetricAlarmRequest) args[0]).hasTags()
                && !((PutMetricAlarmRequest) args[0]).tags().isEmpty()) {
            used.add("cloudwatch:TagResource");
        }
    }

    @SuppressWarnings("unchecked")
    private static CreateSecretRequest createSecretRequest(Object argument) {
        if (argument instanceof Consumer<?> consumer) {
            CreateSecretRequest.Builder builder = CreateSecretRequest.builder();
            ((Consumer<CreateSecretRequest.Builder>) consumer).accept(builder);
            return builder.build();
        }
        return (CreateSecretRequest) argument;
    }
}
