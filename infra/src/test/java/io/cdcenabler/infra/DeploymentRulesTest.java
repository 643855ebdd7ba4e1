package io.cdcenabler.infra;

import static io.cdcenabler.infra.CloudFormation.map;
import static io.cdcenabler.infra.CloudFormation.properties;
import static io.cdcenabler.infra.CloudFormation.render;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Template;

/** Deployment rules from AWS's documentation: vended log group, SnapStart Regions, the execution history's limit. */
class DeploymentRulesTest {
    private static Template template;

    @BeforeAll
    static void synthesize() {
        template = Template.fromStack(TestStacks.synthesize("deployment-rules", TestStacks.requiredContext()));
    }

    @Test
    void stateMachineLogGroup_isUnderVendedLogsStates_andNotAFixedName() {
        Map<String, Object> machine = properties(template.findResources("AWS::StepFunctions::StateMachine").values()
                .iterator().next());
        String logGroupArn = render(map(map(CloudFormation.list(map(machine.get("LoggingConfiguration"))
                .get("Destinations")).get(0)).get("CloudWatchLogsLogGroup")).get("LogGroupArn"));
        String logGroupId = logGroupArn.substring(2, logGroupArn.indexOf('.'));

        String name = render(properties(template.findResources("AWS::Logs::LogGroup").get(logGroupId))
                .get("LogGroupName"));
        assertThat(name).startsWith(CdcEnablerStack.STATE_MACHINE_LOG_PREFIX + CdcEnablerApp.STACK_ID + "-")
                .matches("/aws/vendedlogs/states/[A-Za-z0-9-]+-[0-9a-f]{8}");
    }

    @Test
    void aRegionWithoutSnapStart_isAClearErrorAtSynth() {
        for (String region : CdcEnablerConfig.REGIONS_WITHOUT_SNAPSTART) {
            Map<String, Object> context = TestStacks.requiredContext();
            context.put(CdcEnablerConfig.REGION, region);

            assertThatThrownBy(() -> TestStacks.synthesize("no-snapstart-" + region, context))
                    .isInstanceOf(InvalidContextException.class)
                    .hasMessageContaining("region is " + region).hasMessageContaining("SnapStart");
        }
    }

    @Test
    void aRegionWithSnapStart_synthesizesForThatRegion() {
        Map<String, Object> context = TestStacks.requiredContext();
        context.put(CdcEnablerConfig.REGION, "eu-west-1");

        assertThat(TestStacks.synthesize("eu-west-1", context).getRegion()).isEqualTo("eu-west-1");
    }

    @Test
    void anEnvironmentAgnosticTemplate_refusesToDeployInARegionWithoutSnapStart() {
        Map<String, Object> rules = map(template.toJSON().get("Rules"));

        String rule = rules.toString();
        assertThat(rule).contains("Fn::Not", "Fn::Contains", "AWS::Region");
        CdcEnablerConfig.REGIONS_WITHOUT_SNAPSTART.forEach(region -> assertThat(rule).contains(region));
    }

    @Test
    void waitSecondsAndTimeout_beyondTheExecutionHistory_areRefusedNamingBoth() {
        Map<String, Object> context = TestStacks.requiredContext();
        context.put(CdcEnablerConfig.WAIT_SECONDS, 5);
        context.put(CdcEnablerConfig.WAIT_TIMEOUT_MINUTES, 10080);

        assertThatThrownBy(() -> CdcEnablerConfig.fromContext(context::get))
                .isInstanceOf(InvalidContextException.class)
                .hasMessageContaining("waitTimeoutMinutes=10080").hasMessageContaining("waitSeconds=5")
                .hasMessageContaining("25000-event history");
        context.put(CdcEnablerConfig.WAIT_SECONDS, 3600);
        assertThat(CdcEnablerConfig.fromContext(context::get).waitTimeoutMinutes()).isEqualTo(10080);
        assertThat(List.of(CdcEnablerConfig.MAX_STATUS_CHECKS)).containsExactly(2666);
    }
}
