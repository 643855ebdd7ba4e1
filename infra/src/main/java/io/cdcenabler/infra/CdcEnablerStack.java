package io.cdcenabler.infra;

import io.cdcenabler.contract.EnvironmentVariables;
import io.cdcenabler.contract.RdsEvents;
import io.cdcenabler.contract.TaskState;
import io.github.cdklabs.cdknag.NagPackSuppression;
import io.github.cdklabs.cdknag.NagSuppressions;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnRule;
import software.amazon.awscdk.CfnRuleAssertion;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.Token;
import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SecurityGroupImportOptions;
import software.amazon.awscdk.services.ec2.Subnet;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.SfnStateMachine;
import software.amazon.awscdk.services.events.targets.SfnStateMachineProps;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.Alias;
import software.amazon.awscdk.services.lambda.Architecture;
import software.amazon.awscdk.services.lambda.Code;
import software.amazon.awscdk.services.lambda.Function;
import software.amazon.awscdk.services.lambda.Runtime;
import software.amazon.awscdk.services.lambda.SnapStartConf;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.stepfunctions.DefinitionBody;
import software.amazon.awscdk.services.stepfunctions.LogLevel;
import software.amazon.awscdk.services.stepfunctions.LogOptions;
import software.amazon.awscdk.services.stepfunctions.StateMachine;
import software.amazon.awscdk.services.sqs.Queue;
import software.amazon.awscdk.services.sqs.QueueEncryption;
import software.amazon.awscdk.services.stepfunctions.StateMachineType;
import software.constructs.Construct;

/**
 * The cdc-enabler deployment: one Lambda per Task state (all from one jar, SnapStart on a published version behind
 * the alias {@value #ALIAS}), the Standard enrolment state machine built from its ASL file and the EventBridge rule
 * that starts it for new and restored RDS databases, and the reconcile state machine ({@link Reconciliation}) with
 * its schedule and drift-event rules ({@link ReconcileTriggers}). Each function has its own role that allows exactly
 * the API calls its handler makes.
 */
public final class CdcEnablerStack extends Stack {
    /** The alias the state machine invokes: SnapStart applies to published versions only. */
    public static final String ALIAS = "live";
    /** The prefix Step Functions' documentation gives for state machine log groups (vended logs). */
    public static final String STATE_MACHINE_LOG_PREFIX = "/aws/vendedlogs/states/";
    /** The RDS events DescribeTarget handles, which the rule matches. */
    public static final List<String> RDS_EVENT_IDS = RdsEvents.HANDLED_EVENT_IDS;
    public static final List<String> RDS_DETAIL_TYPES = RdsEvents.DETAIL_TYPES;

    /** The steps whose handlers read or write the enrolment registry, and so are told its table name. */
    public static final Set<WorkflowStep> REGISTRY_STEPS = Set.of(WorkflowStep.RECORD_ENROLMENT,
            WorkflowStep.RESOLVE_TARGETS, WorkflowStep.CHECK_DRIFT, WorkflowStep.RECORD_RESULT);

    private static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    private final CdcEnablerConfig config;
    private final StepPolicies policies;
    private final Map<WorkflowStep, Alias> aliases = new EnumMap<>(WorkflowStep.class);
    private final Map<WorkflowStep, Function> functions = new EnumMap<>(WorkflowStep.class);

