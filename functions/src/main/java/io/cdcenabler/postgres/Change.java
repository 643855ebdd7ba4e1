package io.cdcenabler.postgres;

/** One thing the engine changed (or, in a plan, would change), for people and for the JSON report. */
public record Change(String action, String target) {
    private static final java.util.Map<String, String> PRESENT = java.util.Map.ofEntries(
            java.util.Map.entry("created", "create"), java.util.Map.entry("granted", "grant"),
            java.util.Map.entry("removed", "remove"), java.util.Map.entry("restricted", "restrict"),
            java.util.Map.entry("added", "add"), java.util.Map.entry("dropped", "drop"),
            java.util.Map.entry("enabled", "enable"), java.util.Map.entry("updated", "update"),
            java.util.Map.entry("revoked", "revoke"), java.util.Map.entry("configured", "configure"),
            java.util.Map.entry("cleared", "clear"));

    /** The change as something to do, for messages: "create publication bemi". */
    public String imperative() {
        String text = toString();
        int space = text.indexOf(' ');
        String first = space < 0 ? text : text.substring(0, space);
        return PRESENT.getOrDefault(first, first) + (space < 0 ? "" : text.substring(space));
    }

    @Override
    public String toString() {
        return action + " " + target;
    }
}
