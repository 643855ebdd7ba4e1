package io.cdcenabler.infra;

import io.cdcenabler.contract.TaskState;
import software.amazon.awscdk.Duration;

/**
 * The Task states of both workflows ({@link TaskState}) and how each one's Lambda is sized. All run from the same
 * jar; the name is the ASL state name, its handler class and the {@code ${<name>FunctionArn}} placeholder in the
 * definition.
 *
 * <p>Sizing: Lambda gives CPU in proportion to memory. The RDS and Secrets Manager steps make a handful of API calls
 * (each capped at 20 s by the SDK client's apiCallTimeout), so 512 MB restores quickly from the SnapStart snapshot
 * and 30-60 s covers a few sequential calls with retries. Provision holds JDBC connections and walks every table of
 * the tracked schemas in batches, each ALTER waiting up to its lock_timeout, so it gets 1024 MB and 10 minutes
 * (the state machine retries a run that hit locked tables). Verify opens and drops a logical replication slot as the
 * CDC user, which waits for transactions already running on the database, so it gets 1024 MB and 3 minutes.
 * EnsureAlarms makes about ten CloudWatch calls (each absorbing throttling with backoff), so 512 MB and 60 s.
 * The reconciliation's steps: ResolveTargets scans the registry and describes the instances an event names (512 MB,
 * 60 s); CheckDrift logs in to the database read-only like Verify, so it runs in the VPC with 1024 MB and 3 minutes;
 * PrepareUpgrade (the input prepareUpgrade) creates our group of the new family and logs in to the database to list
 * blockers and drop our event trigger, so like CheckDrift it runs in the VPC with 1024 MB and 3 minutes.
 * RecordResult writes one registry item and Summarise only folds the Map's results (512 MB, 30 s each).
 */
public enum WorkflowStep {
    DESCRIBE_TARGET(TaskState.DESCRIBE_TARGET, 512, Duration.seconds(60), false,
            "Finds the RDS instance or cluster of a request or RDS event"),
    ENSURE_PARAMETER_GROUP(TaskState.ENSURE_PARAMETER_GROUP, 512, Duration.seconds(60), false,
            "Gets rds.logical_replication=1 into the (cluster) parameter group"),
    REBOOT(TaskState.REBOOT, 512, Duration.seconds(30), false,
            "Reboots the writer once so logical replication takes effect"),
    CHECK_STATUS(TaskState.CHECK_STATUS, 512, Duration.seconds(30), false,
            "Reads whether the database is available with its parameters in sync"),
    READ_CREDENTIALS(TaskState.READ_CREDENTIALS, 512, Duration.seconds(30), false,
            "Resolves and checks the admin secret"),
    PROVISION(TaskState.PROVISION, 1024, Duration.minutes(10), true,
            "Creates the CDC user, publication and replica identity; stores the CDC secret"),
    VERIFY(TaskState.VERIFY, 1024, Duration.minutes(3), true,
            "Verifies wal_level, publication, replica identity and a logical slot as the CDC user"),
    ENSURE_ALARMS(TaskState.ENSURE_ALARMS, 512, Duration.seconds(60), false,
            "Creates or updates the ready database's guardrail alarms, notifying the stack's topic"),
    RECORD_ENROLMENT(TaskState.RECORD_ENROLMENT, 512, Duration.seconds(30), false,
            "Records the enrolled database and its last result in the enrolment registry"),
    PREPARE_UPGRADE(TaskState.PREPARE_UPGRADE, 1024, Duration.minutes(3), true,
            "Prepares a major version upgrade: new-family group, upgrade command, blockers, trigger dropped"),
    RESOLVE_TARGETS(TaskState.RESOLVE_TARGETS, 512, Duration.seconds(60), false,
            "Lists the enrolments to reconcile: all of them, or the ones an RDS event concerns"),
    CHECK_DRIFT(TaskState.CHECK_DRIFT, 1024, Duration.minutes(3), true,
            "Checks one enrolled database for drift, read-only, and builds its repair input"),
    RECORD_RESULT(TaskState.RECORD_RESULT, 512, Duration.seconds(30), false,
            "Records one target's reconciliation result in the enrolment registry"),
    SUMMARISE(TaskState.SUMMARISE, 512, Duration.seconds(30), false,
            "Summarises a reconciliation run's results");

    private final TaskState state;
    private final int memoryMb;
    private final Duration timeout;
    private final boolean inVpc;
    private final String description;

    WorkflowStep(TaskState state, int memoryMb, Duration timeout, boolean inVpc, String description) {
        this.state = state;
        this.memoryMb = memoryMb;
        this.timeout = timeout;
        this.inVpc = inVpc;
        this.description = description;
    }

    /** The Task state this step's function serves, with its handler class and IAM grants. */
    public TaskState taskState() {
        return state;
    }

    /** The state machine whose definition names this step's function. */
    public TaskState.Workflow workflow() {
        return state.workflow();
    }

    /** The Task state's name in the ASL, also the construct id of its function. */
    public String stateName() {
        return state.stateName();
    }

    /** The Lambda handler: {@code io.cdcenabler.handler.<State>Handler::handleRequest}. */
    public String handler() {
        return state.handler();
    }

    /** The placeholder in the ASL that the function's alias ARN replaces. */
    public String placeholder() {
        return stateName() + "FunctionArn";
    }

    public int memoryMb() {
        return memoryMb;
    }

    public Duration timeout() {
        return timeout;
    }

    /** Whether the step connects to the database, and so runs in its VPC. */
    public boolean inVpc() {
        return inVpc;
    }

    public String description() {
        return "cdc-enabler " + stateName() + ": " + description;
    }
}
