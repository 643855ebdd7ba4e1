package io.cdcenabler.cli;

import io.cdcenabler.postgres.Change;
import io.cdcenabler.postgres.Provisioner;
import io.cdcenabler.postgres.TableName;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Starts tracking tables of a SELECTED_TABLES publication. */
@Command(name = "track", mixinStandardHelpOptions = true,
        description = "Start tracking tables (SELECTED_TABLES): REPLICA IDENTITY FULL, add to the publication, grant "
                + "SELECT to the CDC role.")
final class TrackCommand implements Callable<Integer> {
    @ParentCommand
    CdcEnablerCommand parent;
    @Spec
    CommandSpec command;
    @Mixin
    ConnectionOptions connection = new ConnectionOptions();
    @Mixin
    LockOptions lock = new LockOptions();
    @Mixin
    Output output = new Output();

    @Option(names = "--publication", paramLabel = "NAME", defaultValue = "bemi",
            description = "Publication name (default: ${DEFAULT-VALUE})")
    String publication;

    @Option(names = "--table", paramLabel = "TABLE", required = true,
            description = "Table as schema.table (quote parts with \"), repeatable")
    List<String> tables;

    @Option(names = "--cdc-user", paramLabel = "NAME", description = "CDC role to grant SELECT to (omit for MASTER)")
    String cdcUser;

    @Override
    public Integer call() {
        List<TableName> names = tables.stream().map(TableName::parse).toList();
        List<Change> changes = new Provisioner(connection.source(parent.passwords),
                output.progress(command.commandLine().getErr()))
                .track(publication, names, Optional.ofNullable(cdcUser), lock.policy());
        report(output, command.commandLine().getOut(), "Tracking " + names + " in publication " + publication + ":",
                changes);
        return 0;
    }

    static void report(Output output, PrintWriter out, String headline, List<Change> changes) {
        if (output.json) {
            Map<String, Object> document = Output.object();
            document.put("ok", true);
            document.put("changed", changes.size());
            document.put("changes", Output.changes(changes));
            output.printJson(out, document);
        } else {
            out.println(headline);
            output.printChanges(out, changes);
        }
    }
}
