package io.cdcenabler.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Runs the command line in-process with a given environment, standard input and AWS clients, capturing its output. */
final class CliRunner {
    /** The clients of runs that must not reach AWS. */
    static final SfnClientFactory NO_AWS = region -> {
        throw new IllegalStateException("this test does not reach AWS");
    };

    record Result(int exitCode, String out, String err) {
    }

    static Result run(Map<String, String> environment, String stdin, SfnClientFactory sfnClients, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PasswordSources passwords = new PasswordSources(environment::get,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        int exit = new CdcEnablerCommand(passwords, environment::get, sfnClients)
                .execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(exit, out.toString(), err.toString());
    }

    static Result run(Map<String, String> environment, String stdin, String... args) {
        return run(environment, stdin, NO_AWS, args);
    }

    static Result run(String... args) {
        return run(Map.of(), "", args);
    }
}
