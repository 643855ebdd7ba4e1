package io.cdcenabler.testing;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.rds.EventDefaults;
import io.cdcenabler.workflow.RebootPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The account the RDS tests run against, built on {@link FakeRds}, and the plumbing to feed a handler the JSON the
 * state machine would: event files from src/test/resources/events and the state with each step's result under
 * its key.
 */
public final class FakeRdsWorld {
    public static final String TAG_KEY = "cdc-enabler";
    public static final EventDefaults DEFAULTS = new EventDefaults(TAG_KEY, "true", "ALL_TABLES", List.of("public"),
            "bemi", RebootPolicy.IMMEDIATE, null, null, null);
    public static final String ORDERS_SECRET =
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-0b1c2d3e-4f56-7890-abcd-ef1234567890-AbCdEf";
    public static final String AURORA_SECRET =
            "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!cluster-1a2b3c4d-5e6f-7890-abcd-ef12345678-XyZ123";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private FakeRdsWorld() {
    }

    /**
     * orders-db (PostgreSQL 16, Single-AZ, default group, RDS-managed secret), orders-multi-az (PostgreSQL 15,
     * Multi-AZ instance), orders-aurora (Aurora PostgreSQL 16: writer orders-aurora-1, reader orders-aurora-2),
     * orders-maz (Multi-AZ DB cluster, PostgreSQL 16), billing-db and reporting-db sharing the custom group
     * shared-pg16, shop-mysql (MySQL 8.0), untagged-db (no opt-in tag), replica-db (read replica of orders-db),
     * restored-db; every PostgreSQL target but untagged-db carries the opt-in tag.
     */
    public static FakeRds standard() {
        FakeRds rds = new FakeRds();
        rds.addInstance("orders-db", "postgres", "16.4").tag(TAG_KEY, "true").dbName("orders")
                .masterSecret(ORDERS_SECRET).maintenanceWindow("sun:05:00-sun:05:30");
        rds.addInstance("orders-multi-az", "postgres", "15.8").multiAz(true).tag(TAG_KEY, "true");
        rds.addAuroraCluster("orders-aurora", "16.4", "orders-aurora-1", "orders-aurora-2").tag(TAG_KEY, "true")
                .dbName("orders").masterSecret(AURORA_SECRET);
        rds.addMultiAzCluster("orders-maz", "16.4").tag(TAG_KEY, "TRUE");
        rds.addDbParameterGroup("shared-pg16", "postgres16", Map.of("log_min_duration_statement", "500"));
        rds.addInstance("billing-db", "postgres", "16.4").tag(TAG_KEY, "true");
        rds.addInstance("reporting-db", "postgres", "16.4").tag(TAG_KEY, "true");
        rds.useDbParameterGroup("billing-db", "shared-pg16");
        rds.useDbParameterGroup("reporting-db", "shared-pg16");
        rds.addInstance("shop-mysql", "mysql", "8.0.39").tag(TAG_KEY, "true");
        rds.addInstance("untagged-db", "postgres", "15.8");
        rds.addInstance("replica-db", "postgres", "16.4").tag(TAG_KEY, "true").readReplicaOf("orders-db");
        rds.addInstance("restored-db", "postgres", "17.2").tag(TAG_KEY, "true");
        return rds;
    }

    /** The text of src/test/resources/events/{@code name}. */
    public static String event(String name) {
        try (InputStream in = FakeRdsWorld.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource /events/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code handler} on {@code input} as Lambda would and parses its output. */
    public static JsonNode invoke(RequestStreamHandler handler, String input) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output, null);
            return MAPPER.readTree(output.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The execution state after DescribeTarget: the original input at the root, its result under "target". */
    public static ObjectNode stateWith(String originalInput, JsonNode target) {
        try {
            JsonNode input = MAPPER.readTree(originalInput);
            ObjectNode state = input.isObject() ? (ObjectNode) input.deepCopy() : MAPPER.createObjectNode();
            state.set("target", target);
            return state;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
