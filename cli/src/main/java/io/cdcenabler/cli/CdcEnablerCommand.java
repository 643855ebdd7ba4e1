package io.cdcenabler.cli;

import io.cdcenabler.postgres.CdcEnablerException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code cdc-enabler} command line: provisioning against any PostgreSQL, an embedded demo, a benchmark, and
 * starting the deployed workflow on AWS.
 */
@Command(name = "cdc-enabler", mixinStandardHelpOptions = true, version = "cdc-enabler 0.1.0",
        description = "Makes a PostgreSQL database ready for change data capture (Debezium, Bemi, Airbyte, DMS, ...): "
                + "REPLICA IDENTITY FULL, a publication, a least-privilege replication user, and an event trigger "
                + "that keeps new tables ready.",
        subcommands = {ProvisionCommand.class, PlanCommand.class, VerifyCommand.class, TrackCommand.class,
            UntrackCommand.class, TeardownCommand.class, DemoCommand.class, BenchmarkCommand.class,
            StartCommand.class, SlotsCommand.class, AlarmsCommand.class, StatusCommand.class,
            PrepareUpgradeCommand.class},
        footer = {"", "Exit status: 0 success, 1 the work failed or the database is not ready, 2 bad usage, "
                + "3 prepare-upgrade did its work but listed blockers (do not run the upgrade yet).",
            "Passwords come from environment variables or standard input, never from arguments."})
public final class CdcEnablerCommand implements Runnable {
    /** The work failed, or the database is not ready. */
    static final int FAILED = 1;
    /** Bad usage: found before anything changes. */
    static final int USAGE = 2;
    /** {@code prepare-upgrade} did its work, but listed blockers: the upgrade must not run yet. */
    static final int BLOCKED = 3;

    final PasswordSources passwords;
    final Function<String, String> environment;
    final SfnClientFactory sfnClients;
    /** The CloudWatch clients of {@code alarms}: the SDK defaults, or a test's fake. */
    CloudWatchClientFactory cloudWatchClients = CloudWatchClientFactory.sdkDefaults();
    /** The DynamoDB clients of {@code status}: the SDK defaults, or a test's fake. */
    DynamoDbClientFactory dynamoDbClients = DynamoDbClientFactory.sdkDefaults();
    /** The RDS clients of {@code prepare-upgrade}: the SDK defaults, or a test's fake. */
    RdsClientFactory rdsClients = RdsClientFactory.sdkDefaults();

    CdcEnablerCommand(PasswordSources passwords, Function<String, String> environment, SfnClientFactory sfnClients) {
        this.passwords = passwords;
        this.environment = environment;
        this.sfnClients = sfnClients;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "a subcommand is required");
    }

    public static void main(String[] args) {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(new CdcEnablerCommand(PasswordSources.system(), System::getenv, SfnClientFactory.sdkDefaults())
                .execute(args, out, err));
    }

    /** Runs the command line with this command's environment, password sources and clients; returns the status. */
    int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(this);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((exception, line, parseResult) -> {
            boolean json = parseResult.subcommand() != null && parseResult.subcommand().hasMatchedOption("--json");
            String type = exception.getClass().getSimpleName();
            String message = exception instanceof CdcEnablerException ? exception.getMessage()
                    : exception.getClass().getName() + ": " + exception.getMessage();
            if (json) {
                Map<String, Object> document = Output.object();
                document.put("ok", false);
                document.put("error", type);
                document.put("message", message);
                new Output().printJson(line.getOut(), document);
            }
            line.getErr().println("error: " + message);
            line.getErr().flush();
            return exception instanceof UsageException ? USAGE : FAILED;
        });
        return commandLine.execute(args);
    }
}
