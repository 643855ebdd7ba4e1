package io.cdcenabler.infra;

import io.cdcenabler.contract.ResourceNames;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.BillingMode;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.dynamodb.TableEncryption;
import software.constructs.Construct;

/**
 * The enrolment registry: one DynamoDB table named {@value ResourceNames#REGISTRY_TABLE_NAME} (the name the IAM
 * grants of {@code StepPermissions.Scope.REGISTRY_TABLE} and the CLI's {@code status} use), keyed by the target's
 * identifier and the database. On demand (a reconciliation reads it once a day; a fleet's enrolment writes a burst),
 * point-in-time recovery, deletion protection, and RETAIN: deleting the stack must never forget what is enrolled.
 */
public final class RegistryTable extends Construct {
    /** The key attributes, as functions' {@code registry.EnrolmentItem} writes them. */
    public static final String PARTITION_KEY = "identifier";
    public static final String SORT_KEY = "database";

    private final Table table;

    public RegistryTable(Construct scope, String id) {
        super(scope, id);
        table = Table.Builder.create(this, "Table")
                .tableName(ResourceNames.REGISTRY_TABLE_NAME)
                .partitionKey(Attribute.builder().name(PARTITION_KEY).type(AttributeType.STRING).build())
                .sortKey(Attribute.builder().name(SORT_KEY).type(AttributeType.STRING).build())
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .pointInTimeRecoverySpecification(PointInTimeRecoverySpecification.builder()
                        .pointInTimeRecoveryEnabled(true).build())
                .deletionProtection(true)
                .encryption(TableEncryption.AWS_MANAGED)
                .removalPolicy(RemovalPolicy.RETAIN)
                .build();
    }

    public String tableName() {
        return table.getTableName();
    }

    public Table table() {
        return table;
    }
}
