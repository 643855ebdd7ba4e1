package io.cdcenabler.cli;

import io.cdcenabler.postgres.VerificationReport;
import io.cdcenabler.postgres.Verifier;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Checks, read-only, that the database is ready for a CDC tool; exit status 1 when it is not. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check that the database is ready for CDC (read-only; the slot check needs the CDC password).")
final class VerifyCommand extends DatabaseCommand {
    @Mixin
    SpecOptions specOptions = new SpecOptions();

    @Override
    public Integer call() {
        PrintWriter out = out();
        VerificationReport report = new Verifier(source())
                .verify(specOptions.spec(passwords()));
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
