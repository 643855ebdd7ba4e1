package io.cdcenabler.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an existing CDC role is: whether cdc-enabler created it (the mark {@value #MARK} opens its COMMENT ON ROLE,
 * which is cluster-wide like the role), and everything it holds beyond what a CDC login needs (LOGIN, REPLICATION or
 * rds_replication, CONNECT, USAGE and SELECT). Provisioning refuses to take over a role it did not create when it
 * holds more than that or would get a new password, unless asked to adopt it; verify reports the excess as a failure.
 */
public final class CdcRoleAudit {
    /** The start of the COMMENT ON ROLE of the roles cdc-enabler created. */
    public static final String MARK = "cdc-enabler:";
    static final String COMMENT = MARK + " CDC login role created and managed by cdc-enabler";
    /**
     * What follows {@link #COMMENT} when the role's password is kept in a secret: a role is cluster-wide, so a second
     * database of the same server finds the password there instead of making a new one (which would re-password
     * the role and leave the first database's secret stale). The name of a secret is no secret.
     */
    static final String PASSWORD_IN = "; password in secret ";

    /** An existing role: whether it is ours, and what it holds beyond least privilege (empty when nothing). */
    public record ExistingRole(String name, boolean createdByCdcEnabler, List<String> beyondLeastPrivilege) {
        public ExistingRole {
            beyondLeastPrivilege = List.copyOf(beyondLeastPrivilege);
        }
    }

    private CdcRoleAudit() {
    }

    /**
     * The secret our role's comment says holds its password; empty when the role does not exist, is not ours, or
     * names none (roles created before the comment said it).
     */
    public static Optional<String> passwordSecret(ConnectionSource connections, String role) {
        try (Connection connection = connections.openAdmin()) {
            String comment = comment(connection, Identifiers.require("cdcUser", role));
            int at = comment == null || !comment.startsWith(MARK) ? -1 : comment.indexOf(PASSWORD_IN);
            return at < 0 ? Optional.empty() : Optional.of(comment.substring(at + PASSWORD_IN.length()).trim());
        } catch (SQLException e) {
            throw new DatabaseException("closing the connection", e);
        }
    }

    /**
     * Writes into our role's comment that {@code secretName} holds its password, unless it says so already; a role
     * cdc-enabler did not create is left alone. Under the lock timeout; true when the comment changed.
     */
    public static boolean recordPasswordSecret(ConnectionSource connections, String role, String secretName,
                                               LockPolicy policy) {
        String wanted = COMMENT + PASSWORD_IN + secretName;
        try (Connection connection = connections.openAdmin()) {
            String comment = comment(connection, Identifiers.require("cdcUser", role));
            if (comment == null || !comment.startsWith(MARK) || comment.equals(wanted)) {
                return false;
            }
            String sql = Sql.on(connection, "rendering the role's comment").text("SELECT pg_catalog.format("
                    + "'COMMENT ON ROLE %I IS %L', ?::text, ?::text)", role, wanted);
            try (java.sql.Statement statement = connection.createStatement()) {
                statement.execute("SET lock_timeout = '" + policy.lockTimeoutSetting() + "'");
                statement.execute(sql);
            }
            return true;
        } catch (SQLException e) {
            throw new DatabaseException("recording where the password of role " + role + " is kept", e);
        }
    }

    /** The role's comment ("" when it has none), or null when the role does not exist. */
    private static String comment(Connection connection, String role) {
        return Sql.on(connection, "reading the comment of role " + role).text("SELECT coalesce("
                + "pg_catalog.shobj_description(r.oid, 'pg_authid'), '') FROM pg_catalog.pg_roles r "
                + "WHERE r.rolname = ?", role);
    }

    /** The role as it exists, or empty when there is none. */
    public static Optional<ExistingRole> inspect(ConnectionSource connections, String role) {
        try (Connection connection = connections.openAdmin()) {
            return inspect(connection, Identifiers.require("cdcUser", role));
        } catch (SQLException e) {
            throw new DatabaseException("closing the connection", e);
        }
    }

    static Optional<ExistingRole> inspect(Connection connection, String role) {
        List<Object[]> rows = Sql.on(connection, "looking up role " + role).query("""
                SELECT coalesce(pg_catalog.shobj_description(r.oid, 'pg_authid'), ''), r.rolsuper, r.rolcreatedb,
                       r.rolcreaterole, r.rolbypassrls, r.rolcanlogin
                FROM pg_catalog.pg_roles r WHERE r.rolname = ?
                """, row -> new Object[] {row.getString(1), row.getBoolean(2), row.getBoolean(3), row.getBoolean(4),
                row.getBoolean(5), row.getBoolean(6)}, role);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        Object[] row = rows.get(0);
        List<String> excess = new ArrayList<>();
        String[] attributes = {"SUPERUSER", "CREATEDB", "CREATEROLE", "BYPASSRLS"};
        for (int i = 0; i < attributes.length; i++) {
            if ((Boolean) row[i + 1]) {
                excess.add("attribute " + attributes[i]);
            }
        }
        if (!(Boolean) row[5]) {
            excess.add("NOLOGIN (a group role)");
        }
        List<String> memberships = memberships(connection, role);
        if (!memberships.isEmpty()) {
            excess.add("membership in " + String.join(", ", memberships));
        }
        excess.addAll(tablePrivileges(connection, role));
        return Optional.of(new ExistingRole(role, ((String) row[0]).startsWith(MARK), excess));
    }

    /**
     * Refuses, changing nothing, to take over a role cdc-enabler did not create when it holds more than a CDC login
     * needs or would get a new password, unless {@code adopt}.
     */
    public static void requireAdoptable(ExistingRole role, boolean passwordWouldChange, boolean adopt) {
        if (role.createdByCdcEnabler() || adopt) {
            return;
        }
        if (!role.beyondLeastPrivilege().isEmpty()) {
            throw new ConflictingStateException("cdcUser " + Identifiers.printable(role.name()) + " is an existing "
                    + "role cdc-enabler did not create, and it holds more than a CDC login needs: "
                    + String.join("; ", role.beyondLeastPrivilege()) + ". It is not demoted nor re-passworded: name "
                    + "another CDC user, or pass --adopt-existing-role (request field adoptExistingRole) to restrict "
                    + "its attributes and use it anyway. Nothing was changed.");
        }
        if (passwordWouldChange) {
            throw new ConflictingStateException("cdcUser " + Identifiers.printable(role.name()) + " is an existing "
                    + "role cdc-enabler did not create, and the password given is not its password: it is not "
                    + "re-passworded. Give its current password, name another CDC user, or pass "
                    + "--adopt-existing-role (request field adoptExistingRole) to set it. Nothing was changed.");
        }
    }

    private static List<String> memberships(Connection connection, String role) {
        return Sql.on(connection, "listing the memberships of " + role).query("""
                SELECT DISTINCT g.rolname FROM pg_catalog.pg_auth_members m
                JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                JOIN pg_catalog.pg_roles r ON r.oid = m.member
                WHERE r.rolname = ? AND g.rolname <> 'rds_replication'
                ORDER BY 1
                """, row -> Identifiers.printable(row.getString(1)), role);
    }

    /** Privileges other than SELECT on tables, views and sequences of this database, and ownership of any. */
    private static List<String> tablePrivileges(Connection connection, String role) {
        List<String> found = new ArrayList<>();
        List<String> granted = Sql.on(connection, "listing table privileges of " + role).query("""
                SELECT a.privilege_type || ' on ' || c.oid::pg_catalog.regclass::text
                FROM pg_catalog.pg_class c, LATERAL pg_catalog.aclexplode(c.relacl) a
                WHERE a.grantee = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ?)
                  AND a.privilege_type <> 'SELECT' AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                ORDER BY 1
                """, row -> row.getString(1), role);
        if (!granted.isEmpty()) {
            int shown = Math.min(granted.size(), 8);
            found.add("table privileges beyond SELECT: " + String.join(", ", granted.subList(0, shown))
                    + (granted.size() > shown ? " and " + (granted.size() - shown) + " more" : ""));
        }
        String owned = Sql.on(connection, "counting the relations " + role + " owns").text("""
                SELECT count(*) FROM pg_catalog.pg_class c
                WHERE c.relowner = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ?)
                  AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
                """, role);
        if (!"0".equals(owned)) {
            found.add("owns " + owned + " table(s), view(s) or sequence(s) in this database");
        }
        return found;
    }
}
