package io.cdcenabler.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The workflow's Amazon States Language text as statemachine/ keeps it, with {@code ${Name}} placeholders where the
 * deployed function ARNs go. Read at synth time, so the deployed definition is always the tested file.
 *
 * @param json the ASL document
 */
public record StateMachineDefinition(String json) {
    /** Relative to infra/, where the cdk CLI and the tests run. */
    public static final Path DEFAULT_FILE = Path.of("../statemachine/cdc-enabler.asl.json");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    public StateMachineDefinition {
        Objects.requireNonNull(json, "json");
        if (json.isBlank()) {
            throw new IllegalArgumentException("json must be an ASL document, was blank");
        }
    }

    /** Reads the definition from {@code file}. */
    public static StateMachineDefinition read(Path file) {
        try {
            return new StateMachineDefinition(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state machine definition "
                    + file.toAbsolutePath().normalize(), e);
        }
    }

    /** The names of the {@code ${Name}} placeholders the definition contains, sorted. */
    public Set<String> placeholders() {
        Set<String> names = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(json);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
        return names;
    }
}
