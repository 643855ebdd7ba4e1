package io.cdcenabler.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

class FakeDynamoDbTest {
    private static final String TABLE = "t";
    private final FakeDynamoDb db = new FakeDynamoDb(TABLE);

    private static Map<String, AttributeValue> item(String id, String value) {
        return Map.of("identifier", AttributeValue.fromS(id), "database", AttributeValue.fromS("app"),
                "value", AttributeValue.fromS(value), "version", AttributeValue.fromN("1"));
    }

    private static Map<String, AttributeValue> key(String id) {
        return Map.of("identifier", AttributeValue.fromS(id), "database", AttributeValue.fromS("app"));
    }

    @Test
    void itemOver400Kb_isAValidationException() {
        assertThatThrownBy(() -> db.putItem(r -> r.tableName(TABLE).item(item("a", "x".repeat(400 * 1024)))))
                .isInstanceOf(DynamoDbException.class).hasMessageContaining("Item size has exceeded")
                .satisfies(e -> assertThat(((DynamoDbException) e).awsErrorDetails().errorCode())
                        .isEqualTo("ValidationException"));
        db.putItem(r -> r.tableName(TABLE).item(item("a", "x".repeat(399 * 1024))));
        assertThat(db.size()).isEqualTo(1);
    }

    @Test
    void scanPages_areAtMostOneMegabyte() {
        for (int i = 0; i < 5; i++) {
            String id = "id" + i;
            db.putItem(r -> r.tableName(TABLE).item(item(id, "x".repeat(300 * 1024))));
        }
        ScanResponse first = db.scan(r -> r.tableName(TABLE).consistentRead(true));
        assertThat(first.items()).hasSize(3);
        assertThat(first.lastEvaluatedKey()).isEqualTo(key("id2"));
        ScanResponse second = db.scan(r -> r.tableName(TABLE).consistentRead(true)
                .exclusiveStartKey(first.lastEvaluatedKey()));
        assertThat(second.items()).hasSize(2);
        assertThat(second.hasLastEvaluatedKey()).isFalse();
    }

    @Test
    void eventuallyConsistentReads_seeAWriteOneReadLater_consistentReadsAtOnce() {
        db.putItem(r -> r.tableName(TABLE).item(item("a", "one")));
        assertThat(db.getItem(r -> r.tableName(TABLE).key(key("a"))).hasItem()).isFalse();
        assertThat(db.getItem(r -> r.tableName(TABLE).key(key("a"))).item().get("value").s()).isEqualTo("one");

        db.putItem(r -> r.tableName(TABLE).item(item("a", "two")));
        assertThat(db.getItem(r -> r.tableName(TABLE).key(key("a")).consistentRead(true)).item().get("value").s())
                .isEqualTo("two");
        assertThat(db.scan(r -> r.tableName(TABLE)).items().get(0).get("value").s()).isEqualTo("one");
        assertThat(db.scan(r -> r.tableName(TABLE)).items().get(0).get("value").s()).isEqualTo("two");
    }

    @Test
    void conditions_attributeNotExistsAndVersionEquals() {
        db.putItem(r -> r.tableName(TABLE).item(item("a", "one")).conditionExpression("attribute_not_exists(#k)")
                .expressionAttributeNames(Map.of("#k", "identifier")));
        assertThatThrownBy(() -> db.putItem(r -> r.tableName(TABLE).item(item("a", "two"))
                .conditionExpression("attribute_not_exists(#k)").expressionAttributeNames(Map.of("#k", "identifier"))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        assertThatThrownBy(() -> db.putItem(r -> r.tableName(TABLE).item(item("a", "two"))
                .conditionExpression("#v = :v").expressionAttributeNames(Map.of("#v", "version"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("7")))))
                .isInstanceOf(ConditionalCheckFailedException.class);
        db.putItem(r -> r.tableName(TABLE).item(item("a", "two")).conditionExpression("#v = :v")
                .expressionAttributeNames(Map.of("#v", "version"))
                .expressionAttributeValues(Map.of(":v", AttributeValue.fromN("1"))));
        assertThat(db.getItem(r -> r.tableName(TABLE).key(key("a")).consistentRead(true)).item().get("value").s())
                .isEqualTo("two");
    }

    @Test
    void anotherTable_isResourceNotFound() {
        assertThatThrownBy(() -> db.getItem(r -> r.tableName("other").key(key("a"))))
                .isInstanceOf(ResourceNotFoundException.class).hasMessageContaining("other");
    }

    @Test
    void injectedThrottling_failsTheNextCallsOnly() {
        db.throttleNextCalls(2);
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> db.scan(r -> r.tableName(TABLE)))
                    .isInstanceOf(ProvisionedThroughputExceededException.class);
        }
        assertThat(db.scan(r -> r.tableName(TABLE)).items()).isEmpty();
    }

    @Test
    void query_readsOnePartition() {
        db.putItem(r -> r.tableName(TABLE).item(item("a", "one")));
        db.putItem(r -> r.tableName(TABLE).item(item("b", "two")));
        assertThat(db.query(r -> r.tableName(TABLE).consistentRead(true).keyConditionExpression("#k = :k")
                .expressionAttributeNames(Map.of("#k", "identifier"))
                .expressionAttributeValues(Map.of(":k", AttributeValue.fromS("b")))).items())
                .singleElement().satisfies(i -> assertThat(i.get("value").s()).isEqualTo("two"));
    }
}
