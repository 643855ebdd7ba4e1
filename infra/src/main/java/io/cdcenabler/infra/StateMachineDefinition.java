package io.cdcenabler.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
    /** The reconciliation's definition, relative to infra/ like {@link #DEFAULT_FILE}. */
    public static final Path RECONCILE_FILE = Path.of("../statemachine/reconcile.asl.json");

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

    /**
     * Checks that {@code substitutions} fill exactly this definition's placeholders: a placeholder without a value
     * would deploy a broken Task, a value without a placeholder means the stack and the file disagree.
     *
     * @throws IllegalStateException naming the placeholders without a value and the values without a placeholder
     */
    public void requireSubstitutions(String machine, Map<String, String> substitutions) {
        Set<String> placeholders = placeholders();
        if (!placeholders.equals(substitutions.keySet())) {
            Set<String> unknown = new TreeSet<>(placeholders);
            unknown.removeAll(substitutions.keySet());
            Set<String> unused = new TreeSet<>(substitutions.keySet());
            unused.removeAll(placeholders);
            throw new IllegalStateException("the " + machine + " state machine definition's placeholders must be "
                    + "exactly " + new TreeSet<>(substitutions.keySet()) + "; without a value: " + unknown
                    + ", missing from the definition: " + unused);
        }
    }
}
