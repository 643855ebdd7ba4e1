package io.cdcenabler.cli;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.ProvisioningRequest;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidExecutionInputException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.StartExecutionRequest;
import software.amazon.awssdk.services.sfn.model.StartExecutionResponse;
import software.amazon.awssdk.services.sfn.model.StateMachineDeletingException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ValidationException;

/**
 * Starts the deployed cdc-enabler state machine for one RDS instance or Aurora cluster, with the same input the
 * console takes, and follows the execution to its end. The input is a validated {@link ProvisioningRequest}, so a
 * request the workflow would refuse is refused here before anything starts.
 */
@Command(name = "start", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Start the cdc-enabler workflow (the deployed Step Functions state machine) for one RDS "
                + "instance or Aurora cluster, print the execution ARN and its console URL, then follow it until it "
                + "ends and print the result.",
            "Ctrl-C stops following, NOT the execution: it goes on in Step Functions (stop it there, e.g. with "
                + "aws stepfunctions stop-execution --execution-arn ARN)."},
        footer = {"", "Exit status: 0 the execution succeeded (READY, and also SKIPPED or REBOOT_PENDING, which "
                + "say so; with --no-follow: it was started), 1 it failed, timed out or was aborted, or AWS refused "
                + "a call, 2 bad input (nothing was started)."})
