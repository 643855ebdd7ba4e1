package io.cdcenabler.cli;

import io.cdcenabler.contract.ResourceNames;
import io.cdcenabler.registry.DynamoDbEnrolmentRegistry;
import io.cdcenabler.registry.Enrolment;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Every enrolled database of the Region, from the enrolment registry: its last result, what had drifted, the last
 * error and when it was last verified. Reads only.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "List every enrolled database in the region from the enrolment registry (DynamoDB table), with "
                + "its last result, drift, error and when it was last verified. Default AWS credentials.",
        footer = {"", "Exit status: 0 listed, 1 AWS refused a call or the table does not exist, 2 bad usage."})
final class StatusCommand implements Callable<Integer> {
    private static final String[] HEADERS = {"TARGET", "KIND", "DATABASE", "LAST RESULT", "LAST VERIFIED", "DRIFT",
        "ERROR"};

    @ParentCommand
    CdcEnablerCommand parent;
    @Spec
    CommandSpec spec;
    @Option(names = "--region", paramLabel = "REGION", description = "AWS region (default: the SDK's chain)")
    String region;
    @Option(names = "--table", paramLabel = "NAME", defaultValue = ResourceNames.REGISTRY_TABLE_NAME,
            description = "the registry table (default: ${DEFAULT-VALUE}, the name the stack gives it)")
    String table;
    @Option(names = "--json", description = "print JSON instead of a table")
    boolean json;

    @Override
    public Integer call() {
        if (!table.matches("[A-Za-z0-9_.-]{3,255}")) {
            throw new UsageException("--table " + table + " is not a DynamoDB table name (3 to 255 characters: "
                    + "letters, digits, _ . -)");
        }
        List<Enrolment> enrolments;
        try {
            enrolments = new DynamoDbEnrolmentRegistry(parent.dynamoDbClients.create(region), table).list();
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("the registry table " + table + " does not exist in "
                    + where() + " (deploy the stack there, or name the table with --table)", e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Object> document = Output.object();
            document.put("ok", true);
            document.put("enrolments", enrolments.stream().map(StatusCommand::asJson).toList());
            new Output().printJson(out, document);
        } else if (enrolments.isEmpty()) {
            out.println("no enrolled databases in " + where() + " (table " + table + ")");
        } else {
            printTable(out, enrolments.stream().map(StatusCommand::row).toList());
        }
        out.flush();
        return 0;
    }

    private String where() {
        return region == null ? "the default region" : region;
    }

    private static Map<String, Object> asJson(Enrolment e) {
        Map<String, Object> item = Output.object();
        item.put("identifier", e.identifier());
        item.put("kind", e.kind().name());
        item.put("database", e.database());
        item.put("lastResult", e.lastResult().name());
        item.put("lastVerified", text(e.lastVerified()));
        item.put("enrolledAt", text(e.enrolledAt()));
        item.put("drift", e.drift());
        item.put("lastError", e.lastError());
        item.put("parameterGroupName", e.parameterGroupName());
        item.put("engineVersion", e.engineVersion());
        item.put("publication", e.request().publication());
        return item;
    }

    private static String[] row(Enrolment e) {
        return new String[] {e.identifier(), e.kind().name(), e.database(), e.lastResult().name(),
            e.lastVerified() == null ? "never" : e.lastVerified().toString(),
            e.drift().isEmpty() ? "-" : String.join("; ", e.drift()),
            e.lastError() == null ? "-" : e.lastError()};
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static void printTable(PrintWriter out, List<String[]> rows) {
        List<String[]> all = new ArrayList<>();
        all.add(HEADERS);
        all.addAll(rows);
        int[] widths = new int[HEADERS.length];
        all.forEach(r -> {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        });
        for (String[] r : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format("%-" + widths[i] + "s  ", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        out.printf("%d enrolled database(s)%n", rows.size());
    }
}
