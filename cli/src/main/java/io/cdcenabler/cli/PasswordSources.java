package io.cdcenabler.cli;

import io.cdcenabler.postgres.InvalidSpecException;
import io.cdcenabler.postgres.Secret;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
                throw new UsageException("environment variable " + variable + " is not set or empty");
            }
            return null;
        }
        return Secret.of(value);
    }

    Secret stdin(String what) {
        if (stdinUsed) {
            throw new UsageException("standard input can carry only one password; pass the " + what
                    + " another way");
        }
        stdinUsed = true;
        try {
            String line = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new UsageException("expected the " + what + " on standard input, got nothing");
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

    /**
     * Stores a password durably in a new file readable only by its owner, before anything uses it: written to a
     * temporary file (mode 600) in the same folder, forced to disk, then linked to its name, which fails rather than
     * replace a file that exists, and the folder forced too. When another run stored a password there first, that
     * one is returned, so two runs end with the same password. A path that cannot be written is refused naming it.
     */
    static Secret storeNewFile(Path file, Secret password) {
        Path target = file.toAbsolutePath();
        Path folder = target.getParent();
        try {
            Files.createDirectories(folder);
            Path temporary = Files.createTempFile(folder, "." + target.getFileName() + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                    channel.write(StandardCharsets.UTF_8.encode(password.revealAsString() + "\n"));
                    channel.force(true);
                }
                if (!link(target, temporary)) {
                    return readFile(target);
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
            try (FileChannel directory = FileChannel.open(folder, StandardOpenOption.READ)) {
                directory.force(true);
            }
            return password;
        } catch (IOException e) {
            throw new InvalidSpecException("cannot write the CDC password file " + file + " (" + reason(e)
                    + "): choose a path in a folder you can write. Nothing was changed.");
        }
    }

    /** Links the temporary file to its name; false when a file of that name exists already. */
    private static boolean link(Path target, Path temporary) throws IOException {
        try {
            Files.createLink(target, temporary);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException e) {
            if (Files.exists(target)) {
                return false;
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
            return true;
        }
    }

    private static String reason(IOException e) {
        String kind = e.getClass().getSimpleName().replace("Exception", "");
        return e.getMessage() == null ? kind : kind + ": " + e.getMessage();
    }
}