final class StartCommand implements Callable<Integer> {
    static final String STATE_MACHINE_ARN_VARIABLE = "CDC_ENABLER_STATE_MACHINE_ARN";
    static final int BAD_INPUT = 2;
    static final Pattern STATE_MACHINE_ARN =
            Pattern.compile("arn:aws[a-z-]*:states:([a-z0-9-]+):(\\d{12}):stateMachine:[A-Za-z0-9_-]{1,80}(:.+)?");
    static final Pattern EXECUTION_NAME = Pattern.compile("[A-Za-z0-9_-]{1,80}");
    static final int MAX_START_THROTTLES = 5;
    private static final DateTimeFormatter NAME_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** Input JSON: the record's components, no nulls (isCluster() is not a property of the contract). */
    static final ObjectMapper INPUT_JSON = new ObjectMapper()
            .setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL)
            .addMixIn(ProvisioningRequest.class, RequestComponentsOnly.class);

    @JsonAutoDetect(isGetterVisibility = JsonAutoDetect.Visibility.NONE)
    private abstract static class RequestComponentsOnly {
    }

    @ParentCommand
    CdcEnablerCommand parent;
    @Spec
    CommandSpec command;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    /** Which database server to act on: exactly one of an instance and a cluster. */
    static final class Target {
        @Option(names = "--instance", paramLabel = "ID", required = true,
                description = "RDS DB instance identifier (or an Aurora writer instance)")
        String instance;

        @Option(names = "--cluster", paramLabel = "ID", required = true,
                description = "Aurora DB cluster or Multi-AZ DB cluster identifier")
        String cluster;
    }

    @Mixin
    RequestOptions requestOptions = new RequestOptions();

    @Option(names = "--state-machine-arn", paramLabel = "ARN",
            description = "The cdc-enabler state machine (default: $" + STATE_MACHINE_ARN_VARIABLE + ")")
    String stateMachineArn;

    @Option(names = "--region", paramLabel = "REGION",
            description = "AWS region (default: the state machine ARN's region); must agree with the ARN")
    String region;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Execution name, 1-80 of A-Z a-z 0-9 - _ (default: cdc-<identifier>-<UTC timestamp>); "
                    + "the same name and input again joins the running execution instead of starting another")
    String name;

    @Option(names = "--no-follow", description = "Print the execution ARN and exit without following it")
    boolean noFollow;

    @Option(names = "--poll-seconds", paramLabel = "N", defaultValue = "5",
            description = "Seconds between two reads of the execution history (default: ${DEFAULT-VALUE})")
    int pollSeconds;

    @Mixin
    Output output = new Output();

    private final Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        StartPrinter printer = new StartPrinter(output, command.commandLine().getOut(),
                command.commandLine().getErr());
        ProvisioningRequest request;
        String machine;
        String executionName;
        SfnClient sfn;
        try {
            request = request();
            machine = stateMachineArn();
            executionName = executionName(request);
            sfn = client(machine);
        } catch (InvalidInputException e) {
            return printer.badInput(e.getMessage());
        }
        try (sfn) {
            StartExecutionResponse started;
            try {
                started = start(sfn, machine, executionName, input(request));
            } catch (SdkException e) {
                return startRefused(printer, e, machine, executionName);
            }
            String consoleUrl = consoleUrl(started.executionArn());
            printer.retentionCap(request.maxSlotWalKeepSize());
            if (noFollow) {
                printer.started(started, executionName, consoleUrl);
                return 0;
            }
            return followAndReport(sfn, started.executionArn(), consoleUrl, printer);
        }
    }

    /** The exit status and message for a StartExecution that did not start anything, or may not have. */
    private static int startRefused(StartPrinter printer, SdkException e, String machine, String executionName) {
        if (e instanceof StateMachineDoesNotExistException || e instanceof StateMachineDeletingException) {
            String state = e instanceof StateMachineDeletingException ? "is being deleted" : "does not exist";
            return printer.badInput("state machine " + machine + " " + state + " (" + errorCode((AwsServiceException) e)
                    + "): check --state-machine-arn or $" + STATE_MACHINE_ARN_VARIABLE + "; nothing was started");
        }
        if (e instanceof ExecutionAlreadyExistsException) {
            return printer.badInput("an execution named " + executionName + " already exists with another input "
                    + "or has ended: pass another --name (or none, for a generated one); nothing was started");
        }
        if (e instanceof InvalidArnException || e instanceof InvalidNameException
                || e instanceof InvalidExecutionInputException || e instanceof ValidationException) {
            AwsServiceException refused = (AwsServiceException) e;
            return printer.badInput("Step Functions refused the request (" + errorCode(refused) + "): "
                    + refused.awsErrorDetails().errorMessage() + "; nothing was started");
        }
        if (e instanceof SdkClientException) {
            return printer.failed(e, "no answer from Step Functions in " + regionOf(machine) + ": " + e.getMessage()
                    + "; the execution may or may not have started: the same command with --name "
                    + executionName + " joins it if it did, and starts it if not", null, null);
        }
        throw e;
    }

    private int followAndReport(SfnClient sfn, String executionArn, String consoleUrl, StartPrinter printer) {
        PrintWriter out = printer.out();
        PrintWriter err = printer.err();
        PrintWriter startedTo = output.json ? err : out;
        startedTo.println("Started " + executionArn);
        startedTo.println("Console: " + consoleUrl);
        startedTo.flush();
        if (!output.quiet) {
            err.println("Following it every " + pollSeconds + " s (times in UTC); Ctrl-C stops following, not the "
                    + "execution.");
            err.flush();
        }
        Thread interruptedNotice = new Thread(() -> {
            err.println("Stopped following. The execution goes on: " + consoleUrl);
            err.flush();
        });
        Runtime.getRuntime().addShutdownHook(interruptedNotice);
        ExecutionFollower.Ended ended;
        try {
            ended = new ExecutionFollower(sfn, executionArn, Duration.ofSeconds(pollSeconds),
                    output.quiet ? null : err).follow();
        } catch (SdkException e) {
            return printer.failed(e, "lost track of the execution, which goes on: " + e.getMessage()
                    + System.lineSeparator() + "Follow it at " + consoleUrl, executionArn, consoleUrl);
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(interruptedNotice);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting (Ctrl-C): the notice runs
            }
        }
        return new ExecutionReport(output, out, consoleUrl).print(ended);
    }

    /** The workflow's input from the options, validated by the record and by the engine's spec as the steps will. */
    ProvisioningRequest request() {
        if (pollSeconds < 0) {
            throw new InvalidInputException("--poll-seconds must be 0 or more, was " + pollSeconds);
        }
        return requestOptions.request(target.instance, target.cluster);
    }

    String stateMachineArn() {
        String arn = stateMachineArn != null ? stateMachineArn : parent.environment.apply(STATE_MACHINE_ARN_VARIABLE);
        if (arn == null || arn.isBlank()) {
            throw new InvalidInputException("no state machine: pass --state-machine-arn ARN or set "
                    + STATE_MACHINE_ARN_VARIABLE);
        }
        String from = stateMachineArn != null ? "--state-machine-arn" : STATE_MACHINE_ARN_VARIABLE;
        Matcher matcher = STATE_MACHINE_ARN.matcher(arn);
        if (!matcher.matches()) {
            throw new InvalidInputException(from + " must be a state machine ARN like arn:aws:states:REGION:ACCOUNT:"
                    + "stateMachine:NAME, was " + arn);
        }
        if (region != null && !region.equals(matcher.group(1))) {
            throw new InvalidInputException("--region is " + region + " but the state machine (" + from + ") is in "
                    + matcher.group(1) + ": leave --region out or make them agree");
        }
        return arn;
    }

    String executionName(ProvisioningRequest request) {
        if (name != null) {
            if (!EXECUTION_NAME.matcher(name).matches()) {
                throw new InvalidInputException("--name must be 1-80 letters, digits, hyphens or underscores, was "
                        + name);
            }
            return name;
        }
        String timestamp = NAME_TIMESTAMP.format(clock.instant());
        String identifier = request.identifier();
        int room = 80 - "cdc-".length() - 1 - timestamp.length();
        if (identifier.length() > room) {
            identifier = identifier.substring(0, room).replaceAll("-+$", "");
        }
        return "cdc-" + identifier + "-" + timestamp;
    }

    static String input(ProvisioningRequest request) {
        try {
            return INPUT_JSON.writeValueAsString(request);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private SfnClient client(String machine) {
        SfnClient sfn;
        try {
            sfn = parent.sfnClients.create(region != null ? region : regionOf(machine));
        } catch (SdkClientException e) {
            throw new InvalidInputException("no AWS region: pass --region " + regionOf(machine) + " or set AWS_REGION",
                    e);
        }
        Region clientRegion = sfn.serviceClientConfiguration().region();
        if (clientRegion != null && !clientRegion.id().equals(regionOf(machine))) {
            sfn.close();
            throw new InvalidInputException("the AWS region is " + clientRegion.id() + " but the state machine is in "
                    + regionOf(machine) + ": pass --region " + regionOf(machine));
        }
        return sfn;
    }

    /** StartExecution, again after throttling: safe, because the same name and input join the same execution. */
    private StartExecutionResponse start(SfnClient sfn, String machine, String executionName, String input) {
        StartExecutionRequest startRequest = StartExecutionRequest.builder()
                .stateMachineArn(machine).name(executionName).input(input).build();
        for (int throttles = 1; ; throttles++) {
            try {
                return sfn.startExecution(startRequest);
            } catch (SdkServiceException e) {
                if (!e.isThrottlingException() || throttles > MAX_START_THROTTLES) {
                    throw e;
                }
                ExecutionFollower.sleep(ExecutionFollower.backoff(Duration.ofSeconds(pollSeconds), throttles));
            }
        }
    }

    static String consoleUrl(String executionArn) {
        String executionRegion = executionArn.split(":")[3];
        return "https://" + executionRegion + ".console.aws.amazon.com/states/home?region=" + executionRegion
                + "#/v2/executions/details/" + executionArn;
    }

    private static String regionOf(String stateMachineArn) {
        return stateMachineArn.split(":")[3];
    }

    private static String errorCode(AwsServiceException e) {
        return e.awsErrorDetails() == null ? e.getClass().getSimpleName() : e.awsErrorDetails().errorCode();
    }
}
