package io.cdcenabler.postgres;

import java.util.List;

/** The outcome of verify: one check per property a CDC tool depends on. Ready when no check failed. */
public record VerificationReport(List<Check> checks) {

    /** How a check came out. WARN is a risk worth acting on that does not stop CDC; SKIP could not be checked. */
    public enum Status { PASS, WARN, FAIL, SKIP }

    /** One verified property. */
    public record Check(String name, Status status, String detail) {
    }

    public VerificationReport {
        checks = List.copyOf(checks);
    }

    public boolean ready() {
        return checks.stream().noneMatch(check -> check.status() == Status.FAIL);
    }

    public List<Check> failures() {
        return checks.stream().filter(check -> check.status() == Status.FAIL).toList();
    }

    public Check check(String name) {
        return checks.stream().filter(check -> check.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no check named " + name));
    }
}
