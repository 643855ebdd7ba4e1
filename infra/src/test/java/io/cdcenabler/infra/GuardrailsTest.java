package io.cdcenabler.infra;

import static io.cdcenabler.infra.CloudFormation.list;
import static io.cdcenabler.infra.CloudFormation.map;
import static io.cdcenabler.infra.CloudFormation.properties;
import static io.cdcenabler.infra.CloudFormation.render;
import static io.cdcenabler.infra.CloudFormation.strings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

class GuardrailsTest {
    private static Template withEmail;
    private static Template withoutEmail;

    @BeforeAll
    static void synthesize() {
        Map<String, Object> context = TestStacks.requiredContext();
        context.put(GuardrailsConfig.ALARM_EMAIL, "oncall@example.com");
        withEmail = Template.fromStack(TestStacks.synthesize("guardrails", context));
        withoutEmail = Template.fromStack(TestStacks.synthesize("guardrails-no-email", TestStacks.requiredContext()));
    }

    private static Map<String, Object> only(Template template, String type) {
        Map<String, Map<String, Object>> resources = template.findResources(type);
        assertThat(resources).hasSize(1);
        return resources.values().iterator().next();
    }

    @Test
    void topic_isEncryptedWithARotatedCustomerKeyThatCloudWatchMayUse() {
        Map<String, Object> topic = properties(only(withEmail, "AWS::SNS::Topic"));
        Map<String, Object> key = properties(only(withEmail, "AWS::KMS::Key"));

        assertThat(render(topic.get("KmsMasterKeyId"))).startsWith("${GuardrailsAlarmTopicKey").endsWith(".Arn}");
        assertThat(topic).doesNotContainKey("TopicName");
        assertThat(key.get("EnableKeyRotation")).isEqualTo(true);
        assertThat(statements(map(key.get("KeyPolicy")))).anySatisfy(statement -> {
            assertThat(render(map(statement.get("Principal")).get("Service"))).isEqualTo("cloudwatch.amazonaws.com");
            assertThat(strings(statement.get("Action"))).containsExactlyInAnyOrder("kms:Decrypt", "kms:GenerateDataKey*");
            assertThat(render(map(map(statement.get("Condition")).get("ArnLike")).get("aws:SourceArn")))
                    .endsWith(":alarm:cdc-enabler/*");
        });
    }

    @Test
    void topicPolicy_deniesPlainHttpAndLetsOnlyOurAlarmsPublish() {
        List<Map<String, Object>> statements =
                statements(map(properties(only(withEmail, "AWS::SNS::TopicPolicy")).get("PolicyDocument")));

        assertThat(statements).anySatisfy(statement -> {
            assertThat(statement.get("Effect")).isEqualTo("Deny");
            assertThat(map(map(statement.get("Condition")).get("Bool"))).containsEntry("aws:SecureTransport", "false");
        });
        assertThat(statements).anySatisfy(statement -> {
            assertThat(statement.get("Effect")).isEqualTo("Allow");
            assertThat(strings(statement.get("Action"))).containsExactly("sns:Publish");
            assertThat(render(map(statement.get("Principal")).get("Service"))).isEqualTo("cloudwatch.amazonaws.com");
            assertThat(render(map(map(statement.get("Condition")).get("ArnLike")).get("aws:SourceArn")))
                    .isEqualTo("arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:cdc-enabler/*");
        });
    }

    @Test
    void emailFromContext_becomesAnEmailSubscription_andNoneWithoutIt() {
        Map<String, Object> subscription = properties(only(withEmail, "AWS::SNS::Subscription"));

        assertThat(subscription).containsEntry("Protocol", "email").containsEntry("Endpoint", "oncall@example.com");
        assertThat(withoutEmail.findResources("AWS::SNS::Subscription")).isEmpty();
        assertThat(withoutEmail.findResources("AWS::SNS::Topic")).hasSize(1);
    }

    @Test
    void badEmail_isAnInvalidContextErrorNamingTheKey() {
        for (String bad : List.of("oncall", "a@b", "two@example.com,three@example.com", "me @example.com")) {
            Map<String, Object> context = TestStacks.requiredContext();
            context.put(GuardrailsConfig.ALARM_EMAIL, bad);
            assertThatThrownBy(() -> TestStacks.synthesize("bad-email", context))
                    .isInstanceOf(InvalidContextException.class)
                    .hasMessageContaining("alarmEmail")
                    .hasMessageContaining(bad);
        }
        assertThatThrownBy(() -> GuardrailsConfig.fromContext(key -> 42))
                .isInstanceOf(InvalidContextException.class).hasMessageStartingWith("alarmEmail:");
    }

    @Test
    void output_exportsTheTopicArn() {
        assertThat(withEmail.findOutputs("*").keySet()).anyMatch(id -> id.contains("AlarmTopicArn"));
    }

    @Test
    void dashboard_searchesEveryInstanceAndAuroraWriterForTheFourMetrics_besideTheWorkflowMetrics() throws Exception {
        Map<String, Object> dashboard = properties(only(withEmail, "AWS::CloudWatch::Dashboard"));
        assertThat(dashboard).doesNotContainKey("DashboardName");
        JsonNode body = new ObjectMapper().readTree(render(dashboard.get("DashboardBody")));

        List<String> expressions = new ArrayList<>();
        List<String> stateMachineMetrics = new ArrayList<>();
        for (JsonNode widget : body.get("widgets")) {
            JsonNode metrics = widget.path("properties").path("metrics");
            for (JsonNode metric : metrics) {
                JsonNode last = metric.get(metric.size() - 1);
                if (last.has("expression")) {
                    expressions.add(last.get("expression").asText());
                } else if ("AWS/States".equals(metric.get(0).asText())) {
                    stateMachineMetrics.add(metric.get(1).asText());
                    assertThat(metric.get(2).asText()).isEqualTo("StateMachineArn");
                    assertThat(metric.get(3).asText()).startsWith("${").contains("StateMachine");
                }
            }
        }

        assertThat(expressions).containsExactlyInAnyOrder(
                "SEARCH('{AWS/RDS,DBInstanceIdentifier} MetricName=\"ReplicationSlotDiskUsage\"', 'Maximum', 300)",
                "SEARCH('{AWS/RDS,DBClusterIdentifier,Role} Role=\"WRITER\" MetricName=\"ReplicationSlotDiskUsage\"', 'Maximum', 300)",
                "SEARCH('{AWS/RDS,DBInstanceIdentifier} MetricName=\"OldestReplicationSlotLag\"', 'Maximum', 300)",
                "SEARCH('{AWS/RDS,DBClusterIdentifier,Role} Role=\"WRITER\" MetricName=\"OldestReplicationSlotLag\"', 'Maximum', 300)",
                "SEARCH('{AWS/RDS,DBInstanceIdentifier} MetricName=\"TransactionLogsDiskUsage\"', 'Maximum', 300)",
                "SEARCH('{AWS/RDS,DBClusterIdentifier,Role} Role=\"WRITER\" MetricName=\"TransactionLogsDiskUsage\"', 'Maximum', 300)",
                "SEARCH('{AWS/RDS,DBInstanceIdentifier} MetricName=\"FreeStorageSpace\"', 'Minimum', 300)");
        assertThat(stateMachineMetrics).containsExactlyInAnyOrder(
                "ExecutionsStarted", "ExecutionsSucceeded", "ExecutionsFailed", "ExecutionsTimedOut",
                "ExecutionsAborted");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> statements(Map<String, Object> policy) {
        return list(policy.get("Statement")).stream().map(s -> (Map<String, Object>) s).toList();
    }
}
