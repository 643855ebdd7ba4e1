package io.cdcenabler.infra;

import static io.cdcenabler.infra.CloudFormation.map;
import static io.cdcenabler.infra.CloudFormation.properties;
import static io.cdcenabler.infra.CloudFormation.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class RegistryTableTest {
    private static Template template;

    @BeforeAll
    static void synthesize() {
        template = Template.fromStack(TestStacks.synthesize("registry", TestStacks.requiredContext()));
    }

    @Test
    void theRegistry_isOneOnDemandTable_keyedByIdentifierAndDatabase_recoverable_andKeptWhenTheStackGoes() {
        Map<String, Map<String, Object>> tables = template.findResources("AWS::DynamoDB::Table");
        assertThat(tables).hasSize(1);
        Map<String, Object> resource = tables.values().iterator().next();
        Map<String, Object> table = properties(resource);

        assertThat(table.get("TableName")).isEqualTo("cdc-enabler-registry");
        assertThat(table.get("BillingMode")).isEqualTo("PAY_PER_REQUEST");
        assertThat(table.get("KeySchema")).isEqualTo(List.of(
                Map.of("AttributeName", "identifier", "KeyType", "HASH"),
                Map.of("AttributeName", "database", "KeyType", "RANGE")));
        assertThat(map(table.get("PointInTimeRecoverySpecification")).get("PointInTimeRecoveryEnabled"))
                .isEqualTo(true);
        assertThat(table.get("DeletionProtectionEnabled")).isEqualTo(true);
        assertThat(resource.get("DeletionPolicy")).isEqualTo("Retain");
        assertThat(resource.get("UpdateReplacePolicy")).isEqualTo("Retain");
    }

    @Test
    void onlyTheStepsThatUseTheRegistry_areToldTheTableName() {
        String table = template.findResources("AWS::DynamoDB::Table").keySet().iterator().next();
        for (Map<String, Object> function : template.findResources("AWS::Lambda::Function").values()) {
            Map<String, Object> variables = map(map(properties(function).get("Environment")).get("Variables"));
            String handler = (String) properties(function).get("Handler");
            if (handler.contains("RecordEnrolmentHandler") || handler.contains("ResolveTargetsHandler")
                    || handler.contains("CheckDriftHandler") || handler.contains("RecordResultHandler")) {
                assertThat(render(variables.get("CDC_REGISTRY_TABLE"))).isEqualTo("${" + table + "}");
            } else {
                assertThat(variables).as(handler).doesNotContainKey("CDC_REGISTRY_TABLE");
            }
        }
        assertThat(template.findOutputs("RegistryTableName")).hasSize(1);
    }
}
