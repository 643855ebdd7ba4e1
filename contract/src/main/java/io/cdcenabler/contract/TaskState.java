package io.cdcenabler.contract;

import java.util.List;

/**
 * The Task states of the two workflows: the enrolment workflow and the reconciliation. Each is served by the Lambda
 * handler of the same name, which the stack deploys with a role that grants {@link StepPermissions#of} the state, and
 * nothing more.
 */
public enum TaskState {
    DESCRIBE_TARGET("DescribeTarget", Workflow.ENROLMENT),
    ENSURE_PARAMETER_GROUP("EnsureParameterGroup", Workflow.ENROLMENT),
    REBOOT("Reboot", Workflow.ENROLMENT),
    CHECK_STATUS("CheckStatus", Workflow.ENROLMENT),
    READ_CREDENTIALS("ReadCredentials", Workflow.ENROLMENT),
    PROVISION("Provision", Workflow.ENROLMENT),
    VERIFY("Verify", Workflow.ENROLMENT),
    ENSURE_ALARMS("EnsureAlarms", Workflow.ENROLMENT),
    RECORD_ENROLMENT("RecordEnrolment", Workflow.ENROLMENT),
    PREPARE_UPGRADE("PrepareUpgrade", Workflow.ENROLMENT),
    RESOLVE_TARGETS("ResolveTargets", Workflow.RECONCILE),
    CHECK_DRIFT("CheckDrift", Workflow.RECONCILE),
    RECORD_RESULT("RecordResult", Workflow.RECONCILE),
    SUMMARISE("Summarise", Workflow.RECONCILE);

    /** The state machines: statemachine/cdc-enabler.asl.json and statemachine/reconcile.asl.json. */
    public enum Workflow {
        ENROLMENT("cdc-enabler.asl.json"),
        RECONCILE("reconcile.asl.json");

        private final String definitionFile;

        Workflow(String definitionFile) {
            this.definitionFile = definitionFile;
        }

        /** The ASL file's name in statemachine/. */
        public String definitionFile() {
            return definitionFile;
        }

        /** The Task states of this workflow, in declaration order. */
        public List<TaskState> taskStates() {
            return java.util.Arrays.stream(TaskState.values()).filter(state -> state.workflow == this).toList();
        }
    }

    /** The package of the handler classes in the functions module. */
    public static final String HANDLER_PACKAGE = "io.cdcenabler.handler";

    private final String stateName;
    private final Workflow workflow;

    TaskState(String stateName, Workflow workflow) {
        this.stateName = stateName;
        this.workflow = workflow;
    }

    /** The state machine this state belongs to. */
    public Workflow workflow() {
        return workflow;
    }

    /** The state's name in the ASL. */
    public String stateName() {
        return stateName;
    }

    /** The fully qualified name of the handler class: {@code io.cdcenabler.handler.<State>Handler}. */
    public String handlerClass() {
        return HANDLER_PACKAGE + "." + stateName + "Handler";
    }

    /** The Lambda handler string: {@code <handler class>::handleRequest}. */
    public String handler() {
        return handlerClass() + "::handleRequest";
    }

    /** The IAM actions the state's handler may call, with the resources each is scoped to. */
    public List<StepPermissions.Grant> permissions() {
        return StepPermissions.of(this);
    }

    /** The state named {@code stateName}. */
    public static TaskState named(String stateName) {
        for (TaskState state : values()) {
            if (state.stateName.equals(stateName)) {
                return state;
            }
        }
        throw new IllegalArgumentException("no Task state named " + stateName + "; the states are "
                + List.of(values()));
    }
}
