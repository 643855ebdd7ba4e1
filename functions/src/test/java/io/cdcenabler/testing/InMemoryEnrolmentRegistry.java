package io.cdcenabler.testing;

import io.cdcenabler.registry.Enrolment;
import io.cdcenabler.registry.EnrolmentRegistry;
import io.cdcenabler.registry.EnrolmentResult;
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
        Enrolment stored = enrolments.get(enrolment.key().toString());
        Enrolment next = new Enrolment(enrolment.request(), enrolment.kind(), enrolment.identifier(),
                enrolment.database(), enrolment.cdcSecretArn(), enrolment.parameterGroupName(),
                enrolment.engineVersion(), stored == null ? enrolment.enrolledAt() : stored.enrolledAt(),
                enrolment.lastVerified(), enrolment.lastResult(), enrolment.lastError(), enrolment.drift(),
                stored == null ? 1 : stored.version() + 1);
        enrolments.put(next.key().toString(), next);
        return next;
    }

    @Override
    public synchronized Optional<Enrolment> recordResult(Enrolment.Key key, Finding finding) {
        Enrolment e = enrolments.get(key.toString());
        if (e == null) {
            return Optional.empty();
        }
        EnrolmentResult result = finding.result();
        boolean verified = result == EnrolmentResult.READY || result == EnrolmentResult.REPAIRED;
        Enrolment next = new Enrolment(e.request(), e.kind(), e.identifier(), e.database(), e.cdcSecretArn(),
                e.parameterGroupName(), e.engineVersion(), e.enrolledAt(), verified ? finding.at() : e.lastVerified(),
                result, finding.error(), finding.drift(), e.version() + 1);
        enrolments.put(key.toString(), next);
        return Optional.of(next);
    }

    @Override
    public boolean remove(Enrolment.Key key) {
        return enrolments.remove(key.toString()) != null;
    }
}
