package io.cdcenabler.cli;

import io.cdcenabler.alarms.AlarmChanges;
import io.cdcenabler.alarms.AlarmEnsurer;
import io.cdcenabler.alarms.AlarmNames;
import io.cdcenabler.alarms.AlarmStore;
import io.cdcenabler.alarms.AlarmTarget;
import io.cdcenabler.alarms.CloudWatchAlarmStore;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * The guardrail alarms the workflow keeps for a database: {@code list} shows them, {@code remove} deletes them when
 * the database leaves CDC (until the enrolment registry does it). Only alarms tagged managed-by=cdc-enabler are
 * deleted; others under the same name prefix are listed as someone else's and left alone.
 */
@Command(name = "alarms", mixinStandardHelpOptions = true, subcommands = {AlarmsCommand.ListAlarms.class,
        AlarmsCommand.RemoveAlarms.class},
        description = "List or remove the guardrail alarms (cdc-enabler/<instance|cluster>/<id>/<metric>) of one "
                + "RDS instance or Aurora cluster, with the default AWS credentials.",
        footer = {"", "Exit status: 0 done, 1 AWS refused a call, 2 bad usage."})
final class AlarmsCommand implements Runnable {
    @ParentCommand
    CdcEnablerCommand parent;
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new UsageException("alarms: a subcommand is required (list or remove)");
    }

    /** What both subcommands take: exactly one of an instance and an Aurora cluster, and the region. */
    abstract static class TargetCommand implements Callable<Integer> {
        @ParentCommand
        AlarmsCommand alarms;
        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;
        @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: the SDK's chain)")
        String region;

        AlarmTarget target() {
            try {
                return which.instance != null ? AlarmTarget.instance(which.instance.toLowerCase(Locale.ROOT))
                        : AlarmTarget.auroraCluster(which.cluster.toLowerCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }

        AlarmStore store() {
            CloudWatchClient client = alarms.parent.cloudWatchClients.create(region);
            return new CloudWatchAlarmStore(client);
        }

        PrintWriter out() {
            return alarms.spec.commandLine().getOut();
        }
    }

    static final class Which {
        @Option(names = "--instance", paramLabel = "ID", required = true, description = "RDS DB instance identifier")
        String instance;
        @Option(names = "--cluster", paramLabel = "ID", required = true, description = "Aurora DB cluster identifier")
        String cluster;
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Print the target's alarms.")
    static final class ListAlarms extends TargetCommand {
        @Override
        public Integer call() {
            AlarmTarget target = target();
            List<AlarmStore.StoredAlarm> found = store().findByPrefix(AlarmNames.prefixOf(target));
            PrintWriter out = out();
            found.forEach(alarm -> out.println(alarm.name()));
            out.printf("%d alarm(s) under %s%n", found.size(), AlarmNames.prefixOf(target));
            out.flush();
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Delete the target's alarms (those tagged managed-by=cdc-enabler); print what was removed.")
    static final class RemoveAlarms extends TargetCommand {
        @Override
        public Integer call() {
            AlarmTarget target = target();
            AlarmChanges changes = AlarmEnsurer.forRemoval(store()).remove(target);
            PrintWriter out = out();
            changes.deleted().forEach(name -> out.println("removed " + name));
            changes.foreign().forEach(name -> out.println("left alone (not tagged managed-by=cdc-enabler) " + name));
            out.printf("%d alarm(s) removed for %s%n", changes.deleted().size(), AlarmNames.prefixOf(target));
            out.flush();
            return 0;
        }
    }
}
