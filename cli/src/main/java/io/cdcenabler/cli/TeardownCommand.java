package io.cdcenabler.cli;

import io.cdcenabler.postgres.Change;
import io.cdcenabler.postgres.Provisioner;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Removes what provisioning installed. */
@Command(name = "teardown", mixinStandardHelpOptions = true,
        description = "Remove the event trigger, its function and the publication; optionally the CDC role and "
                + "REPLICA IDENTITY FULL. Replication slots are left alone: drop them in the CDC tool.")
final class TeardownCommand extends DatabaseCommand {
    @Mixin
    LockOptions lock = new LockOptions();

    @Mixin
    PublicationOption publication = new PublicationOption();

    @Option(names = "--schema", paramLabel = "SCHEMA", split = ",",
            description = "Tracked schemas, for resetting replica identity and revoking (default: public)")
    List<String> schemas = new ArrayList<>();

    @Option(names = "--reset-replica-identity",
            description = "Set REPLICA IDENTITY DEFAULT on the tracked tables that are FULL")
    boolean resetReplicaIdentity;

    @Option(names = "--drop-user", paramLabel = "NAME",
            description = "Revoke the CDC role's privileges in this database and drop it once no other database "
                    + "holds privileges of it (roles are cluster-wide: until then the role is kept and the output "
                    + "names the databases to tear down too, in any order)")
    String dropUser;

    @Override
    public Integer call() {
        List<Change> changes = provisioner(source())
                .teardown(new Provisioner.TeardownOptions(publication.name, schemas, resetReplicaIdentity,
                        Optional.ofNullable(dropUser), lock.policy()));
        TrackCommand.report(output, out(), "Teardown of publication " + publication.name + ":",
                changes);
        return 0;
    }
}
