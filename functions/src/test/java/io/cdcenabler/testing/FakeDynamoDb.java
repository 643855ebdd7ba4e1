package io.cdcenabler.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * An in-memory DynamoDB table (partition key {@code identifier}, sort key {@code database}, both S) behaving like
 * the service for the calls the registry makes: items of at most 400 KB (ValidationException), Scan and Query pages
 * of at most 1 MB (LastEvaluatedKey), eventually consistent reads (a non-consistent GetItem, Scan or Query still sees
 * an item as it was before its last write, once; ConsistentRead sees it at once), the conditions
 * {@code attribute_not_exists(#k)} and {@code #v = :v} (ConditionalCheckFailedException), ResourceNotFoundException
 * for another table, and injectable throttling. {@link #beforeNextPut} lets a test run a competing writer between
 * another writer's read and its write.
 */
public final class FakeDynamoDb implements DynamoDbClient {
    static final int MAX_ITEM_BYTES = 400 * 1024;
    static final int MAX_PAGE_BYTES = 1024 * 1024;
    private static final String PK = "identifier";
    private static final String SK = "database";
    private final String table;
    private final TreeMap<String, Map<String, AttributeValue>> items = new TreeMap<>();
    /** Key to the item as it was before its last write (null value: absent), seen once by a non-consistent read. */
    private final Map<String, Map<String, AttributeValue>> stale = new HashMap<>();
    private int throttleNext;
    private Runnable beforeNextPut;

    public FakeDynamoDb(String table) {
        this.table = table;
    }

    /** The next {@code count} calls fail with ProvisionedThroughputExceededException. */
    public synchronized void throttleNextCalls(int count) {
        throttleNext = count;
    }

    /** Runs {@code competitor} once, inside the next PutItem, before its condition is evaluated. */
    public synchronized void beforeNextPut(Runnable competitor) {
        beforeNextPut = competitor;
    }

    public synchronized int size() {
        return items.size();
    }

    @Override
    public synchronized GetItemResponse getItem(GetItemRequest request) {
        check(request.tableName());
        String key = key(request.key());
        Map<String, AttributeValue> item = view(key, Boolean.TRUE.equals(request.consistentRead()));
        return item == null ? GetItemResponse.builder().build() : GetItemResponse.builder().item(item).build();
    }

    @Override
    public synchronized PutItemResponse putItem(PutItemRequest request) {
        check(request.tableName());
        Runnable competitor = beforeNextPut;
        beforeNextPut = null;
        if (competitor != null) {
            competitor.run();
        }
        Map<String, AttributeValue> item = request.item();
        if (!item.containsKey(PK) || !item.containsKey(SK)) {
            throw validation("One of the required keys was not given a value");
        }
        if (itemBytes(item) > MAX_ITEM_BYTES) {
            throw validation("Item size has exceeded the maximum allowed size");
        }
        String key = key(item);
        Map<String, AttributeValue> existing = items.get(key);
        if (request.conditionExpression() != null
                && !holds(request.conditionExpression(), existing, request.expressionAttributeNames(),
                        request.expressionAttributeValues())) {
            throw ConditionalCheckFailedException.builder().message("The conditional request failed")
                    .awsErrorDetails(details("ConditionalCheckFailedException", "The conditional request failed"))
                    .statusCode(400).build();
        }
        stale.put(key, existing);
        items.put(key, Map.copyOf(item));
        return PutItemResponse.builder().build();
    }

    @Override
    public synchronized DeleteItemResponse deleteItem(DeleteItemRequest request) {
        check(request.tableName());
        String key = key(request.key());
        Map<String, AttributeValue> old = items.remove(key);
        if (old != null) {
            stale.put(key, old);
        }
        boolean all = "ALL_OLD".equals(request.returnValuesAsString());
        return all && old != null ? DeleteItemResponse.builder().attributes(old).build()
                : DeleteItemResponse.builder().build();
    }

    @Override
    public synchronized ScanResponse scan(ScanRequest request) {
        check(request.tableName());
        Page page = page(null, request.exclusiveStartKey(), Boolean.TRUE.equals(request.consistentRead()));
        ScanResponse.Builder response = ScanResponse.builder().items(page.items).count(page.items.size());
        return page.last == null ? response.build() : response.lastEvaluatedKey(page.last).build();
    }

    @Override
    public synchronized QueryResponse query(QueryRequest request) {
        check(request.tableName());
        if (!"#k = :k".equals(request.keyConditionExpression())
                || !PK.equals(request.expressionAttributeNames().get("#k"))) {
            throw validation("this fake supports only the key condition #k = :k on " + PK);
        }
        String partition = request.expressionAttributeValues().get(":k").s();
        Page page = page(partition, request.exclusiveStartKey(), Boolean.TRUE.equals(request.consistentRead()));
        QueryResponse.Builder response = QueryResponse.builder().items(page.items).count(page.items.size());
        return page.last == null ? response.build() : response.lastEvaluatedKey(page.last).build();
    }

    private record Page(List<Map<String, AttributeValue>> items, Map<String, AttributeValue> last) {
    }

    private Page page(String partition, Map<String, AttributeValue> startKey, boolean consistent) {
        String after = startKey == null || startKey.isEmpty() ? null : key(startKey);
        List<String> keys = new ArrayList<>(items.keySet());
        stale.keySet().stream().filter(k -> !items.containsKey(k)).forEach(keys::add);
        keys.sort(null);
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        int bytes = 0;
        for (String key : keys) {
            if (after != null && key.compareTo(after) <= 0) {
                continue;
            }
            if (partition != null && !key.startsWith(partition + "\u0000")) {
                continue;
            }
            Map<String, AttributeValue> item = view(key, consistent);
            if (item == null) {
                continue;
            }
            if (bytes + itemBytes(item) > MAX_PAGE_BYTES) {
                Map<String, AttributeValue> last = out.get(out.size() - 1);
                return new Page(out, Map.of(PK, last.get(PK), SK, last.get(SK)));
            }
            bytes += itemBytes(item);
            out.add(item);
        }
        return new Page(out, null);
    }

    /** What a read sees: the current item, or for a non-consistent read, once, the item before its last write. */
    private Map<String, AttributeValue> view(String key, boolean consistent) {
        if (!consistent && stale.containsKey(key)) {
            return stale.remove(key);
        }
        return items.get(key);
    }

    private static boolean holds(String condition, Map<String, AttributeValue> existing, Map<String, String> names,
            Map<String, AttributeValue> values) {
        if ("attribute_not_exists(#k)".equals(condition)) {
            return existing == null || !existing.containsKey(names.get("#k"));
        }
        if ("#v = :v".equals(condition)) {
            return existing != null && values.get(":v").equals(existing.get(names.get("#v")));
        }
        throw validation("this fake does not support the condition " + condition);
    }

    private void check(String tableName) {
        if (throttleNext > 0) {
            throttleNext--;
            throw ProvisionedThroughputExceededException.builder().statusCode(400)
                    .message("The level of configured provisioned throughput for the table was exceeded.")
                    .awsErrorDetails(details("ProvisionedThroughputExceededException",
                            "The level of configured provisioned throughput for the table was exceeded.")).build();
        }
        if (!table.equals(tableName)) {
            throw ResourceNotFoundException.builder().statusCode(400)
                    .message("Requested resource not found: Table: " + tableName + " not found")
                    .awsErrorDetails(details("ResourceNotFoundException",
                            "Requested resource not found: Table: " + tableName + " not found")).build();
        }
    }

    /** Attribute names plus values in UTF-8 bytes, as DynamoDB counts an item's size (numbers approximated). */
    static int itemBytes(Map<String, AttributeValue> item) {
        int bytes = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            bytes += utf8(e.getKey()) + valueBytes(e.getValue());
        }
        return bytes;
    }

    private static int valueBytes(AttributeValue v) {
        if (v.s() != null) {
            return utf8(v.s());
        }
        if (v.n() != null) {
            return v.n().length();
        }
        if (v.hasL()) {
            return 3 + v.l().stream().mapToInt(x -> 1 + valueBytes(x)).sum();
        }
        return 1;
    }

    private static int utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    private static String key(Map<String, AttributeValue> key) {
        return key.get(PK).s() + "\u0000" + key.get(SK).s();
    }

    private static DynamoDbException validation(String message) {
        return (DynamoDbException) DynamoDbException.builder().statusCode(400).message(message)
                .awsErrorDetails(details("ValidationException", message)).build();
    }

    private static AwsErrorDetails details(String code, String message) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("DynamoDb").build();
    }

    @Override
    public String serviceName() {
        return "dynamodb";
    }

    @Override
    public void close() {
    }
}