    public CdcEnablerStack(Construct scope, String id, StackProps props, CdcEnablerConfig config,
                           StateMachineDefinitions definitions) {
        super(scope, id, props);
        this.config = config;
        this.policies = new StepPolicies(this, config);

        Network network = network();
        Code code = Code.fromAsset(config.lambdaJar().toString());
        requireSnapStartRegion();
        for (WorkflowStep step : WorkflowStep.values()) {
            aliases.put(step, function(step, code, network));
        }

        RegistryTable registry = new RegistryTable(this, "Registry");
        for (WorkflowStep step : REGISTRY_STEPS) {
            functions.get(step).addEnvironment(EnvironmentVariables.REGISTRY_TABLE, registry.tableName());
        }
        CfnOutput.Builder.create(this, "RegistryTableName")
                .description("The enrolment registry (cdc-enabler status reads it)")
                .value(registry.tableName())
                .build();

        StateMachine stateMachine = stateMachine(definitions.enrolment());
        rdsEventRule(stateMachine);
        reconciliation(definitions.reconcile(), stateMachine);
        Guardrails guardrails = new Guardrails(this, "Guardrails", stateMachine,
                GuardrailsConfig.fromContext(getNode()::tryGetContext));
        // The alarms EnsureAlarms creates notify the guardrail topic (the function only names it; CloudWatch publishes).
        functions.get(WorkflowStep.ENSURE_ALARMS).addEnvironment(EnvironmentVariables.ALARM_TOPIC_ARN,
                guardrails.topic().getTopicArn());
        CfnOutput.Builder.create(this, "StateMachineArn")
                .description("Start an execution with the manual JSON input, or let RDS events start it")
                .value(stateMachine.getStateMachineArn())
                .build();
    }

    /** Where Provision and Verify run: the database's VPC, the given subnets and security group. */
    private record Network(IVpc vpc, List<ISubnet> subnets, ISecurityGroup securityGroup) {
    }

    private Network network() {
        IVpc vpc = Vpc.fromVpcAttributes(this, "DatabaseVpc", VpcAttributes.builder()
                .vpcId(config.vpcId())
                .availabilityZones(config.availabilityZones().isEmpty() ? getAvailabilityZones()
                        : config.availabilityZones())
                .build());
        List<ISubnet> subnets = new ArrayList<>();
        for (String subnetId : config.subnetIds()) {
            ISubnet subnet = Subnet.fromSubnetId(this, "Subnet-" + subnetId, subnetId);
            Annotations.of(subnet).acknowledgeWarning("@aws-cdk/aws-ec2:noSubnetRouteTableId",
                    "Only the subnet ID is used (the Lambda VpcConfig); nothing reads its route table");
            subnets.add(subnet);
        }
        ISecurityGroup securityGroup = SecurityGroup.fromSecurityGroupId(this, "FunctionSecurityGroup",
                config.securityGroupId(), SecurityGroupImportOptions.builder().mutable(false).build());
        return new Network(vpc, subnets, securityGroup);
    }

