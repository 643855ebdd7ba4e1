package io.cdcenabler.cli;

import io.cdcenabler.postgres.Change;
import io.cdcenabler.postgres.Provisioner;
import io.cdcenabler.postgres.TableName;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Stops tracking tables of a SELECTED_TABLES publication. */
@Command(name = "untrack", mixinStandardHelpOptions = true,
        description = "Stop tracking tables (SELECTED_TABLES): drop from the publication, REPLICA IDENTITY DEFAULT.")
final class UntrackCommand implements Callable<Integer> {
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

    @Override
    public Integer call() {
        List<TableName> names = tables.stream().map(TableName::parse).toList();
        List<Change> changes = new Provisioner(connection.source(parent.passwords),
                output.progress(command.commandLine().getErr())).untrack(publication, names, lock.policy());
        TrackCommand.report(output, command.commandLine().getOut(), "Untracking " + names + " from publication "
                + publication + ":", changes);
        return 0;
    }
}
