package io.cdcenabler.postgres;

/** One thing the engine changed (or, in a plan, would change), for people and for the JSON report. */
public record Change(String action, String target) {
    @Override
    public String toString() {
        return action + " " + target;
    }
}
