package io.cdcenabler.cli;

import io.cdcenabler.postgres.InvalidSpecException;
import io.cdcenabler.postgres.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.function.Function;

/** Reads passwords from environment variables, standard input or files, and writes generated ones to a file (0600). */
final class PasswordSources {
    private final Function<String, String> environment;
    private final InputStream stdin;
    private boolean stdinUsed;

    PasswordSources(Function<String, String> environment, InputStream stdin) {
        this.environment = environment;
        this.stdin = stdin;
    }

    static PasswordSources system() {
        Map<String, String> env = System.getenv();
        return new PasswordSources(env::get, System.in);
    }

    /** The password in an environment variable; null when unset and not required. */
    Secret env(String variable, boolean required) {
        String value = environment.apply(variable);
        if (value == null || value.isEmpty()) {
            if (required) {
                throw new InvalidSpecException("environment variable " + variable + " is not set or empty");
            }
            return null;
        }
        return Secret.of(value);
    }

    Secret stdin(String what) {
        if (stdinUsed) {
            throw new InvalidSpecException("standard input can carry only one password; pass the " + what
                    + " another way");
        }
        stdinUsed = true;
        try {
            String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new InvalidSpecException("expected the " + what + " on standard input, got nothing");
            }
            return Secret.of(line);
        } catch (IOException e) {
            throw new UncheckedIOException("reading the " + what + " from standard input", e);
        }
    }

    static Secret readFile(Path file) {
        try {
            String value = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (value.isEmpty()) {
                throw new InvalidSpecException("password file " + file + " is empty");
            }
            return Secret.of(value);
        } catch (IOException e) {
            throw new InvalidSpecException("cannot read password file " + file + ": " + e.getMessage());
        }
    }

    /** Writes a password to a new file readable only by its owner. */
    static void writeNewFile(Path file, Secret password) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, password.revealAsString() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (FileAlreadyExistsException e) {
            throw new InvalidSpecException("password file " + file + " appeared meanwhile; not overwritten");
        } catch (IOException e) {
            throw new UncheckedIOException("writing password file " + file, e);
        }
    }
}
