package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Catalog.DefaultPrivilegeTarget;
import io.cdcenabler.postgres.Catalog.RoleInfo;
import io.cdcenabler.postgres.Catalog.ServerFacts;
import io.cdcenabler.postgres.Catalog.TableInfo;
import io.cdcenabler.postgres.Step.PasswordStep;
import io.cdcenabler.postgres.Step.SqlStep;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Plans the CDC login role: created with LOGIN and nothing more, given its password as a client-side SCRAM verifier,
 * replication (rds_replication on RDS), CONNECT, USAGE on the tracked schemas, SELECT on the tracked tables and
 * default privileges for tables created later.
 */
final class CdcRolePlanner {
    private static final int GRANT_CHUNK = 500;

    private final ConnectionSource connections;

    CdcRolePlanner(ConnectionSource connections) {
        this.connections = connections;
    }

    /**
     * Adds to {@code setup} the steps that create or restrict the CDC role and grant what it needs to read the
     * tables; returns the password generated for a new role when the spec gave none.
     */
    Optional<Secret> plan(Catalog catalog, ServerFacts facts, ProvisioningSpec spec, List<TableInfo> tables,
                          List<String> schemas, List<Step> setup) {
        String role = spec.cdcUser();
        String quoted = Identifiers.quote(role);
        RoleInfo existing = catalog.role(role);
        Optional<Secret> generated = Optional.empty();
        if (existing == null) {
            setup.add(new SqlStep(new Change("created role", role), "CREATE ROLE " + quoted
                    + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; " + markSql(catalog, role), "CREATEROLE"));
            Secret password = spec.cdcPassword().orElse(null);
            if (password == null) {
                password = Secret.generate();
                generated = Optional.of(password);
            }
            setup.add(new PasswordStep(new Change("set password of", role), role, password));
        } else {
            boolean passwordChanges = spec.cdcPassword().isPresent() && !passwordWorks(role, spec.cdcPassword().get());
            CdcRoleAudit.ExistingRole audit = CdcRoleAudit.inspect(catalog.connection(), role).orElseThrow();
            CdcRoleAudit.requireAdoptable(audit, passwordChanges, spec.adoptExistingRole());
            if (!audit.createdByCdcEnabler() && spec.adoptExistingRole()) {
                setup.add(new SqlStep(new Change("adopted role", role), markSql(catalog, role), "CREATEROLE"));
            }
            if (existing.superuser() || existing.createDb() || existing.createRole() || !existing.canLogin()) {
                setup.add(new SqlStep(new Change("restricted role to LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE", role),
                        "ALTER ROLE " + quoted + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE",
                        existing.superuser() ? "superuser (the role is a superuser)" : "CREATEROLE"));
            }
            if (passwordChanges) {
                setup.add(new PasswordStep(new Change("set password of", role), role, spec.cdcPassword().get()));
            }
        }

        if (facts.rdsReplicationExists()) {
            if (existing == null || !existing.rdsReplicationMember()) {
                setup.add(new SqlStep(new Change("granted rds_replication to", role),
                        "GRANT rds_replication TO " + quoted, "membership in rds_superuser (the RDS master user)"));
            }
        } else if (existing == null || !existing.replication()) {
            setup.add(new SqlStep(new Change("granted the REPLICATION attribute to", role),
                    "ALTER ROLE " + quoted + " WITH REPLICATION",
                    "superuser (on RDS and Aurora the rds_replication role is granted instead)"));
        }
        if (existing == null ? !catalog.publicCanConnect() : !existing.canConnect()) {
            String database = facts.database();
            setup.add(new SqlStep(new Change("granted CONNECT on database " + database + " to", role),
                    "GRANT CONNECT ON DATABASE " + Identifiers.quote(database) + " TO " + quoted,
                    "ownership of the database"));
        }
        List<String> withoutUsage = existing == null ? schemas : catalog.schemasWithoutUsage(role, schemas);
        for (String schema : withoutUsage) {
            setup.add(new SqlStep(new Change("granted USAGE on schema " + Identifiers.printable(schema) + " to", role),
                    "GRANT USAGE ON SCHEMA " + Identifiers.quote(schema) + " TO " + quoted,
                    "ownership of the schema"));
        }

        List<TableInfo> needSelect = tables.stream().filter(t -> !t.cdcCanSelect()).toList();
        List<TableInfo> cannotGrant = needSelect.stream().filter(t -> !t.adminCanGrant()).toList();
        if (!cannotGrant.isEmpty()) {
            throw Provisioner.missingOwnership(facts, cannotGrant, "grant SELECT to " + role + " on");
        }
        for (int from = 0; from < needSelect.size(); from += GRANT_CHUNK) {
            List<TableInfo> chunk = needSelect.subList(from, Math.min(needSelect.size(), from + GRANT_CHUNK));
            setup.add(new SqlStep(new Change("granted SELECT to " + role + " on", Provisioner.describeTables(chunk)),
                    "GRANT SELECT ON TABLE " + chunk.stream().map(t -> t.name().quoted())
                            .collect(Collectors.joining(", ")) + " TO " + quoted,
                    "ownership of the tables"));
        }

        if (spec.trackingMode() == TrackingMode.ALL_TABLES) {
            Set<String> owners = new TreeSet<>();
            tables.forEach(t -> owners.add(t.owner()));
            owners.add(facts.currentUser());
            List<DefaultPrivilegeTarget> missing = catalog.missingDefaultPrivileges(owners, spec.schemas(), role);
            List<DefaultPrivilegeTarget> notAllowed = missing.stream().filter(t -> !t.adminCanSet()).toList();
            if (!notAllowed.isEmpty()) {
                Set<String> roles = notAllowed.stream().map(DefaultPrivilegeTarget::owner)
                        .collect(Collectors.toCollection(TreeSet::new));
                throw new MissingPrivilegeException("setting default privileges so " + role + " can read tables that "
                        + Provisioner.printableList(roles) + " create later needs membership in those roles, which "
                        + facts.currentUser() + " lacks. Grant it, then run again: "
                        + roles.stream().map(owner -> "GRANT " + Identifiers.quote(owner) + " TO "
                        + Identifiers.quote(facts.currentUser()) + ";").collect(Collectors.joining(" ")));
            }
            for (DefaultPrivilegeTarget target : missing) {
                setup.add(new SqlStep(new Change("set default privileges: SELECT to " + role + " on tables created by "
                        + Identifiers.printable(target.owner()) + " in schema", Identifiers.printable(target.schema())),
                        "ALTER DEFAULT PRIVILEGES FOR ROLE " + Identifiers.quote(target.owner()) + " IN SCHEMA "
                                + Identifiers.quote(target.schema()) + " GRANT SELECT ON TABLES TO " + quoted,
                        "membership in role " + target.owner()));
            }
        }
        return generated;
    }

    /** COMMENT ON ROLE with our mark, so a later run knows the role is one cdc-enabler created. */
    private static String markSql(Catalog catalog, String role) {
        return Sql.text(catalog.connection(), "rendering the role's comment", "SELECT pg_catalog.format("
                + "'COMMENT ON ROLE %I IS %L', ?::text, ?::text)", role, CdcRoleAudit.COMMENT);
    }

    private boolean passwordWorks(String role, Secret password) {
        try (Connection ignored = connections.openAs(role, password)) {
            return true;
        } catch (ConnectionFailedException e) {
            return false;
        } catch (SQLException e) {
            return true;
        }
    }
}
