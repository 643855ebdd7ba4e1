package io.cdcenabler.infra;

import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The reconcile state machine (Standard, from statemachine/reconcile.asl.json): its four functions' aliases fill the
 * {@code ${<Step>FunctionArn}} placeholders and the enrolment machine's ARN {@value #ENROLMENT_PLACEHOLDER}. Its role
 * may invoke those aliases, start the enrolment machine (startExecution.sync:2 and fire-and-forget) and run its own
 * Distributed Map; {@link ReconcileTriggers} starts it on a schedule and for drift events.
 */
public final class Reconciliation extends Construct {
    /** The placeholder of the enrolment state machine's ARN in the reconcile definition. */
    public static final String ENROLMENT_PLACEHOLDER = "EnrolmentStateMachineArn";
    /** The managed rule Step Functions keeps for .sync executions of other state machines. */
    public static final String SYNC_RULE = "StepFunctionsGetEventsForStepFunctionsExecutionRule";

    /**
     * What the reconcile machine is wired to.
     *
     * @param definition the reconcile ASL
     * @param aliases the live aliases of the reconcile workflow's functions
     * @param enrolment the enrolment state machine the repairs run
     * @param logRetention the retention of the machine's log group
     */
    public record Inputs(StateMachineDefinition definition, Map<WorkflowStep, Alias> aliases, StateMachine enrolment,
                         RetentionDays logRetention) {
    }

    private final StateMachine machine;
    private final String name;

    public Reconciliation(Construct scope, String id, Inputs inputs) {
        super(scope, id);
        Stack stack = Stack.of(this);
        // A fixed name: the role's Distributed Map grants name the machine's own ARNs, which a generated name (known
        // only after creation) would make a circular dependency.
        name = stack.getStackName() + "-Reconcile";
        Map<String, String> substitutions = new LinkedHashMap<>();
        inputs.aliases().forEach((step, alias) -> substitutions.put(step.placeholder(), alias.getFunctionArn()));
        substitutions.put(ENROLMENT_PLACEHOLDER, inputs.enrolment().getStateMachineArn());
        inputs.definition().requireSubstitutions("reconcile", substitutions);

        LogGroup logGroup = LogGroup.Builder.create(this, "Logs")
                .logGroupName(CdcEnablerStack.STATE_MACHINE_LOG_PREFIX + name + "-" + getNode().getAddr()
                        .substring(0, 8))
                .retention(inputs.logRetention())
                .build();
        machine = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineName(name)
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromString(inputs.definition().json()))
                .definitionSubstitutions(substitutions)
                // Like the enrolment machine: states carry identifiers and secret ARNs, never secret values.
                .logs(LogOptions.builder().destination(logGroup).level(LogLevel.ALL).includeExecutionData(true)
                        .build())
                .tracingEnabled(true)
                .build();
        inputs.aliases().values().forEach(alias -> alias.grantInvoke(machine));
        String enrolmentName = inputs.enrolment().getStateMachineName();
        enrolmentGrants(inputs.enrolment().getStateMachineArn(), enrolmentName).forEach(machine::addToRolePolicy);
        distributedMapGrants().forEach(machine::addToRolePolicy);
        suppressFindings(stack, inputs.enrolment());
    }

    public StateMachine stateMachine() {
        return machine;
    }

    /** The machine's fixed name: {@code <stack name>-Reconcile}. */
    public String name() {
        return name;
    }

    /**
     * The Step Functions Developer Guide's policy for startExecution.sync:2 ("IAM policies for AWS Step Functions",
     * Synchronous), which also covers the fire-and-forget startExecution of a reboot-in-window run.
     */
    private List<PolicyStatement> enrolmentGrants(String enrolmentArn, String enrolmentName) {
        return List.of(
                allow(List.of("states:StartExecution"), List.of(enrolmentArn)),
                allow(List.of("states:DescribeExecution", "states:StopExecution"),
                        List.of(states("execution", enrolmentName + ":*"))),
                allow(List.of("events:PutTargets", "events:PutRule", "events:DescribeRule"),
                        List.of(Stack.of(this).formatArn(ArnComponents.builder().service("events").resource("rule")
                                .resourceName(SYNC_RULE).arnFormat(ArnFormat.SLASH_RESOURCE_NAME).build()))));
    }

    /**
     * "IAM policies for using Distributed Map states": start child executions of itself, describe and stop them
     * (named {@code <machine>/<map run>:<id>}; its own executions {@code <machine>:<id>}), and read or update its map
     * runs ({@code mapRun:<machine>/<label>:<id>}).
     */
    private List<PolicyStatement> distributedMapGrants() {
        return List.of(
                allow(List.of("states:StartExecution"), List.of(states("stateMachine", name))),
                allow(List.of("states:DescribeExecution", "states:StopExecution"),
                        List.of(states("execution", name + ":*"), states("execution", name + "/*"))),
                allow(List.of("states:DescribeMapRun", "states:ListMapRuns", "states:UpdateMapRun"),
                        List.of(states("mapRun", name + "/*"))));
    }

    private void suppressFindings(Stack stack, StateMachine enrolment) {
        String enrolmentId = stack.getLogicalId((CfnElement) enrolment.getNode().getDefaultChild());
        String states = "Resource::arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:";
        NagSuppressions.addResourceSuppressions(machine.getRole(), List.of(
                suppression("Step Functions log delivery (logs:*LogDelivery, logs:DescribeResourcePolicies, ...) and "
                        + "X-Ray (xray:PutTraceSegments, ...) support no resource-level permissions: CDK grants them "
                        + "on *. Lambda invocation is granted on the reconciliation's aliases only.",
                        List.of("Resource::*")),
                suppression("Execution names are chosen at run time (a repair per target, a reboot-in-window run per "
                        + "target and day, the Distributed Map's child executions and map runs): Describe and Stop "
                        + "are limited to the executions of the enrolment machine and of this machine itself, and "
                        + "the map-run actions to this machine's map runs, as the Step Functions Developer Guide's "
                        + "policies for startExecution.sync:2 and Distributed Map give them.",
                        List.of(states + "execution:<" + enrolmentId + ".Name>:*",
                                states + "execution:" + name + ":*", states + "execution:" + name + "/*",
                                states + "mapRun:" + name + "/*"))), true);
    }

    private String states(String resource, String resourceName) {
        return Stack.of(this).formatArn(ArnComponents.builder().service("states").resource(resource)
                .resourceName(resourceName).arnFormat(ArnFormat.COLON_RESOURCE_NAME).build());
    }

    private static NagPackSuppression suppression(String reason, List<String> appliesTo) {
        return NagPackSuppression.builder().id("AwsSolutions-IAM5").reason(reason).appliesTo(appliesTo).build();
    }

    private static PolicyStatement allow(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().actions(actions).resources(resources).build();
    }
}
