package io.cdcenabler.registry;

import java.util.List;
import java.util.Optional;

/**
 * The registry of a function whose environment does not name the table: every call fails with an error naming the
 * variable, before any AWS call and without changing anything.
 */
public final class UnconfiguredRegistry implements EnrolmentRegistry {
    private final String variable;

    public UnconfiguredRegistry(String variable) {
        this.variable = variable;
    }

    private IllegalStateException missing() {
        return new IllegalStateException("environment variable " + variable + " is not set: the stack sets it to "
                + "the enrolment registry's table name; nothing was read or written");
    }

    @Override
    public Optional<Enrolment> find(Enrolment.Key key) {
        throw missing();
    }

    @Override
    public List<Enrolment> list() {
        throw missing();
    }

    @Override
    public List<Enrolment> listFor(String identifier) {
        throw missing();
    }

    @Override
    public Enrolment recordEnrolment(Enrolment enrolment) {
        throw missing();
    }

    @Override
    public Optional<Enrolment> recordResult(Enrolment.Key key, Finding finding) {
        throw missing();
    }

    @Override
    public boolean remove(Enrolment.Key key) {
        throw missing();
    }
}
