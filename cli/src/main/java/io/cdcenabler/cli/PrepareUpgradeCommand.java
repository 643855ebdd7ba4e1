package io.cdcenabler.cli;

import io.cdcenabler.postgres.JdbcConnectionSource;
import io.cdcenabler.rds.UpgradeGroup;
import io.cdcenabler.upgrade.Blocker;
import io.cdcenabler.upgrade.InvalidUpgradeTargetException;
import io.cdcenabler.upgrade.TargetVersion;
import io.cdcenabler.upgrade.UpgradePreparation;
import io.cdcenabler.upgrade.UpgradeReport;
import io.cdcenabler.upgrade.UpgradeRequest;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.ProvisioningRequest;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Gets an enrolled RDS or Aurora PostgreSQL target ready for a major version upgrade: our parameter group of the new
 * family, the AWS CLI command that upgrades with it, the blockers, and our event trigger dropped last.
 */
@Command(name = "prepare-upgrade", mixinStandardHelpOptions = true,
        description = "Prepare a major version upgrade without losing logical replication: create our parameter "
                + "group of the new family with today's CDC values, print the AWS CLI command that upgrades with it, "
                + "list what blocks the upgrade (logical slots below PostgreSQL 17, the application's event triggers) "
                + "and drop our event trigger last. Default AWS credentials; --dry-run changes nothing.",
        footer = {"", "Exit status: 0 prepared and nothing blocks the upgrade, 1 the work failed, 2 bad usage, "
                + "3 prepared (also with --dry-run or --json) but blockers are listed: act on them before running "
                + "the upgrade command, so that `prepare-upgrade && aws rds ...` does not run it into a refusal."})
final class PrepareUpgradeCommand extends DatabaseCommand {
    @ArgGroup(exclusive = true, multiplicity = "1")
    StartCommand.Target target;

    @Option(names = "--target-version", required = true, paramLabel = "VERSION",
            description = "The PostgreSQL version to upgrade to: a major (17, the newest RDS offers) or a full "
                    + "version (17.4)")
    String targetVersion;

    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: the SDK's chain)")
    String region;

    @Option(names = "--dry-run", description = "Compute and print everything, change nothing")
    boolean dryRun;

    @Mixin
    LockOptions lock = new LockOptions();

    @Override
    public Integer call() {
        ProvisioningRequest request;
        try {
            TargetVersion.parse(targetVersion);
            request = ProvisioningRequest.builder().instanceIdentifier(target.instance)
                    .clusterIdentifier(target.cluster).build();
        } catch (InvalidUpgradeTargetException | InvalidInputException e) {
            throw new UsageException(e.getMessage());
        }
        JdbcConnectionSource database = source();
        UpgradeReport report;
        try {
            report = new UpgradePreparation(parent.rdsClients.create(region), database, lock.policy())
                    .prepare(new UpgradeRequest(request, targetVersion, region, dryRun));
        } catch (InvalidUpgradeTargetException e) {
            throw new UsageException(e.getMessage());
        }
        if (output.json) {
            output.printJson(out(), json(report));
        } else {
            print(out(), report);
        }
        return report.blockers().isEmpty() ? 0 : CdcEnablerCommand.BLOCKED;
    }

    private static Map<String, Object> json(UpgradeReport report) {
        Map<String, Object> document = Output.object();
        document.put("ok", true);
        // the same answer as the exit status 3: the work was done, but the upgrade must not run yet
        document.put("blocked", !report.blockers().isEmpty());
        document.put("dryRun", report.dryRun());
        document.put("identifier", report.identifier());
        document.put("topology", report.topology().name());
        document.put("currentVersion", report.currentVersion());
        document.put("engineVersion", report.engineVersion());
        UpgradeGroup group = report.parameterGroup();
        Map<String, Object> groupJson = new LinkedHashMap<>();
        groupJson.put("name", group.groupName());
        groupJson.put("kind", group.kind());
        groupJson.put("family", group.family());
        groupJson.put("change", group.change().name());
        groupJson.put("applied", group.applied());
        groupJson.put("parameters", group.parameters());
        groupJson.put("toSet", group.toSet());
        document.put("parameterGroup", groupJson);
        document.put("instanceParameterGroup", report.instanceParameterGroup());
        document.put("command", report.command());
        document.put("blockers", report.blockers().stream().map(b -> Map.of("kind", b.kind().name(), "name",
                b.name(), "subject", b.subject(), "action", b.action())).toList());
        document.put("eventTrigger", report.trigger().name());
        document.put("notes", report.notes());
        return document;
    }

    private static void print(PrintWriter out, UpgradeReport report) {
        UpgradeGroup group = report.parameterGroup();
        out.println((report.dryRun() ? "Dry run (nothing changed): " : "") + "upgrade of " + report.identifier()
                + " from " + report.currentVersion() + " to " + report.engineVersion());
        String verb = switch (group.change()) {
            case CREATE -> report.dryRun() ? "would be created" : "created";
            case UPDATE -> report.dryRun() ? "would be updated" : "updated";
            case NONE -> "unchanged (already complete)";
        };
        out.println("1. " + group.kind() + " parameter group " + group.groupName() + " (family " + group.family()
                + "): " + verb + "; values " + group.parameters()
                + (group.toSet().isEmpty() ? "" : ", set " + group.toSet()));
        out.println("2. Run the upgrade with it (RDS would otherwise attach the family's default group, where "
                + "rds.logical_replication is 0):");
        out.println("   " + report.command());
        if (report.blockers().isEmpty()) {
            out.println("3. Blockers: none.");
        } else {
            out.println("3. Blockers (act on these before running the command):");
            for (Blocker blocker : report.blockers()) {
                out.println("   - " + blocker.subject() + ": " + blocker.action());
            }
        }
        String trigger = switch (report.trigger()) {
            case DROPPED -> "dropped now";
            case WOULD_DROP -> "present; a run without --dry-run drops it (last)";
            case ABSENT -> "not present (nothing to drop)";
        };
        out.println("4. Our event trigger: " + trigger + ".");
        report.notes().forEach(note -> out.println("Note: " + note + "."));
    }
}
