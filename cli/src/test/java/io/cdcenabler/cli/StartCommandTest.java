package io.cdcenabler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.testing.FakeSfn;
import io.cdcenabler.testing.FakeSfn.Script;
import io.cdcenabler.workflow.ProvisioningRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;

class StartCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CDC_SECRET =
            "arn:aws:secretsmanager:us-east-1:123456789012:secret:cdc-enabler/orders-db/orders/cdc_reader-Xy12Zw";
    private static final String READY_OUTPUT = """
            {"result": "READY",
             "request": {"instanceIdentifier": "orders-db", "database": "orders", "trackingMode": "ALL_TABLES",
                         "schemas": ["public", "sales"], "publication": "bemi", "rebootPolicy": "IMMEDIATE"},
             "topology": "SINGLE_INSTANCE", "engineVersion": "16.4",
             "endpoint": "orders-db.c9akciq32.us-east-1.rds.amazonaws.com", "port": 5432, "database": "orders",
             "parameterGroup": {"parameterGroupName": "cdc-enabler-postgres16", "created": true},
             "cdcSecretArn": "%s",
             "changed": 2, "changes": ["created role cdc_reader", "created publication bemi"],
             "checks": ["PASS wal_level: logical", "PASS logical slot as cdc user: opened and dropped"]}
            """.formatted(CDC_SECRET);

    FakeSfn sfn;
    String stateMachineArn;

    @BeforeEach
    void freshStepFunctions() {
        sfn = new FakeSfn();
        stateMachineArn = sfn.createStateMachine("cdc-enabler");
    }

    @Test
    void start_followsToReady_printsProgressInOrderAndSummary_exitZero() {
        sfn.scriptNextExecution(Script.execution()
                .task("DescribeTarget").choice("IsSkipped")
                .poll()
                .taskEntered("EnsureParameterGroup")
                .attemptFails("io.cdcenabler.workflow.ThrottledException", "RDS throttled ModifyDBParameterGroup")
                .poll()
                .attemptSucceeds().taskExited("EnsureParameterGroup")
                .choice("IsRebootRequired").task("Reboot").choice("CheckRebootOutcome")
                .waitState("WaitForStatus", "{\"target\": {\"request\": {\"waitSeconds\": 30}}}", 30)
                .poll()
                .task("CheckStatus").choice("IsReady")
                .poll()
                .task("ReadCredentials").task("Provision").task("Verify").pass("ReportReady")
                .succeeds(READY_OUTPUT));

        CliRunner.Result result = start("--instance", "orders-db", "--database", "orders", "--schema", "public,sales");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertInOrder(result.err(),
                "09:00:01  DescribeTarget entered",
                "DescribeTarget exited after 4.0 s",
                "IsSkipped entered", "IsSkipped exited",
                "EnsureParameterGroup entered",
                "EnsureParameterGroup task failed: io.cdcenabler.workflow.ThrottledException: RDS throttled "
                        + "ModifyDBParameterGroup",
                "EnsureParameterGroup retry 1 after io.cdcenabler.workflow.ThrottledException",
                "EnsureParameterGroup exited",
                "Reboot entered", "Reboot exited",
                "WaitForStatus entered, waiting until 2026-11-24T09:00:55Z",
                "09:00:55  WaitForStatus exited after 30.0 s",
                "CheckStatus entered", "ReadCredentials entered", "Provision entered", "Verify exited",
                "ReportReady entered", "ReportReady exited");
        assertThat(result.err().split("DescribeTarget entered", -1)).hasSize(2);
        assertThat(result.err().split("EnsureParameterGroup retry", -1)).hasSize(2);
        assertThat(result.out()).contains("Started arn:aws:states:us-east-1:123456789012:execution:cdc-enabler:"
                        + "cdc-orders-db-")
                .contains("Console: https://us-east-1.console.aws.amazon.com/states/home?region=us-east-1"
                        + "#/v2/executions/details/arn:aws:states:us-east-1:123456789012:execution:cdc-enabler:")
                .contains("READY: orders-db is ready for CDC (SINGLE_INSTANCE, PostgreSQL 16.4).")
                .contains("CDC secret:  " + CDC_SECRET)
                .contains("created publication bemi")
                .contains("PASS logical slot as cdc user");
        assertThat(sfn.executions()).singleElement()
                .satisfies(execution -> assertThat(execution.status()).isEqualTo(ExecutionStatus.SUCCEEDED));
        assertThat(sfn.calls("GetExecutionHistory")).as("several pages per poll and several polls")
                .isGreaterThan(10);
        assertThat(sfn.calls("DescribeExecution")).isEqualTo(1);
    }

    @Test
    void start_whenExecutionFails_printsNamedErrorAndCauseMessage_exitOne() {
        sfn.scriptNextExecution(Script.execution()
                .task("DescribeTarget").choice("IsSkipped").task("EnsureParameterGroup").choice("IsRebootRequired")
                .poll()
                .taskEntered("CheckStatus")
                .attemptFails("io.cdcenabler.workflow.TerminalStatusException",
                        "orders-db is storage-full: waiting does not cure it; add storage, then run again")
                .taskExited("CheckStatus").failState("Failed")
                .fails("io.cdcenabler.workflow.TerminalStatusException",
                        "orders-db is storage-full: waiting does not cure it; add storage, then run again"));

        CliRunner.Result result = start("--instance", "orders-db");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out())
                .contains("FAILED in CheckStatus: io.cdcenabler.workflow.TerminalStatusException")
                .contains("  orders-db is storage-full: waiting does not cure it; add storage, then run again")
                .doesNotContain("stackTrace");
        assertInOrder(result.err(), "CheckStatus entered",
                "CheckStatus task failed: io.cdcenabler.workflow.TerminalStatusException: orders-db is storage-full",
                "CheckStatus exited", "Failed entered");
    }

    @Test
    void start_whenSkipped_saysSoAndExitsZero() {
        sfn.scriptNextExecution(Script.execution().task("DescribeTarget").choice("IsSkipped").pass("ReportSkipped")
                .succeeds("{\"result\": \"SKIPPED\", "
                        + "\"reason\": \"DB instance orders-db runs mysql, not PostgreSQL\"}"));

        CliRunner.Result result = start("--instance", "orders-db");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("SKIPPED: nothing was changed: DB instance orders-db runs mysql, not PostgreSQL");
    }

    @Test
    void start_whenRebootPending_saysSoAndExitsZero() {
        String message = "reboot pending: reboot orders-db without failover (aws rds reboot-db-instance "
                + "--db-instance-identifier orders-db) to turn on logical replication, then run the workflow again";
        sfn.scriptNextExecution(Script.execution().task("DescribeTarget").choice("IsSkipped")
                .task("EnsureParameterGroup").choice("IsRebootRequired").task("Reboot").choice("CheckRebootOutcome")
                .pass("ReportRebootPending")
                .succeeds("{\"result\": \"REBOOT_PENDING\", \"message\": \"" + message + "\"}"));

        CliRunner.Result result = start("--instance", "orders-db", "--reboot-policy", "none");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("REBOOT_PENDING: logical replication is set but takes effect only after a "
                + "reboot; nothing was provisioned yet.").contains(message);
        assertThat(sentInput().get("rebootPolicy").asText()).isEqualTo("NONE");
    }

    @Test
    void start_maintenanceWindowWait_showsItsEnd() {
        sfn.scriptNextExecution(Script.execution().task("Reboot").choice("CheckRebootOutcome")
                .waitState("WaitForMaintenanceWindow", "{\"reboot\": {\"waitUntil\": \"2026-11-29T03:00:00Z\"}}", 60)
                .task("Reboot")
                .succeeds(READY_OUTPUT));

        CliRunner.Result result = start("--instance", "orders-db", "--reboot-policy", "NEXT_MAINTENANCE_WINDOW");

        assertThat(result.err()).contains("WaitForMaintenanceWindow entered, waiting until 2026-11-29T03:00:00Z");
    }

    @Test
    void start_timedOutOrAborted_exitOneNamingIt() {
        sfn.scriptNextExecution(Script.execution().task("DescribeTarget").poll().timesOut());
        CliRunner.Result timedOut = start("--instance", "orders-db", "--name", "first");
        sfn.scriptNextExecution(Script.execution().task("DescribeTarget").poll().isAborted("stopped by an operator"));
        CliRunner.Result aborted = start("--instance", "orders-db", "--name", "second");

        assertThat(timedOut.exitCode()).isEqualTo(1);
        assertThat(timedOut.out()).contains("TIMED_OUT");
        assertThat(aborted.exitCode()).isEqualTo(1);
        assertThat(aborted.out()).contains("ABORTED: the execution was stopped: stopped by an operator");
    }

    @Test
    void noFollow_printsOnlyTheExecutionArn_andLeavesItRunning() {
        CliRunner.Result result = start("--instance", "orders-db", "--name", "run-1", "--no-follow");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).isEqualTo("arn:aws:states:us-east-1:123456789012:execution:cdc-enabler:run-1"
                + System.lineSeparator());
        assertThat(result.err()).contains("Console: https://us-east-1.console.aws.amazon.com/states/home")
                .contains("WAL retention cap (max_slot_wal_keep_size): 20% of allocated storage (the default; an "
                        + "Aurora cluster's cap is left as it is)");
        assertThat(sfn.calls("GetExecutionHistory")).isZero();
        assertThat(sfn.executions()).singleElement()
                .satisfies(execution -> assertThat(execution.status()).isEqualTo(ExecutionStatus.RUNNING));
    }

    @Test
    void json_success_isOneDocumentOnStdout_withProgressOnStderr() throws IOException {
        sfn.scriptNextExecution(Script.execution().task("DescribeTarget").poll().pass("ReportReady")
                .succeeds(READY_OUTPUT));

        CliRunner.Result result = start("--instance", "orders-db", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode document = JSON.readTree(result.out());
        assertThat(document.get("ok").asBoolean()).isTrue();
        assertThat(document.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(document.get("result").asText()).isEqualTo("READY");
        assertThat(document.at("/output/cdcSecretArn").asText()).isEqualTo(CDC_SECRET);
        assertThat(document.get("executionArn").asText()).startsWith("arn:aws:states:us-east-1:");
        assertThat(document.get("consoleUrl").asText()).startsWith("https://us-east-1.console.aws.amazon.com/");
        assertThat(result.err()).contains("Started arn:aws:states:").contains("DescribeTarget entered");
    }

    @Test
    void json_failure_namesErrorAndCause_exitOne() throws IOException {
        sfn.scriptNextExecution(Script.execution().taskEntered("DescribeTarget")
                .attemptFails("io.cdcenabler.workflow.TargetNotFoundException", "DB instance orders-db does not exist")
                .taskExited("DescribeTarget").failState("Failed")
                .fails("io.cdcenabler.workflow.TargetNotFoundException", "DB instance orders-db does not exist"));

        CliRunner.Result result = start("--instance", "orders-db", "--json");

        assertThat(result.exitCode()).isEqualTo(1);
        JsonNode document = JSON.readTree(result.out());
        assertThat(document.get("ok").asBoolean()).isFalse();
        assertThat(document.get("status").asText()).isEqualTo("FAILED");
        assertThat(document.get("error").asText()).isEqualTo("io.cdcenabler.workflow.TargetNotFoundException");
        assertThat(document.get("cause").asText()).isEqualTo("DB instance orders-db does not exist");
        assertThat(document.get("failedState").asText()).isEqualTo("DescribeTarget");
    }

    @Test
    void json_noFollow_printsTheStartedExecution() throws IOException {
        CliRunner.Result result = start("--cluster", "orders-aurora", "--name", "run-2", "--no-follow", "--json");

        JsonNode document = JSON.readTree(result.out());
        assertThat(document.get("ok").asBoolean()).isTrue();
        assertThat(document.get("executionArn").asText())
                .isEqualTo("arn:aws:states:us-east-1:123456789012:execution:cdc-enabler:run-2");
        assertThat(document.get("startDate").asText()).isEqualTo(FakeSfn.START.toString());
        assertThat(document.get("maxSlotWalKeepSize").asText()).startsWith("20% of allocated storage");
    }

    @Test
    void retentionCap_isSentNormalised_andSaidBeforeFollowing() {
        CliRunner.Result result = start("--instance", "orders-db", "--max-slot-wal-keep-size", "50gb", "--no-follow");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sentInput().get("maxSlotWalKeepSize").asText()).isEqualTo("51200MB");
        assertThat(result.err()).contains("WAL retention cap (max_slot_wal_keep_size): 51200MB");
        CliRunner.Result off = start("--instance", "orders-db", "--max-slot-wal-keep-size", "off", "--no-follow",
                "--name", "run-off");
        assertThat(off.err()).contains("WAL retention cap (max_slot_wal_keep_size): off (slots may retain WAL "
                + "without limit)");
    }

    static Stream<Arguments> badInputs() {
        return Stream.of(
                Arguments.of(List.of("--instance", "a", "--cluster", "b"), "mutually exclusive"),
                Arguments.of(List.of("--database", "orders"), "--instance=ID | --cluster=ID"),
                Arguments.of(List.of("--instance", "orders-db", "--tracking-mode", "SELECTED_TABLES"),
                        "--table: tables must name at least one table when trackingMode is SELECTED_TABLES"),
                Arguments.of(List.of("--instance", "orders-db", "--table", "public.orders"),
                        "--table: tables must be empty when trackingMode is ALL_TABLES"),
                Arguments.of(List.of("--instance", "orders-db", "--reboot-policy", "SOON"),
                        "Invalid value for option '--reboot-policy'"),
                Arguments.of(List.of("--instance", "orders-db", "--extra-parameter", "max_slot_wal_keep_size"),
                        "--extra-parameter must be NAME=VALUE, got name 'max_slot_wal_keep_size' and no value"),
                Arguments.of(List.of("--instance", "orders-db", "--extra-parameter", "rds.logical_replication=0"),
                        "--extra-parameter: extraParameters must not set rds.logical_replication"),
                Arguments.of(List.of("--instance", "orders-db", "--max-slot-wal-keep-size", "lots"),
                        "--max-slot-wal-keep-size: maxSlotWalKeepSize must be a size such as 51200MB, 50GB or 1TB "
                                + "(at least 1024 MB), a share of allocated storage such as 20% (5-80%), or off, "
                                + "was lots"),
                Arguments.of(List.of("--instance", "orders-db", "--extra-parameter", "max_slot_wal_keep_size=1"),
                        "--extra-parameter: extraParameters must not set max_slot_wal_keep_size: give "
                                + "maxSlotWalKeepSize instead"),
                Arguments.of(List.of("--instance", "orders-db", "--wait-seconds", "2"),
                        "--wait-seconds: waitSeconds must be between 5 and 3600, was 2"),
                Arguments.of(List.of("--instance", "orders_db"),
                        "--instance: instanceIdentifier must be 1-63 letters, digits or hyphens"),
                Arguments.of(List.of("--instance", "orders-db", "--tracking-mode", "selected_tables",
                                "--table", "a.b.c"),
                        "--table: table name a.b.c has 3 dot-separated parts"),
                Arguments.of(List.of("--instance", "orders-db", "--publication", "p".repeat(64)),
                        "--publication: publication is 64 bytes long"),
                Arguments.of(List.of("--instance", "orders-db", "--admin-secret-arn", "my-secret"),
                        "--admin-secret-arn: adminSecretArn must be a Secrets Manager secret ARN, was my-secret"),
                Arguments.of(List.of("--instance", "orders-db", "--name", "run 1"),
                        "--name must be 1-80 letters, digits, hyphens or underscores, was run 1"),
                Arguments.of(List.of("--instance", "orders-db", "--region", "eu-west-1"),
                        "--region is eu-west-1 but the state machine (--state-machine-arn) is in us-east-1"),
                Arguments.of(List.of("--instance", "orders-db", "--poll-seconds", "-1"),
                        "--poll-seconds must be 0 or more, was -1"));
    }

    @ParameterizedTest
    @MethodSource("badInputs")
    void badInput_exitsTwoNamingTheProblem_andStartsNothing(List<String> args, String problem) {
        List<String> all = new ArrayList<>(List.of("start"));
        all.addAll(args);
        all.addAll(List.of("--state-machine-arn", stateMachineArn));

        CliRunner.Result result = CliRunner.run(Map.of(), "", region -> sfn, all.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.out() + result.err()).isEqualTo(2);
        assertThat(result.err()).contains(problem);
        assertThat(sfn.calls("StartExecution")).isZero();
        assertThat(sfn.executions()).isEmpty();
    }

    @Test
    void noRegionOption_usesTheStateMachineArnsRegion() {
        List<String> regions = new ArrayList<>();

        CliRunner.Result result = CliRunner.run(Map.of(), "", region -> {
            regions.add(region);
            return sfn;
        }, "start", "--state-machine-arn", stateMachineArn, "--instance", "orders-db", "--no-follow");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(regions).containsExactly("us-east-1");
    }

    @Test
    void missingStateMachineArn_exitsTwoNamingOptionAndVariable() {
        CliRunner.Result result = CliRunner.run(Map.of(), "", region -> sfn, "start", "--instance", "orders-db");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--state-machine-arn").contains("CDC_ENABLER_STATE_MACHINE_ARN");
        assertThat(sfn.calls("StartExecution")).isZero();
    }

    @Test
    void stateMachineArn_fromEnvironment_isUsed() {
        CliRunner.Result result = CliRunner.run(Map.of("CDC_ENABLER_STATE_MACHINE_ARN", stateMachineArn), "",
                region -> sfn, "start", "--instance", "orders-db", "--no-follow");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(sfn.executions()).hasSize(1);
    }

    @Test
    void malformedStateMachineArnInEnvironment_exitsTwoNamingTheVariable() {
        CliRunner.Result result = CliRunner.run(Map.of("CDC_ENABLER_STATE_MACHINE_ARN", "cdc-enabler"), "",
                region -> sfn, "start", "--instance", "orders-db");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("CDC_ENABLER_STATE_MACHINE_ARN must be a state machine ARN")
                .contains("was cdc-enabler");
    }

    @Test
    void unknownStateMachine_exitsTwoNamingIt() {
        String unknown = "arn:aws:states:us-east-1:123456789012:stateMachine:not-deployed";

        CliRunner.Result result = CliRunner.run(Map.of(), "", region -> sfn, "start", "--instance", "orders-db",
                "--state-machine-arn", unknown);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("state machine " + unknown + " does not exist (StateMachineDoesNotExist)")
                .contains("nothing was started");
        assertThat(sfn.executions()).isEmpty();
    }

    static Stream<Arguments> manualInputs() {
        return Stream.of(
                Arguments.of("manual-instance.json", List.of("--instance", "orders-db", "--database", "orders",
                        "--tracking-mode", "ALL_TABLES", "--schema", "public", "--schema", "sales",
                        "--credentials-mode", "READ_ONLY_USER", "--cdc-user", "cdc_reader", "--publication", "bemi",
                        "--reboot-policy", "IMMEDIATE")),
                Arguments.of("manual-aurora-cluster.json", List.of("--cluster", "orders-aurora",
                        "--tracking-mode", "selected_tables", "--table", "public.orders", "--table",
                        "public.order_lines", "--publication", "orders_cdc", "--reboot-policy", "immediate")),
                Arguments.of("manual-shared-group-copy.json", List.of("--instance", "billing-db",
                        "--copy-parameter-group", "--max-slot-wal-keep-size", "10GB")),
                Arguments.of("manual-instance-short-wait.json", List.of("--instance", "orders-db", "--database",
                        "orders", "--schema", "public,sales", "--wait-seconds", "60", "--wait-timeout-minutes", "3")));
    }

    @ParameterizedTest
    @MethodSource("manualInputs")
    void input_isTheManualJson_withTheWorkflowsDefaultsSpelledOut(String file, List<String> args) throws IOException {
        JsonNode manual = readEvent(file);
        List<String> all = new ArrayList<>(args);
        all.add("--no-follow");

        CliRunner.Result result = start(all.toArray(String[]::new));

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonNode sent = sentInput();
        for (Map.Entry<String, JsonNode> field : manual.properties()) {
            assertThat(sent.get(field.getKey())).as(field.getKey()).isEqualTo(field.getValue());
        }
        assertThat(JSON.treeToValue(sent, ProvisioningRequest.class))
                .isEqualTo(JSON.treeToValue(manual, ProvisioningRequest.class));
        List<String> recordComponents = Stream.of(ProvisioningRequest.class.getRecordComponents())
                .map(java.lang.reflect.RecordComponent::getName).toList();
        assertThat(sent.fieldNames()).toIterable().allMatch(recordComponents::contains);
        assertThat(sent.get("source").asText()).isEqualTo("MANUAL");
    }

    @Test
    void unreachableStepFunctions_exitsOne_andTheSameNameAgainStartsIt() {
        sfn.unreachable(true);
        CliRunner.Result unreachable = start("--instance", "orders-db");
        List<FakeSfn.StartedExecution> startedWhileUnreachable = sfn.executions();
        String name = unreachable.err().replaceAll("(?s).*--name (\\S+).*", "$1");
        sfn.unreachable(false);

        CliRunner.Result again = start("--instance", "orders-db", "--name", name, "--no-follow");

        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err()).contains("no answer from Step Functions in us-east-1: Unable to execute HTTP "
                + "request").contains("the execution may or may not have started");
        assertThat(name).matches("cdc-orders-db-\\d{8}T\\d{6}Z");
        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(startedWhileUnreachable).isEmpty();
        assertThat(sfn.executions()).extracting(FakeSfn.StartedExecution::name).containsExactly(name);
    }

    @Test
    void sameNameAndInput_joinsTheRunningExecution_anotherInputIsRefused() {
        CliRunner.Result first = start("--instance", "orders-db", "--name", "nightly", "--no-follow");
        CliRunner.Result again = start("--instance", "orders-db", "--name", "nightly", "--no-follow");
        CliRunner.Result other = start("--instance", "orders-db", "--name", "nightly", "--cdc-user", "debezium",
                "--no-follow");

        assertThat(again.exitCode()).as(again.err()).isZero();
        assertThat(again.out()).isEqualTo(first.out());
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err()).contains("an execution named nightly already exists with another input");
        assertThat(sfn.executions()).hasSize(1);
    }

    @Test
    void throttling_isRetried_whileStartingAndFollowing() {
        sfn.scriptNextExecution(Script.execution().task("DescribeTarget").poll().pass("ReportReady")
                .succeeds(READY_OUTPUT));
        sfn.throttleNext("StartExecution", 2);
        sfn.throttleNext("GetExecutionHistory", 3);
        sfn.throttleNext("DescribeExecution", 1);

        CliRunner.Result result = start("--instance", "orders-db");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("READY: orders-db");
        assertThat(sfn.executions()).hasSize(1);
        assertThat(result.err().split("DescribeTarget entered", -1)).hasSize(2);
    }

    @Test
    void endlessThrottling_whileFollowing_exitsOneSayingTheExecutionGoesOn() {
        sfn.scriptNextExecution(Script.execution().task("DescribeTarget").poll().pass("ReportReady")
                .succeeds(READY_OUTPUT));
        sfn.throttleNext("GetExecutionHistory", 1000);

        CliRunner.Result result = start("--instance", "orders-db");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("lost track of the execution, which goes on")
                .contains("Follow it at https://");
        assertThat(sfn.calls("GetExecutionHistory")).isEqualTo(ExecutionFollower.MAX_CONSECUTIVE_THROTTLES + 1);
    }

    @Test
    void defaultName_isIdentifierAndUtcTimestamp_withinEightyCharacters() {
        String longIdentifier = "a" + "-b".repeat(31);

        start("--instance", "orders-db", "--no-follow");
        start("--instance", longIdentifier, "--no-follow");

        List<String> names = sfn.executions().stream().map(FakeSfn.StartedExecution::name).toList();
        assertThat(names.get(0)).matches("cdc-orders-db-\\d{8}T\\d{6}Z");
        assertThat(names.get(1)).hasSizeLessThanOrEqualTo(80).matches("cdc-a(-b)*-\\d{8}T\\d{6}Z");
    }

    @Test
    void waitStates_matchTheStateMachineDefinition() throws IOException {
        JsonNode states = JSON.readTree(Path.of("..", "statemachine", "cdc-enabler.asl.json").toFile()).get("States");
        Map<String, ExecutionFollower.WaitEnd> fromDefinition = new java.util.HashMap<>();
        states.properties().forEach(state -> {
            JsonNode definition = state.getValue();
            if (definition.path("Type").asText().equals("Wait")) {
                boolean seconds = definition.has("SecondsPath");
                String path = definition.path(seconds ? "SecondsPath" : "TimestampPath").asText();
                fromDefinition.put(state.getKey(), new ExecutionFollower.WaitEnd(
                        path.substring(1).replace('.', '/'), seconds));
            }
        });

        assertThat(ExecutionFollower.WAIT_STATES).isEqualTo(fromDefinition);
    }

    @Test
    void waitEnd_withoutDataInTheInput_isUnknown() {
        Instant entered = Instant.parse("2026-11-24T09:00:00Z");

        assertThat(ExecutionFollower.waitEnd("WaitForStatus", "{}", entered)).isNull();
        assertThat(ExecutionFollower.waitEnd("WaitForStatus", null, entered)).isNull();
        assertThat(ExecutionFollower.waitEnd("SomethingElse", "{}", entered)).isNull();
        assertThat(ExecutionFollower.waitEnd("WaitForMaintenanceWindow", "{\"reboot\": {\"waitUntil\": \"soon\"}}",
                entered)).isNull();
    }

    @Test
    void help_saysCtrlCDoesNotStopTheExecution() {
        CliRunner.Result help = CliRunner.run("start", "--help");
        CliRunner.Result top = CliRunner.run("--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Ctrl-C stops following, NOT the execution")
                .contains("--state-machine-arn=ARN").contains("CDC_ENABLER_STATE_MACHINE_ARN")
                .contains("--extra-parameter=NAME=VALUE").contains("--no-follow")
                .contains("--max-slot-wal-keep-size=SIZE").contains("(default: 20%, Aurora: left as it is)");
        assertThat(top.out()).contains("start");
    }

    private CliRunner.Result start(String... args) {
        List<String> all = new ArrayList<>(List.of("start", "--state-machine-arn", stateMachineArn,
                "--poll-seconds", "0"));
        all.addAll(List.of(args));
        return CliRunner.run(Map.of(), "", region -> sfn, all.toArray(String[]::new));
    }

    private JsonNode sentInput() {
        try {
            return JSON.readTree(sfn.executions().get(sfn.executions().size() - 1).input());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode readEvent(String file) throws IOException {
        try (InputStream in = StartCommandTest.class.getResourceAsStream("/events/" + file)) {
            return JSON.readTree(in);
        }
    }

    private static void assertInOrder(String text, String... parts) {
        int from = 0;
        for (String part : parts) {
            int at = text.indexOf(part, from);
            assertThat(at).as("'" + part + "' after position " + from + " in:%n" + text).isGreaterThanOrEqualTo(0);
            from = at + part.length();
        }
    }
}
