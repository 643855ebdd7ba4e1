package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Catalog.DefaultPrivilegeTarget;
import io.cdcenabler.postgres.Catalog.RoleInfo;
import io.cdcenabler.postgres.Catalog.ServerFacts;
import io.cdcenabler.postgres.Catalog.TableInfo;
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

    /** The role's steps, and the password generated for a new role when the spec gave none. */
    record RolePlan(List<Step> steps, Optional<Secret> generatedPassword) {
    }

    private final ConnectionSource connections;

    CdcRolePlanner(ConnectionSource connections) {
        this.connections = connections;
    }

    /** The steps that create or restrict the CDC role and grant what it needs to read the tables of the schemas. */
    RolePlan plan(EngineContext context, ProvisioningSpec spec, List<TableInfo> tables, List<String> schemas) {
        Catalog catalog = context.catalog();
        String role = spec.cdcUser();
        RoleInfo existing = catalog.role(role);
        List<Step> steps = new ArrayList<>();
        Optional<Secret> generated = existing == null ? planCreate(catalog, spec, steps)
                : planExisting(catalog, spec, existing, steps);
        steps.addAll(planAccess(context, role, existing));
        steps.addAll(planRead(context, role, existing == null ? schemas
                : catalog.schemasWithoutUsage(role, schemas), tables));
        if (spec.trackingMode() == TrackingMode.ALL_TABLES) {
            steps.addAll(planDefaultPrivileges(context, spec, tables));
        }
        return new RolePlan(steps, generated);
    }

    /** Creates the role with our mark and sets its password (the spec's, or one generated and returned). */
    private static Optional<Secret> planCreate(Catalog catalog, ProvisioningSpec spec, List<Step> steps) {
        String role = spec.cdcUser();
        steps.add(Ddl.createRole(role, markSql(catalog, role)));
        Optional<Secret> generated = spec.cdcPassword().isPresent() ? Optional.empty()
                : Optional.of(Secret.generate());
        steps.add(Ddl.setPassword(role, spec.cdcPassword().orElseGet(generated::orElseThrow)));
        return generated;
    }

    /** Checks that an existing role may be used; adopts and restricts it, and sets the spec's password if it changed. */
    private Optional<Secret> planExisting(Catalog catalog, ProvisioningSpec spec, RoleInfo existing,
                                          List<Step> steps) {
        String role = spec.cdcUser();
        boolean passwordChanges = spec.cdcPassword().isPresent() && !passwordWorks(role, spec.cdcPassword().get());
        CdcRoleAudit.ExistingRole audit = CdcRoleAudit.inspect(catalog.connection(), role).orElseThrow();
        CdcRoleAudit.requireAdoptable(audit, passwordChanges, spec.adoptExistingRole());
        if (!audit.createdByCdcEnabler() && spec.adoptExistingRole()) {
            steps.add(Ddl.adoptRole(role, markSql(catalog, role)));
        }
        if (existing.superuser() || existing.createDb() || existing.createRole() || !existing.canLogin()) {
            steps.add(Ddl.restrictRole(role, existing.superuser()));
        }
        if (passwordChanges) {
            steps.add(Ddl.setPassword(role, spec.cdcPassword().get()));
        }
        return Optional.empty();
    }

    /** Replication (rds_replication on RDS and Aurora) and CONNECT on the database. */
    private static List<Step> planAccess(EngineContext context, String role, RoleInfo existing) {
        List<Step> steps = new ArrayList<>();
        if (context.facts().rdsReplicationExists()) {
            if (existing == null || !existing.rdsReplicationMember()) {
                steps.add(Ddl.grantRdsReplication(role));
            }
        } else if (existing == null || !existing.replication()) {
            steps.add(Ddl.grantReplication(role));
        }
        if (existing == null ? !context.catalog().publicCanConnect() : !existing.canConnect()) {
            steps.add(Ddl.grantConnect(context.facts().database(), role));
        }
        return steps;
    }

    /**
     * USAGE on the given schemas and SELECT on the tables the role cannot read yet, in statements of
     * {@value #GRANT_CHUNK} tables; fails, changing nothing, when the admin may not grant SELECT on some.
     */
    static List<Step> planRead(EngineContext context, String role, List<String> withoutUsage,
                               List<TableInfo> tables) {
        List<TableInfo> needSelect = tables.stream().filter(t -> !t.cdcCanSelect()).toList();
        List<TableInfo> cannotGrant = needSelect.stream().filter(t -> !t.adminCanGrant()).toList();
        if (!cannotGrant.isEmpty()) {
            throw Ownership.missing(context.facts(), cannotGrant, "grant SELECT to " + role + " on");
        }
        List<Step> steps = new ArrayList<>();
        withoutUsage.forEach(schema -> steps.add(Ddl.grantUsage(schema, role)));
        for (int from = 0; from < needSelect.size(); from += GRANT_CHUNK) {
            steps.add(Ddl.grantSelect(role, needSelect.subList(from, Math.min(needSelect.size(), from + GRANT_CHUNK))
                    .stream().map(TableInfo::name).toList()));
        }
        return steps;
    }

    /** Default privileges, so the role can read the tables every owner creates later in the tracked schemas. */
    private static List<Step> planDefaultPrivileges(EngineContext context, ProvisioningSpec spec,
                                                    List<TableInfo> tables) {
        String role = spec.cdcUser();
        String admin = context.facts().currentUser();
        List<DefaultPrivilegeTarget> missing = context.catalog()
                .missingDefaultPrivileges(owners(tables, admin), spec.schemas(), role);
        List<DefaultPrivilegeTarget> notAllowed = missing.stream().filter(t -> !t.adminCanSet()).toList();
        if (!notAllowed.isEmpty()) {
            Set<String> roles = notAllowed.stream().map(DefaultPrivilegeTarget::owner)
                    .collect(Collectors.toCollection(TreeSet::new));
            throw new MissingPrivilegeException("setting default privileges so " + role + " can read tables that "
                    + Provisioner.printableList(roles) + " create later needs membership in those roles, which "
                    + admin + " lacks. Grant it, then run again: "
                    + roles.stream().map(owner -> "GRANT " + Identifiers.quote(owner) + " TO "
                    + Identifiers.quote(admin) + ";").collect(Collectors.joining(" ")));
        }
        return missing.stream().map(target -> Ddl.setDefaultPrivileges(target, role)).toList();
    }

    private static Set<String> owners(List<TableInfo> tables, String admin) {
        Set<String> owners = new TreeSet<>();
        tables.forEach(t -> owners.add(t.owner()));
        owners.add(admin);
        return owners;
    }

    /** COMMENT ON ROLE with our mark, so a later run knows the role is one cdc-enabler created. */
    private static String markSql(Catalog catalog, String role) {
        return Sql.on(catalog.connection(), "rendering the role's comment").text("SELECT pg_catalog.format("
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
     * The steps that revoke the role's privileges in this database (schemas, tables, default privileges, CONNECT)
     * and drop it. A role is cluster-wide: while it still holds privileges or objects in another database, DROP ROLE
     * would fail and undo the whole teardown, so the role is kept and the step says where the rest is; the teardown
     * of the last database drops it, whatever the order.
     */
    static List<Step> planDrop(EngineContext context, String role, List<String> schemas, List<TableInfo> scope) {
        Catalog catalog = context.catalog();
        ServerFacts facts = context.facts();
        if (role.equals(facts.currentUser())) {
            throw new InvalidSpecException("dropUser " + role + " is the admin user itself");
        }
        List<Step> steps = new ArrayList<>();
        if (catalog.role(role) == null) {
            return steps;
        }
        Set<String> all = new LinkedHashSet<>(schemas);
        scope.forEach(t -> all.add(t.name().schema()));
        List<String> present = new ArrayList<>(all);
        present.removeAll(catalog.missingSchemas(present));
        present.forEach(schema -> steps.add(Ddl.revokeSchema(schema, role)));
        List<TableName> outside = scope.stream().map(TableInfo::name)
                .filter(t -> !present.contains(t.schema())).toList();
        if (!outside.isEmpty()) {
            steps.add(Ddl.revokeTables(outside, role));
        }
        defaultPrivileges(catalog, role).forEach(entry -> steps.add(Ddl.removeDefaultPrivileges(entry[0], entry[1],
                role)));
        steps.add(Ddl.revokeConnect(facts.database(), role));
        List<String> elsewhere = databasesStillUsing(catalog, role);
        steps.add(elsewhere.isEmpty() ? Ddl.dropRole(role) : Ddl.keepRole(role, elsewhere));
        return steps;
    }

    /** The (owner, schema) pairs whose default privileges grant the role something. */
    private static List<String[]> defaultPrivileges(Catalog catalog, String role) {
        return Sql.on(catalog.connection(), "listing default privileges of " + role).query("""
                SELECT DISTINCT pg_catalog.pg_get_userbyid(d.defaclrole), n.nspname
                FROM pg_catalog.pg_default_acl d
                JOIN pg_catalog.pg_namespace n ON n.oid = d.defaclnamespace,
                LATERAL pg_catalog.aclexplode(d.defaclacl) a
                WHERE a.grantee = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ?)
                ORDER BY 1, 2
                """, row -> new String[] {row.getString(1), row.getString(2)}, role);
    }

    /** The other databases where the role still holds privileges or owns objects, or whose CONNECT it holds. */
    private static List<String> databasesStillUsing(Catalog catalog, String role) {
        return Sql.on(catalog.connection(), "finding the databases where " + role + " still holds privileges").query("""
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
