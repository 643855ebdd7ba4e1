package io.cdcenabler.cli;

import io.cdcenabler.postgres.DatabaseException;
import io.cdcenabler.postgres.InvalidSpecException;
import io.cdcenabler.postgres.LockPolicy;
import io.cdcenabler.postgres.SlotHealth;
import io.cdcenabler.postgres.SlotReport;
import io.cdcenabler.postgres.SlotThresholds;
import io.cdcenabler.postgres.VerificationReport.Status;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The replication slots that retain WAL for a database, judged against thresholds; exit 1 when one FAILs. */
@Command(name = "slots", mixinStandardHelpOptions = true,
        description = "Show every replication slot that retains WAL for the database (its logical slots and every "
                + "physical slot), with the WAL each holds back; exit 1 when one crosses the FAIL threshold "
                + "or has lost its WAL (read-only; for cron or CI).")
final class SlotsCommand extends DatabaseCommand {
    @Mixin
    PublicationOption publication = new PublicationOption();

    @Option(names = "--warn", paramLabel = "SIZE|PCT",
            description = "WAL one slot may retain before WARN: a size (10GB, 512MB) or a share (10%%) of "
                    + "--allocated-storage (default: 5GB, or 10%% with --allocated-storage)")
    String warn;

    @Option(names = "--fail", paramLabel = "SIZE|PCT",
            description = "WAL one slot may retain before FAIL (exit 1): a size or a share of --allocated-storage "
                    + "(default: 50GB, or 25%% with --allocated-storage)")
    String fail;

    @Option(names = "--allocated-storage", paramLabel = "SIZE",
            description = "The database's allocated storage, e.g. 200GB (RDS: AllocatedStorage), for thresholds "
                    + "given as a share")
    String allocatedStorage;

    @Override
    public Integer call() {
        SlotThresholds thresholds = thresholds(warn, fail, allocatedStorage);
        List<SlotReport> reports;
        try (Connection connection = source().openAdmin()) {
            reports = SlotHealth.inspect(connection, LockPolicy.DEFAULT, thresholds);
        } catch (SQLException e) {
            throw new DatabaseException("closing the connection", e);
        }
        Status worst = SlotHealth.worst(reports);
        if (output.json) {
            printJson(reports, thresholds, worst);
        } else {
            printTable(reports, thresholds, worst);
        }
        return worst == Status.FAIL ? CdcEnablerCommand.FAILED : 0;
    }

    /** Thresholds from the options' text; a bad size or share is a usage error (exit 2), found before connecting. */
    static SlotThresholds thresholds(String warn, String fail, String allocatedStorage) {
        try {
            OptionalLong allocated = allocatedStorage == null ? OptionalLong.empty()
                    : OptionalLong.of(SlotThresholds.parseSize("--allocated-storage", allocatedStorage));
            return SlotThresholds.parse(warn, fail, allocated);
        } catch (InvalidSpecException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private void printTable(List<SlotReport> reports, SlotThresholds thresholds, Status worst) {
        PrintWriter out = out();
        if (reports.isEmpty()) {
            out.println("No replication slot retains WAL for this database.");
            return;
        }
        String format = "%-4s  %-30s  %-8s  %-10s  %-8s  %-10s  %10s  %10s%n";
        out.printf(format, "", "SLOT", "TYPE", "PLUGIN", "ACTIVE", "WAL_STATUS", "RETAINED", "SAFE_WAL");
        for (SlotReport report : reports) {
            out.printf(format, report.verdict().status(), report.identity().name(), report.identity().type(),
                    orDash(report.identity().plugin()), report.activity().active() ? "yes" : "no",
                    orDash(report.wal().status()), size(report.wal().retainedBytes()), size(report.wal().safeWalSize()));
        }
        out.println();
        for (SlotReport report : reports) {
            out.println(report.verdict().status() + " " + report.verdict().message() + "; "
                    + report.publicationNote(publication.name));
        }
        out.println("Thresholds: " + thresholds.basis() + ". " + (worst == Status.FAIL
                ? "FAIL: act on the slots above." : worst == Status.WARN ? "WARN: act before the FAIL threshold." : "All slots are healthy."));
    }

    private void printJson(List<SlotReport> reports, SlotThresholds thresholds, Status worst) {
        Map<String, Object> document = Output.object();
        document.put("ok", worst != Status.FAIL);
        document.put("status", worst.name());
        document.put("thresholds", Map.of("warnBytes", thresholds.warnBytes(), "failBytes", thresholds.failBytes(),
                "basis", thresholds.basis()));
        document.put("slots", reports.stream().map(this::slotJson).toList());
        output.printJson(out(), document);
    }

    private Map<String, Object> slotJson(SlotReport report) {
        Map<String, Object> slot = new LinkedHashMap<>();
        slot.put("name", report.identity().name());
        slot.put("type", report.identity().type());
        slot.put("plugin", report.identity().plugin());
        slot.put("database", report.identity().database());
        slot.put("temporary", report.activity().temporary());
        slot.put("active", report.activity().active());
        slot.put("inactiveSince", report.activity().active() ? null
                : report.activity().inactiveSince().map(Object::toString).orElse("unknown"));
        slot.put("consumer", report.activity().consumer() == null ? null : report.activity().consumer().describe());
        slot.put("walStatus", report.wal().status());
        slot.put("retainedBytes", report.wal().retainedBytes());
        slot.put("safeWalSizeBytes", report.wal().safeWalSize());
        slot.put("invalidationReason", report.wal().invalidationReason());
        slot.put("publication", report.publicationNote(publication.name));
        slot.put("status", report.verdict().status().name());
        slot.put("message", report.verdict().message());
        return slot;
    }

    private static String orDash(String text) {
        return text == null ? "-" : text;
    }

    private static String size(Long bytes) {
        return bytes == null ? "-" : SlotThresholds.format(bytes);
    }
}
