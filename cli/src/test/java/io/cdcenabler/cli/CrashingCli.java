package io.cdcenabler.cli;

import java.io.PrintWriter;
import java.util.Arrays;

/**
 * The command line in a child process that dies abruptly (Runtime.halt: no shutdown hooks, no flushing, as after
 * kill -9) when provision reaches the checkpoint named by the first argument; the other arguments are the command's.
 */
final class CrashingCli {
    static final int KILLED = 137;

    private CrashingCli() {
    }

    public static void main(String[] args) {
        String crashAt = args[0];
        ProvisionCommand.checkpoint = name -> {
            if (name.equals(crashAt)) {
                Runtime.getRuntime().halt(KILLED);
            }
        };
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(new CdcEnablerCommand(PasswordSources.system(), System::getenv, CliRunner.NO_AWS)
                .execute(Arrays.copyOfRange(args, 1, args.length), out, err));
    }
}
