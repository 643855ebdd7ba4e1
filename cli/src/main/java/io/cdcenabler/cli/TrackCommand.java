package io.cdcenabler.cli;

import io.cdcenabler.postgres.Change;
import io.cdcenabler.postgres.TableName;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Starts tracking tables of a SELECTED_TABLES publication. */
@Command(name = "track", mixinStandardHelpOptions = true,
        description = "Start tracking tables (SELECTED_TABLES): REPLICA IDENTITY FULL, add to the publication, grant "
                + "SELECT to the CDC role.")
final class TrackCommand extends DatabaseCommand {
    @Mixin
    LockOptions lock = new LockOptions();

    @Mixin
    PublicationOption publication = new PublicationOption();

    @Option(names = "--table", paramLabel = "TABLE", required = true,
            description = "Table as schema.table (quote parts with \"), repeatable")
    List<String> tables;

    @Option(names = "--cdc-user", paramLabel = "NAME", description = "CDC role to grant SELECT to (omit for MASTER)")
    String cdcUser;

    @Override
    public Integer call() {
        List<TableName> names = tables.stream().map(TableName::parse).toList();
        List<Change> changes = provisioner(source())
                .track(publication.name, names, Optional.ofNullable(cdcUser), lock.policy());
        report(output, out(), "Tracking " + names + " in publication " + publication.name + ":",
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
