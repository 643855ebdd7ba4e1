package io.cdcenabler.contract;

import java.util.List;

/**
 * The nine Task states of the enrolment workflow. Each is served by the Lambda handler of the same name, which the stack
 * deploys with a role that grants {@link StepPermissions#of} the state, and nothing more.
 */
public enum TaskState {
    DESCRIBE_TARGET("DescribeTarget"),
    ENSURE_PARAMETER_GROUP("EnsureParameterGroup"),
    REBOOT("Reboot"),
    CHECK_STATUS("CheckStatus"),
    READ_CREDENTIALS("ReadCredentials"),
    PROVISION("Provision"),
    VERIFY("Verify"),
    ENSURE_ALARMS("EnsureAlarms"),
    RECORD_ENROLMENT("RecordEnrolment");

    /** The package of the handler classes in the functions module. */
    public static final String HANDLER_PACKAGE = "io.cdcenabler.handler";

    private final String stateName;

    TaskState(String stateName) {
        this.stateName = stateName;
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
