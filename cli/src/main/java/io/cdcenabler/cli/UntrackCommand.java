package io.cdcenabler.cli;

import io.cdcenabler.postgres.Change;
import io.cdcenabler.postgres.TableName;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Stops tracking tables of a SELECTED_TABLES publication. */
@Command(name = "untrack", mixinStandardHelpOptions = true,
        description = "Stop tracking tables (SELECTED_TABLES): drop from the publication, REPLICA IDENTITY DEFAULT.")
final class UntrackCommand extends DatabaseCommand {
    @Mixin
    LockOptions lock = new LockOptions();

    @Mixin
    PublicationOption publication = new PublicationOption();

    @Option(names = "--table", paramLabel = "TABLE", required = true,
            description = "Table as schema.table (quote parts with \"), repeatable")
    List<String> tables;

    @Override
    public Integer call() {
        List<TableName> names = tables.stream().map(TableName::parse).toList();
        List<Change> changes = provisioner(source()).untrack(publication.name, names, lock.policy());
        TrackCommand.report(output, out(), "Untracking " + names + " from publication "
                + publication.name + ":", changes);
        return 0;
    }
}