    /** The EventBridge rule that starts the state machine for new and restored databases, with its dead letters. */
    private void rdsEventRule(StateMachine stateMachine) {
        Rule rule = Rule.Builder.create(this, "RdsDatabaseCreatedRule")
                .description("Starts cdc-enabler for RDS DB instances and clusters that were created or restored")
                .eventPattern(EventPattern.builder()
                        .source(List.of(RdsEvents.SOURCE))
                        .detailType(RDS_DETAIL_TYPES)
                        .detail(Map.of("EventID", RDS_EVENT_IDS))
                        .build())
                .build();
        // EventBridge retries StartExecution for up to 24 h; an event it still cannot deliver (e.g. the role lost
        // states:StartExecution) lands here instead of being dropped, so a new database is not silently left out.
        Queue undelivered = Queue.Builder.create(this, "UndeliveredRdsEvents")
                .encryption(QueueEncryption.SQS_MANAGED)
                .enforceSsl(true)
                .retentionPeriod(Duration.days(14))
                .build();
        NagSuppressions.addResourceSuppressions(undelivered, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-SQS3")
                .reason("This queue is itself the dead-letter queue of the RDS event rule's target")
                .build()));
        rule.addTarget(new SfnStateMachine(stateMachine, SfnStateMachineProps.builder()
                .deadLetterQueue(undelivered)
                .retryAttempts(185)
                .maxEventAge(Duration.hours(24))
                .build()));
        CfnOutput.Builder.create(this, "UndeliveredEventsQueueUrl")
                .description("RDS events the rule could not deliver to the state machine (start those runs by hand)")
                .value(undelivered.getQueueUrl())
                .build();
    }

    private Alias function(WorkflowStep step, Code code, Network network) {
        String id = step.stateName();
        LogGroup logGroup = LogGroup.Builder.create(this, id + "Logs")
                .retention(config.logRetention())
                .build();
        Role role = Role.Builder.create(this, id + "Role")
                .assumedBy(new ServicePrincipal("lambda.amazonaws.com"))
                .description("cdc-enabler " + id + ": the API calls its handler makes, nothing else")
                .build();
        logGroup.grantWrite(role);
        policies.statements(step).forEach(role::addToPolicy);

        Function.Builder builder = Function.Builder.create(this, id)
                .description(step.description())
                .runtime(Runtime.JAVA_21)
                .architecture(Architecture.ARM_64)
                .snapStart(SnapStartConf.ON_PUBLISHED_VERSIONS)
                .code(code)
                .handler(step.handler())
                .memorySize(step.memoryMb())
                .timeout(step.timeout())
                .role(role)
                .logGroup(logGroup)
                .environment(environment(step));
        if (step.inVpc()) {
            builder.vpc(network.vpc())
                    .vpcSubnets(SubnetSelection.builder().subnets(network.subnets()).build())
                    .securityGroups(List.of(network.securityGroup()));
        }
        Function function = builder.build();
        functions.put(step, function);
        Annotations.of(function).acknowledgeWarning("@aws-cdk/aws-lambda:snapStartRequirePublish",
                "The function is published: the alias below points at its currentVersion");
        NagSuppressions.addResourceSuppressions(function, List.of(NagPackSuppression.builder()
                .id("AwsSolutions-L1")
                .reason("java21 is the LTS runtime chosen for the jar (Java 17 bytecode, SnapStart). The newer "
                        + "java25 runtime has not been tried with this jar's SnapStart priming yet, so moving to it "
                        + "is a deliberate upgrade after testing, not a side effect of a CDK update.")
                .build()));
        policies.suppressFindings(step, role);
        return Alias.Builder.create(this, id + "Alias")
                .aliasName(ALIAS)
                .version(function.getCurrentVersion())
                .build();
    }

    private Map<String, String> environment(WorkflowStep step) {
        Map<String, String> environment = new LinkedHashMap<>();
        environment.put("JAVA_TOOL_OPTIONS", JAVA_TOOL_OPTIONS);
        if (step == WorkflowStep.RESOLVE_TARGETS) {
            // Fleet enrolment ({"enrolTagged": true}) lists the targets that carry the opt-in tag.
            environment.put(EnvironmentVariables.OPT_IN_TAG_KEY, config.optInTagKey());
            environment.put(EnvironmentVariables.OPT_IN_TAG_VALUE, config.optInTagValue());
        }
        if (step == WorkflowStep.DESCRIBE_TARGET) {
            environment.put(EnvironmentVariables.OPT_IN_TAG_KEY, config.optInTagKey());
            environment.put(EnvironmentVariables.OPT_IN_TAG_VALUE, config.optInTagValue());
            environment.put(EnvironmentVariables.TRACKING_MODE, config.trackingMode());
            environment.put(EnvironmentVariables.SCHEMAS, String.join(",", config.schemas()));
            environment.put(EnvironmentVariables.PUBLICATION, config.publication());
            environment.put(EnvironmentVariables.REBOOT_POLICY, config.rebootPolicy());
            environment.put(EnvironmentVariables.WAIT_SECONDS, Integer.toString(config.waitSeconds()));
            environment.put(EnvironmentVariables.WAIT_TIMEOUT_MINUTES,
                    Integer.toString(config.waitTimeoutMinutes()));
            environment.put(EnvironmentVariables.MAX_SLOT_WAL_KEEP_SIZE, config.maxSlotWalKeepSize());
        }
        return environment;
    }

    /**
     * Every function uses SnapStart, which some Regions lack: a clear error at synth when the Region is known
     * (context {@code region}), and a template rule that stops the deployment before anything is created when it is
     * not (an environment-agnostic stack).
     */
    private void requireSnapStartRegion() {
        String region = getRegion();
        if (!Token.isUnresolved(region) && CdcEnablerConfig.REGIONS_WITHOUT_SNAPSTART.contains(region)) {
            throw new InvalidContextException("Region " + region + " has no Lambda SnapStart, which every "
                    + "function of this stack uses; deploy to another Region (none of "
                    + CdcEnablerConfig.REGIONS_WITHOUT_SNAPSTART + ")");
        }
        CfnRule.Builder.create(this, "SnapStartRegion").assertions(List.of(CfnRuleAssertion.builder()
                .assertValue(Fn.conditionNot(Fn.conditionContains(CdcEnablerConfig.REGIONS_WITHOUT_SNAPSTART,
                        Aws.REGION)))
                .assertDescription("cdc-enabler's functions use Lambda SnapStart, which is not available in "
                        + String.join(" and ", CdcEnablerConfig.REGIONS_WITHOUT_SNAPSTART) + "; deploy to another "
                        + "Region")
                .build())).build();
    }

    private StateMachine stateMachine(StateMachineDefinition definition) {
        Map<WorkflowStep, Alias> own = aliases(TaskState.Workflow.ENROLMENT);
        Map<String, String> substitutions = new LinkedHashMap<>();
        own.forEach((step, alias) -> substitutions.put(step.placeholder(), alias.getFunctionArn()));
        definition.requireSubstitutions("enrolment", substitutions);

        // Under /aws/vendedlogs/states/: Step Functions then need not add this log group to the account's CloudWatch
        // Logs resource policy (5,120 characters, shared by every vended log). The name is derived from the stack and
        // this construct's address, so stages do not collide and a replacement gets a new name.
        LogGroup logGroup = LogGroup.Builder.create(this, "StateMachineLogs")
                .logGroupName(STATE_MACHINE_LOG_PREFIX + getStackName() + "-" + getNode().getAddr().substring(0, 8))
                .retention(config.logRetention())
                .build();
        StateMachine machine = StateMachine.Builder.create(this, "StateMachine")
                .stateMachineType(StateMachineType.STANDARD)
                .definitionBody(DefinitionBody.fromString(definition.json()))
                .definitionSubstitutions(substitutions)
                // States carry secret ARNs and versions, never secret values (architecture.md), so the
                // execution data may be logged.
                .logs(LogOptions.builder().destination(logGroup).level(LogLevel.ALL).includeExecutionData(true)
                        .build())
                .tracingEnabled(true)
                .build();
        own.values().forEach(alias -> alias.grantInvoke(machine));
        NagSuppressions.addResourceSuppressions(machine.getRole(), List.of(NagPackSuppression.builder()
                .id("AwsSolutions-IAM5")
                .reason("Step Functions log delivery (logs:*LogDelivery, logs:DescribeResourcePolicies, ...) and "
                        + "X-Ray (xray:PutTraceSegments, ...) support no resource-level permissions: CDK grants them "
                        + "on *. Lambda invocation is granted on the workflow's aliases only.")
                .appliesTo(List.of("Resource::*"))
                .build()), true);
        return machine;
    }

    /** The functions' aliases of {@code workflow}'s Task states. */
    private Map<WorkflowStep, Alias> aliases(TaskState.Workflow workflow) {
        Map<WorkflowStep, Alias> own = new EnumMap<>(WorkflowStep.class);
        aliases.forEach((step, alias) -> {
            if (step.workflow() == workflow) {
                own.put(step, alias);
            }
        });
        return own;
    }

    /** The reconcile state machine, what starts it, and its output. */
    private void reconciliation(StateMachineDefinition definition, StateMachine enrolment) {
        Reconciliation reconciliation = new Reconciliation(this, "Reconcile", new Reconciliation.Inputs(definition,
                aliases(TaskState.Workflow.RECONCILE), enrolment, config.logRetention()));
        ReconcileTriggers triggers = new ReconcileTriggers(this, "ReconcileTriggers", reconciliation.stateMachine(),
                ReconcileConfig.fromContext(getNode()::tryGetContext));
        CfnOutput.Builder.create(this, "ReconcileStateMachineArn")
                .description("The reconciliation: runs daily and on drift events; start it by hand with input {}")
                .value(reconciliation.stateMachine().getStateMachineArn())
                .build();
        CfnOutput.Builder.create(this, "UndeliveredReconcileStartsQueueUrl")
                .description("Schedule runs and drift events that could not start the reconciliation")
                .value(triggers.undelivered().getQueueUrl())
                .build();
    }
}
