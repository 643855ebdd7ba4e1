package io.cdcenabler.registry;

import io.cdcenabler.workflow.ThrottledException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The registry in a DynamoDB table (partition key {@code identifier}, sort key {@code database}; item layout in
 * {@link EnrolmentItem}), so enrolments outlive every function container. Each write is conditional on the
 * {@code version} it read (or on the item not existing): a write that loses a race re-reads and retries, so two
 * runs at once never lose each other's update.
 */
public final class DynamoDbEnrolmentRegistry implements EnrolmentRegistry {
    static final int MAX_ATTEMPTS = 5;
    private static final Comparator<Enrolment> KEY_ORDER =
            Comparator.comparing(Enrolment::identifier).thenComparing(Enrolment::database);
    private final DynamoDbClient dynamoDb;
    private final String table;

    public DynamoDbEnrolmentRegistry(DynamoDbClient dynamoDb, String table) {
        this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
        this.table = Objects.requireNonNull(table, "table");
    }

    @Override
    public Optional<Enrolment> find(Enrolment.Key key) {
        Map<String, AttributeValue> item = call(() -> dynamoDb.getItem(r -> r.tableName(table)
                .key(EnrolmentItem.key(key)).consistentRead(true))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(EnrolmentItem.fromItem(item));
    }

    @Override
    public List<Enrolment> list() {
        return allPages(from -> {
            ScanResponse page = call(() -> dynamoDb.scan(r -> r.tableName(table).consistentRead(true)
                    .exclusiveStartKey(from)));
            return new Page(page.items(), page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null);
        });
    }

    @Override
    public List<Enrolment> listFor(String identifier) {
        return allPages(from -> {
            QueryResponse page = call(() -> dynamoDb.query(r -> r.tableName(table).consistentRead(true)
                    .keyConditionExpression("#k = :k")
                    .expressionAttributeNames(Map.of("#k", EnrolmentItem.IDENTIFIER))
                    .expressionAttributeValues(Map.of(":k", AttributeValue.fromS(identifier)))
                    .exclusiveStartKey(from)));
            return new Page(page.items(), page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null);
        });
    }

    /** One page of a Scan or Query: its items and where the next starts (null or empty: none). */
    private record Page(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> next) {
    }

    /** Reads every page, from the first (null start key) until one has no LastEvaluatedKey; sorted by key. */
    private static List<Enrolment> allPages(Function<Map<String, AttributeValue>, Page> read) {
        List<Enrolment> all = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Page page = read.apply(start);
            page.items().forEach(item -> all.add(EnrolmentItem.fromItem(item)));
            start = page.next() == null || page.next().isEmpty() ? null : page.next();
        } while (start != null);
        all.sort(KEY_ORDER);
        return List.copyOf(all);
    }

    @Override
    public Enrolment recordEnrolment(Enrolment enrolment) {
        return update(enrolment.key(), stored -> Optional.of(enrolment.storedOver(stored))).orElseThrow();
    }

    @Override
    public Optional<Enrolment> recordResult(Enrolment.Key key, Finding finding) {
        return update(key, stored -> Optional.ofNullable(stored).map(finding::applyTo));
    }

    @Override
    public boolean remove(Enrolment.Key key) {
        var response = call(() -> dynamoDb.deleteItem(r -> r.tableName(table).key(EnrolmentItem.key(key))
                .returnValues("ALL_OLD")));
        return response.hasAttributes() && !response.attributes().isEmpty();
    }

    /** Reads, computes the next record from the stored one (null when none) and writes it conditionally. */
    private Optional<Enrolment> update(Enrolment.Key key, Function<Enrolment, Optional<Enrolment>> next) {
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            Enrolment stored = find(key).orElse(null);
            Optional<Enrolment> wanted = next.apply(stored);
            if (wanted.isEmpty()) {
                return wanted;
            }
            try {
                put(wanted.get(), stored);
                return wanted;
            } catch (ConditionalCheckFailedException lost) {
                // another writer got in first: re-read and apply ours on top of theirs
            }
        }
        throw new RegistryConflictException("enrolment " + key + " in table " + table + " kept changing under "
                + MAX_ATTEMPTS + " attempts to write it");
    }

    private void put(Enrolment next, Enrolment stored) {
        if (stored == null) {
            call(() -> dynamoDb.putItem(r -> r.tableName(table).item(EnrolmentItem.toItem(next))
                    .conditionExpression("attribute_not_exists(#k)")
                    .expressionAttributeNames(Map.of("#k", EnrolmentItem.IDENTIFIER))));
        } else {
            call(() -> dynamoDb.putItem(r -> r.tableName(table).item(EnrolmentItem.toItem(next))
                    .conditionExpression("#v = :v")
                    .expressionAttributeNames(Map.of("#v", EnrolmentItem.VERSION))
                    .expressionAttributeValues(Map.of(":v",
                            AttributeValue.fromN(Long.toString(stored.version()))))));
        }
    }

    private static <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (ConditionalCheckFailedException e) {
            throw e;
        } catch (AwsServiceException e) {
            String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
            if ("ProvisionedThroughputExceededException".equals(code) || "ThrottlingException".equals(code)
                    || "RequestLimitExceeded".equals(code) || e.isThrottlingException()) {
                throw new ThrottledException("DynamoDB throttled a registry request: " + code, e);
            }
            throw e;
        }
    }
}
