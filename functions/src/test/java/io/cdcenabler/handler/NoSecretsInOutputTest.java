package io.cdcenabler.handler;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdcenabler.handler.ProvisionHandlerTest.Fixture;
import io.cdcenabler.postgres.Provisioner;
import io.cdcenabler.postgres.Verifier;
import io.cdcenabler.secrets.AdminSecrets;
import io.cdcenabler.secrets.CdcSecretStore;
import io.cdcenabler.steps.ProvisionStep;
import io.cdcenabler.steps.VerifyStep;
import io.cdcenabler.testing.PostgresServers;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs ReadCredentials, Provision (twice) and Verify against a real PostgreSQL and finds neither the admin password
 * nor the CDC password in any handler output or in anything logged meanwhile. slf4j-simple writes to System.err,
 * which is captured; the loggers of the code under test are turned down to TRACE for the run so every line they can
 * write is written (the build's default level is warn).
 */
class NoSecretsInOutputTest {
    private static final List<Class<?>> LOGGING_CLASSES = List.of(ReadCredentialsHandler.class,
            ProvisionStep.class, VerifyStep.class, AdminSecrets.class, CdcSecretStore.class, Provisioner.class,
            Verifier.class);

    @Test
    void fullRun_neverPrintsOrLogsAPassword() throws Exception {
        List<String> versions = PostgresServers.versions();
        Fixture fixture = new Fixture(versions.get(versions.size() - 1));
        fixture.db.sql("CREATE TABLE public.orders (id int PRIMARY KEY, status text)");
        List<String> outputs = new ArrayList<>();
        ByteArrayOutputStream logs = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        Map<Object, Integer> levels = traceLevel();
        try {
            System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
            ObjectNode state = fixture.state("state-after-check-status.json");
            state.putObject("execution").put("name", "orders-db-run-42");
            JsonNode credentials = fixture.run(fixture.readCredentialsHandler(), state);
            outputs.add(credentials.toString());
            state.set("credentials", credentials);
            JsonNode provision = fixture.run(fixture.provisionHandler(), state);
            outputs.add(provision.toString());
            outputs.add(fixture.run(fixture.provisionHandler(), state).toString());
            state.set("provision", provision);
            outputs.add(fixture.run(fixture.verifyHandler(), state).toString());
        } finally {
            System.setErr(originalErr);
            restore(levels);
        }
        String cdcPassword = Json.MAPPER.readTree(fixture.secretsManager.currentSecretString(
                fixture.cdcSecretName())).get("password").asText();
        String logged = logs.toString(StandardCharsets.UTF_8);

        assertThat(logged).contains("\"event\":\"provisioned\"", "\"event\":\"verified\"");
        String stepLine = ".*\"event\":\"(provisioned|verified|adminSecret|cdcSecret).*";
        assertThat(logged.lines().filter(line -> line.matches(stepLine)))
                .hasSizeGreaterThanOrEqualTo(4)
                .allMatch(line -> line.contains("\"execution\":\"orders-db-run-42\""));
        assertThat(cdcPassword).isNotBlank();
        assertThat(outputs).hasSize(4).allSatisfy(output -> assertThat(output)
                .doesNotContain(fixture.adminPassword).doesNotContain(cdcPassword));
        assertThat(logged).doesNotContain(fixture.adminPassword).doesNotContain(cdcPassword);
    }

    private static Map<Object, Integer> traceLevel() throws ReflectiveOperationException {
        Map<Object, Integer> previous = new HashMap<>();
        for (Class<?> type : LOGGING_CLASSES) {
            Logger logger = LoggerFactory.getLogger(type);
            Field level = levelField(logger);
            if (level != null) {
                previous.put(logger, level.getInt(logger));
                level.setInt(logger, 0);
            }
        }
        return previous;
    }

    private static void restore(Map<Object, Integer> levels) throws ReflectiveOperationException {
        for (Map.Entry<Object, Integer> entry : levels.entrySet()) {
            levelField(entry.getKey()).setInt(entry.getKey(), entry.getValue());
        }
    }

    /** slf4j-simple's SimpleLogger keeps its level in {@code currentLogLevel}; other bindings are left alone. */
    private static Field levelField(Object logger) throws ReflectiveOperationException {
        for (Class<?> type = logger.getClass(); type != null; type = type.getSuperclass()) {
            try {
                Field field = type.getDeclaredField("currentLogLevel");
                field.setAccessible(true);
                return field;
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        return null;
    }
}
