package io.cdcenabler.cli;

import io.cdcenabler.postgres.Plan;
import io.cdcenabler.postgres.Provisioner;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Prints every statement provisioning would run, changing nothing. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = "Print every statement provision would run, changing nothing.")
final class PlanCommand extends DatabaseCommand {
    @Mixin
    SpecOptions specOptions = new SpecOptions();

    @Override
    public Integer call() {
        PrintWriter out = out();
        Plan plan = new Provisioner(source()).plan(specOptions.spec(passwords()));
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
                out.println("-- REPLICA IDENTITY on " + plan.replicaIdentityTables().size()
                        + " table(s) (FULL, or a key where FULL is invalid), committed in batches under lock_timeout:");
            }
            plan.statements().forEach(statement -> out.println(statement + ";"));
            plan.notes().forEach(note -> out.println("-- note: " + note));
        }
        return 0;
    }
}
