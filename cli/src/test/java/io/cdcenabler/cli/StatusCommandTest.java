package io.cdcenabler.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.contract.ResourceNames;
import io.cdcenabler.registry.DynamoDbEnrolmentRegistry;
import io.cdcenabler.registry.Enrolment;
import io.cdcenabler.registry.EnrolmentRegistry;
import io.cdcenabler.registry.EnrolmentResult;
import io.cdcenabler.testing.FakeDynamoDb;
import io.cdcenabler.workflow.ProvisioningRequest;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusCommandTest {
    private static final Instant ENROLLED = Instant.parse("2026-11-30T10:00:00Z");

    private final FakeDynamoDb dynamoDb = new FakeDynamoDb(ResourceNames.REGISTRY_TABLE_NAME);
    private final EnrolmentRegistry registry = new DynamoDbEnrolmentRegistry(dynamoDb,
            ResourceNames.REGISTRY_TABLE_NAME);
    private final List<String> regions = new ArrayList<>();

    private Enrolment enrol(String identifier, String database) {
        ProvisioningRequest request = ProvisioningRequest.builder().instanceIdentifier(identifier).database(database)
                .build();
        return registry.recordEnrolment(new Enrolment(request, Enrolment.TargetKind.INSTANCE, identifier, database,
                null, "cdc-enabler-" + identifier + "-postgres17", "17.4", ENROLLED, ENROLLED, EnrolmentResult.READY,
                null, List.of(), 0));
    }

    private CliRunner.Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CdcEnablerCommand command = new CdcEnablerCommand(new PasswordSources(name -> null,
                new ByteArrayInputStream(new byte[0])), name -> null, CliRunner.NO_AWS);
        command.dynamoDbClients = region -> {
            regions.add(String.valueOf(region));
            return dynamoDb;
        };
        int exit = command.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new CliRunner.Result(exit, out.toString(), err.toString());
    }

    @Test
    void table_showsEveryEnrolmentWithItsLastResultDriftAndError() {
        enrol("orders-db", "app");
        Enrolment failing = enrol("billing-db", "ledger");
        registry.recordResult(failing.key(), new EnrolmentRegistry.Finding(EnrolmentResult.FAILED,
                List.of("event trigger missing"), "io.cdcenabler.workflow.TablesLockedException: t busy",
                ENROLLED.plusSeconds(3600)));

        CliRunner.Result result = run("status", "--region", "eu-west-1");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(regions).containsExactly("eu-west-1");
        List<String> lines = result.out().lines().toList();
        assertThat(lines.get(0)).startsWith("TARGET").contains("LAST RESULT", "LAST VERIFIED", "DRIFT", "ERROR");
        assertThat(lines.get(1)).startsWith("billing-db").contains("FAILED", "event trigger missing",
                "TablesLockedException", ENROLLED.toString());
        assertThat(lines.get(2)).startsWith("orders-db").contains("READY", ENROLLED.toString());
        assertThat(lines.get(3)).isEqualTo("2 enrolled database(s)");
    }

    @Test
    void json_listsTheSameEnrolments() {
        enrol("orders-db", "app");

        CliRunner.Result result = run("status", "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("\"identifier\" : \"orders-db\"", "\"lastResult\" : \"READY\"",
                "\"database\" : \"app\"", "\"ok\" : true");
    }

    @Test
    void emptyRegistry_saysSo() {
        CliRunner.Result result = run("status", "--region", "us-east-2");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("no enrolled databases in us-east-2 (table cdc-enabler-registry)");
    }

    @Test
    void badTableName_isAUsageErrorBeforeAnyCall() {
        CliRunner.Result result = run("status", "--table", "no/such table");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--table no/such table is not a DynamoDB table name");
        assertThat(regions).as("no client was built").isEmpty();
    }

    @Test
    void missingTable_isAnErrorNamingIt() {
        CliRunner.Result result = run("status", "--table", "not-there", "--region", "us-east-2");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("the registry table not-there does not exist in us-east-2");
    }
}
