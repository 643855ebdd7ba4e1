package io.cdcenabler.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cdcenabler.workflow.ProvisioningRequest;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * How one {@link Enrolment} is laid out as a DynamoDB item, kept apart from the store so the layout is in one place.
 * Attributes: {@code identifier} (S, partition key), {@code database} (S, sort key), {@code kind} (S),
 * {@code request} (S, the request as JSON, same mapper settings as the workflow state), {@code cdcSecretArn},
 * {@code parameterGroupName}, {@code engineVersion} (S, absent when null), {@code enrolledAt}, {@code lastVerified}
 * (S, ISO-8601 instants), {@code lastResult} (S), {@code lastError} (S), {@code drift} (L of S) and {@code version}
 * (N, the optimistic-concurrency counter every write conditions on).
 */
final class EnrolmentItem {
    static final String IDENTIFIER = "identifier";
    static final String DATABASE = "database";
    static final String VERSION = "version";
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private EnrolmentItem() {
    }

    static Map<String, AttributeValue> key(Enrolment.Key key) {
        return Map.of(IDENTIFIER, s(key.identifier()), DATABASE, s(key.database()));
    }

    static Map<String, AttributeValue> toItem(Enrolment e) {
        Map<String, AttributeValue> item = new HashMap<>(key(e.key()));
        item.put("kind", s(e.kind().name()));
        item.put("request", s(json(e.request())));
        putIfSet(item, "cdcSecretArn", e.cdcSecretArn());
        putIfSet(item, "parameterGroupName", e.parameterGroupName());
        putIfSet(item, "engineVersion", e.engineVersion());
        item.put("enrolledAt", s(e.enrolledAt().toString()));
        putIfSet(item, "lastVerified", e.lastVerified() == null ? null : e.lastVerified().toString());
        item.put("lastResult", s(e.lastResult().name()));
        putIfSet(item, "lastError", e.lastError());
        item.put("drift", AttributeValue.fromL(e.drift().stream().map(EnrolmentItem::s).toList()));
        item.put(VERSION, AttributeValue.fromN(Long.toString(e.version())));
        return item;
    }

    static Enrolment fromItem(Map<String, AttributeValue> item) {
        List<String> drift = item.containsKey("drift")
                ? item.get("drift").l().stream().map(AttributeValue::s).toList() : List.of();
        String verified = text(item, "lastVerified");
        return new Enrolment(request(text(item, "request")), Enrolment.TargetKind.valueOf(text(item, "kind")),
                text(item, IDENTIFIER), text(item, DATABASE), text(item, "cdcSecretArn"),
                text(item, "parameterGroupName"), text(item, "engineVersion"),
                Instant.parse(text(item, "enrolledAt")), verified == null ? null : Instant.parse(verified),
                EnrolmentResult.valueOf(text(item, "lastResult")), text(item, "lastError"), drift,
                Long.parseLong(item.get(VERSION).n()));
    }

    private static String text(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }

    private static void putIfSet(Map<String, AttributeValue> item, String name, String value) {
        if (value != null) {
            item.put(name, s(value));
        }
    }

    private static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    private static String json(ProvisioningRequest request) {
        try {
            return MAPPER.writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the enrolment request as JSON", e);
        }
    }

    private static ProvisioningRequest request(String json) {
        try {
            return MAPPER.readValue(json, ProvisioningRequest.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored enrolment request is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
