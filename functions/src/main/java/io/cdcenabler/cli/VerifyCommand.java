package io.cdcenabler.cli;

import io.cdcenabler.postgres.VerificationReport;
import io.cdcenabler.postgres.Verifier;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Checks, read-only, that the database is ready for a CDC tool; exit status 1 when it is not. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Check that the database is ready for CDC (read-only; the slot check needs the CDC password).")
final class VerifyCommand implements Callable<Integer> {
    @ParentCommand
    CdcEnablerCommand parent;
    @Spec
    CommandSpec command;
    @Mixin
    ConnectionOptions connection = new ConnectionOptions();
    @Mixin
    SpecOptions specOptions = new SpecOptions();
    @Mixin
    Output output = new Output();

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        VerificationReport report = new Verifier(connection.source(parent.passwords))
                .verify(specOptions.spec(parent.passwords));
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
