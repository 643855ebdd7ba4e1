package io.cdcenabler.testing;

import io.cdcenabler.registry.Enrolment;
import io.cdcenabler.registry.EnrolmentRegistry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A registry in a map, for tests of code that only uses the {@link EnrolmentRegistry} contract. Tests of the store
 * itself and the workflow tests use the DynamoDB store over the DynamoDB fake instead.
 */
public final class InMemoryEnrolmentRegistry implements EnrolmentRegistry {
    private final Map<String, Enrolment> enrolments = new ConcurrentSkipListMap<>();

    @Override
    public Optional<Enrolment> find(Enrolment.Key key) {
        return Optional.ofNullable(enrolments.get(key.toString()));
    }

    @Override
    public List<Enrolment> list() {
        return List.copyOf(enrolments.values());
    }

    @Override
    public List<Enrolment> listFor(String identifier) {
        return enrolments.values().stream().filter(e -> e.identifier().equals(identifier)).toList();
    }

    @Override
    public synchronized Enrolment recordEnrolment(Enrolment enrolment) {
        Enrolment next = enrolment.storedOver(enrolments.get(enrolment.key().toString()));
        enrolments.put(next.key().toString(), next);
        return next;
    }

    @Override
    public synchronized Optional<Enrolment> recordResult(Enrolment.Key key, Finding finding) {
        Optional<Enrolment> next = Optional.ofNullable(enrolments.get(key.toString())).map(finding::applyTo);
        next.ifPresent(e -> enrolments.put(key.toString(), e));
        return next;
    }

    @Override
    public boolean remove(Enrolment.Key key) {
        return enrolments.remove(key.toString()) != null;
    }
}
