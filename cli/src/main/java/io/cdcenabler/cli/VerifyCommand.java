package io.cdcenabler.cli;

import io.cdcenabler.postgres.VerificationReport;
import io.cdcenabler.postgres.Verifier;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Checks, read-only, that the database is ready for a CDC tool; exit status 1 when it is not. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check that the database is ready for CDC (read-only; the slot check needs the CDC password).")
final class VerifyCommand extends DatabaseCommand {
    @Mixin
    SpecOptions specOptions = new SpecOptions();

    @Option(names = "--slot-warn", paramLabel = "SIZE|PCT", description = "WAL one replication slot may retain "
            + "before WARN: a size (10GB) or a share (10%%) of --allocated-storage (default: 5GB, or 10%%)")
    String slotWarn;

    @Option(names = "--slot-fail", paramLabel = "SIZE|PCT", description = "WAL one replication slot may retain "
            + "before FAIL: a size or a share of --allocated-storage (default: 50GB, or 25%%)")
    String slotFail;

    @Option(names = "--allocated-storage", paramLabel = "SIZE",
            description = "The database's allocated storage (e.g. 200GB), for slot thresholds given as a share")
    String allocatedStorage;

    @Override
    public Integer call() {
        PrintWriter out = out();
        Verifier verifier = new Verifier(source(), SlotsCommand.thresholds(slotWarn, slotFail, allocatedStorage));
        VerificationReport report = verifier.verify(specOptions.spec(passwords()));
        if (output.json) {
            Map<String, Object> document = Output.object();
            document.put("ok", report.ready());
            document.put("checks", report.checks().stream().map(check -> Map.of("name", check.name(),
                    "status", check.status().name(), "detail", check.detail())).toList());
            output.printJson(out, document);
        } else {
            report.checks().forEach(check -> out.printf("%-4s %s: %s%n", check.status(), check.name(), check.detail()));
            out.println(report.ready() ? "Ready for CDC." : "NOT ready: " + report.failures().size()
                    + " check(s) failed.");
        }
        return report.ready() ? 0 : CdcEnablerCommand.FAILED;
    }
}
