package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Catalog.ServerFacts;
import io.cdcenabler.postgres.Catalog.TableInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** Checks, before anything changes, that the admin owns (or is a member of the owner of) the tables it must alter. */
final class Ownership {

    private Ownership() {
    }

    /** Fails, naming owners and the GRANT that helps, when the admin may not alter some of the tables. */
    static void require(ServerFacts facts, List<TableInfo> tables, String doing) {
        List<TableInfo> notOwned = tables.stream().filter(t -> !t.adminCanAlter()).toList();
        if (!notOwned.isEmpty()) {
            throw missing(facts, notOwned, doing);
        }
    }

    /** The same for the tables whose replica identity the policy would change. */
    static void requireForChanges(ServerFacts facts, List<IdentityPolicy.Decision> decisions, String doing) {
        List<IdentityPolicy.Decision> notOwned = decisions.stream()
                .filter(d -> d.change() != null && !d.adminCanAlter()).toList();
        if (!notOwned.isEmpty()) {
            throw missing(facts, notOwned.stream().map(d -> new TableInfo(d.oid(), d.table(), d.kind(),
                    d.current(), d.owner(), false, false, false, false)).toList(), doing);
        }
    }

    static MissingPrivilegeException missing(ServerFacts facts, List<TableInfo> tables, String doing) {
        Map<String, List<TableName>> byOwner = new TreeMap<>();
        tables.forEach(t -> byOwner.computeIfAbsent(t.owner(), owner -> new ArrayList<>()).add(t.name()));
        String admin = facts.currentUser();
        StringBuilder message = new StringBuilder("cannot " + doing + " " + tables.size() + " table(s): only their "
                + "owner (or a member of the owning role) may, and " + admin + " is neither.");
        byOwner.forEach((owner, names) -> message.append(" Owned by ").append(owner).append(": ")
                .append(Provisioner.abbreviate(names)).append('.'));
        message.append(" Grant membership, then run again: ");
        message.append(byOwner.keySet().stream().map(owner -> "GRANT " + Identifiers.quote(owner) + " TO "
                + Identifiers.quote(admin) + ";").collect(Collectors.joining(" ")));
        message.append(" Nothing was changed.");
        return new MissingPrivilegeException(message.toString());
    }
}
