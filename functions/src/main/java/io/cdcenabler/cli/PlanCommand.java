package io.cdcenabler.cli;

import io.cdcenabler.postgres.Plan;
import io.cdcenabler.postgres.Provisioner;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Prints every statement provisioning would run, changing nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print every statement provision would run, changing nothing.")
final class PlanCommand implements Callable<Integer> {
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
        Plan plan = new Provisioner(connection.source(parent.passwords)).plan(specOptions.spec(parent.passwords));
        if (output.json) {
            Map<String, Object> document = Output.object();
            document.put("ok", true);
            document.put("changes", Output.changes(plan.changes()));
            document.put("statements", plan.statements());
            document.put("notes", plan.notes());
            output.printJson(out, document);
        } else if (plan.isEmpty()) {
            out.println("Nothing to do: the database already matches.");
        } else {
            if (!plan.replicaIdentityTables().isEmpty()) {
                out.println("-- REPLICA IDENTITY FULL on " + plan.replicaIdentityTables().size()
                        + " table(s), committed in batches under lock_timeout:");
            }
            plan.statements().forEach(statement -> out.println(statement + ";"));
            plan.notes().forEach(note -> out.println("-- note: " + note));
        }
        return 0;
    }
}
