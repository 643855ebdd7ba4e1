package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Catalog.DefaultPrivilegeTarget;
import io.cdcenabler.postgres.Catalog.RoleInfo;
import io.cdcenabler.postgres.Catalog.ServerFacts;
import io.cdcenabler.postgres.Catalog.TableInfo;
import io.cdcenabler.postgres.Step.PasswordStep;
import io.cdcenabler.postgres.Step.SqlStep;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
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
        RoleInfo existing = catalog.role(spec.cdcUser());
        Optional<Secret> generated = planLogin(catalog, spec, existing, setup);
        planAccess(catalog, facts, spec.cdcUser(), existing, schemas, setup);
        planSelect(facts, spec.cdcUser(), tables, setup);
        if (spec.trackingMode() == TrackingMode.ALL_TABLES) {
            planDefaultPrivileges(catalog, facts, spec, tables, setup);
        }
        return generated;
    }

    /** Creates the role with our mark, or checks that an existing one may be used; restricts it, sets its password. */
    private Optional<Secret> planLogin(Catalog catalog, ProvisioningSpec spec, RoleInfo existing, List<Step> setup) {
        String role = spec.cdcUser();
        String quoted = Identifiers.quote(role);
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
        return generated;
    }

    /** Replication (rds_replication on RDS and Aurora), CONNECT on the database and USAGE on the schemas. */
    private static void planAccess(Catalog catalog, ServerFacts facts, String role, RoleInfo existing,
                                   List<String> schemas, List<Step> setup) {
        String quoted = Identifiers.quote(role);
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
    }

    /** SELECT on the tracked tables the role cannot read yet, in statements of {@value #GRANT_CHUNK} tables. */
    private static void planSelect(ServerFacts facts, String role, List<TableInfo> tables, List<Step> setup) {
        String quoted = Identifiers.quote(role);
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
    }

    /** Default privileges, so the role can read the tables every owner creates later in the tracked schemas. */
    private static void planDefaultPrivileges(Catalog catalog, ServerFacts facts, ProvisioningSpec spec,
                                              List<TableInfo> tables, List<Step> setup) {
        String role = spec.cdcUser();
        String quoted = Identifiers.quote(role);
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

    /**
     * Adds the steps that revoke the role's privileges in this database (schemas, tables, default privileges,
     * CONNECT) and drop it. A role is cluster-wide: while it still holds privileges or objects in another database,
     * DROP ROLE would fail and undo the whole teardown, so the role is kept and the step says where the rest is; the
     * teardown of the last database drops it, whatever the order.
     */
    static void planDrop(Catalog catalog, ServerFacts facts, Provisioner.TeardownOptions options,
                         List<TableInfo> scope, List<Step> steps) {
        String role = options.dropUser().orElseThrow();
        if (role.equals(facts.currentUser())) {
            throw new InvalidSpecException("dropUser " + role + " is the admin user itself");
        }
        if (catalog.role(role) == null) {
            return;
        }
        String quoted = Identifiers.quote(role);
        Set<String> schemas = new LinkedHashSet<>(options.schemas());
        scope.forEach(t -> schemas.add(t.name().schema()));
        List<String> present = new ArrayList<>(schemas);
        present.removeAll(catalog.missingSchemas(present));
        for (String schema : present) {
            steps.add(new SqlStep(new Change("revoked privileges on schema " + Identifiers.printable(schema)
                    + " and its tables from", role), "REVOKE ALL ON ALL TABLES IN SCHEMA " + Identifiers.quote(schema)
                    + " FROM " + quoted + "; REVOKE ALL ON SCHEMA " + Identifiers.quote(schema) + " FROM " + quoted,
                    "ownership of the schema and its tables"));
        }
        List<TableInfo> outside = scope.stream().filter(t -> !present.contains(t.name().schema())).toList();
        if (!outside.isEmpty()) {
            steps.add(new SqlStep(new Change("revoked SELECT from " + role + " on",
                    Provisioner.describeTables(outside)),
                    "REVOKE ALL ON TABLE " + outside.stream().map(t -> t.name().quoted())
                            .collect(Collectors.joining(", ")) + " FROM " + quoted, "ownership of the tables"));
        }
        Set<String> owners = new TreeSet<>();
        scope.forEach(t -> owners.add(t.owner()));
        owners.add(facts.currentUser());
        List<String[]> defaults = Sql.query(catalog.connection(), "listing default privileges of " + role, """
                SELECT DISTINCT pg_catalog.pg_get_userbyid(d.defaclrole), n.nspname
                FROM pg_catalog.pg_default_acl d
                JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace,
                LATERAL pg_catalog.aclexplode(d.defaclacl) a
                WHERE a.grantee = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ?)
                ORDER BY 1, 2
                """, row -> new String[] {row.getString(1), row.getString(2)}, role);
        for (String[] entry : defaults) {
            steps.add(new SqlStep(new Change("removed default privileges of " + Identifiers.printable(entry[0])
                    + " in schema " + Identifiers.printable(entry[1]) + " for", role),
                    "ALTER DEFAULT PRIVILEGES FOR ROLE " + Identifiers.quote(entry[0]) + " IN SCHEMA "
                            + Identifiers.quote(entry[1]) + " REVOKE ALL ON TABLES FROM " + quoted,
                    "membership in role " + entry[0]));
        }
        steps.add(new SqlStep(new Change("revoked CONNECT on database " + facts.database() + " from", role),
                "REVOKE CONNECT ON DATABASE " + Identifiers.quote(facts.database()) + " FROM " + quoted,
                "ownership of the database"));
        List<String> elsewhere = databasesStillUsing(catalog, role);
        if (elsewhere.isEmpty()) {
            steps.add(new SqlStep(new Change("dropped role", role), "DROP ROLE " + quoted, "CREATEROLE"));
        } else {
            steps.add(new Step.NoteStep(new Change("kept role (it still has privileges or objects in database(s) "
                    + String.join(", ", elsewhere) + "; run teardown --drop-user " + role + " there, and the last "
                    + "one drops it)", role)));
        }
    }

    /** The other databases where the role still holds privileges or owns objects, or whose CONNECT it holds. */
    private static List<String> databasesStillUsing(Catalog catalog, String role) {
        return Sql.query(catalog.connection(), "finding the databases where " + role + " still holds privileges", """
                SELECT DISTINCT d.datname
                FROM pg_catalog.pg_shdepend s
                JOIN pg_catalog.pg_database d
                  ON d.oid = CASE WHEN s.dbid = 0 AND s.classid = 'pg_catalog.pg_database'::pg_catalog.regclass
                                  THEN s.objid ELSE s.dbid END
                WHERE s.refclassid = 'pg_catalog.pg_authid'::pg_catalog.regclass
                  AND s.refobjid = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ?)
                  AND s.deptype IN ('a', 'o', 'i')
                  AND d.datname <> pg_catalog.current_database()
                ORDER BY 1
                """, row -> Identifiers.printable(row.getString(1)), role);
    }
}
