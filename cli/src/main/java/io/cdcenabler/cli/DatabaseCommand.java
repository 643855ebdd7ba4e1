package io.cdcenabler.cli;

import io.cdcenabler.postgres.JdbcConnectionSource;
import io.cdcenabler.postgres.Provisioner;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every subcommand that talks to a database shares: the connection options, the output mode, the streams. */
abstract class DatabaseCommand implements Callable<Integer> {
    @ParentCommand
    CdcEnablerCommand parent;
    @Spec
    CommandSpec command;
    @Mixin
    ConnectionOptions connection = new ConnectionOptions();
    @Mixin
    Output output = new Output();

    PrintWriter out() {
        return command.commandLine().getOut();
    }

    PrintWriter err() {
        return command.commandLine().getErr();
    }

    PasswordSources passwords() {
        return parent.passwords;
    }

    JdbcConnectionSource source() {
        return connection.source(passwords());
    }

    /** An engine on this connection that reports progress on stderr (unless --json or --quiet). */
    Provisioner provisioner(JdbcConnectionSource source) {
        return new Provisioner(source, output.progress(err()));
    }
}
