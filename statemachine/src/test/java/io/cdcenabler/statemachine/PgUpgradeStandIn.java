package io.cdcenabler.statemachine;

import io.cdcenabler.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;

/**
 * What pg_upgrade (run by RDS for a major version upgrade) carries from the old server to the new one, for the objects
 * these tests have: the embedded binaries ship no pg_upgrade or pg_dump, so this copies them through SQL. The
 * application's schema is replayed from its own DDL and its rows copied with COPY; everything else is read from the
 * old catalog, not from what the test or cdc-enabler meant to create: the CDC role with its SCRAM verifier (so its
 * stored password still logs in), attributes, settings and memberships; its privileges on the database, schemas and
 * tables and its default privileges; the cdc_enabler schema with its comment (prepare-upgrade's hold) and functions; every publication with its tables or
 * schemas; every table's replica identity. Like RDS, it refuses a database that still has an event trigger.
 */
final class PgUpgradeStandIn {
    private static final String OURS = "cdc_enabler";
    private static final Map<String, String> DEFAULT_ACL_OBJECTS = Map.of("r", "TABLES", "S", "SEQUENCES", "f",
            "FUNCTIONS", "T", "TYPES", "n", "SCHEMAS");

    private PgUpgradeStandIn() {
    }

    /** Upgrades {@code from} into the empty database {@code to} on a newer server. */
    static void upgrade(TestDatabase from, TestDatabase to, List<String> applicationDdl, String cdcUser) {
        if (to.major() <= from.major()) {
            throw new IllegalArgumentException("an upgrade goes to a newer major, not " + from.major() + " -> "
                    + to.major());
        }
        List<String> triggers = from.rows("SELECT evtname FROM pg_event_trigger");
        if (!triggers.isEmpty()) {
            throw new IllegalStateException("RDS requires event triggers to be dropped before a major version "
                    + "upgrade; the database still has " + triggers);
        }
        copyRole(from, to, cdcUser);
        to.sql(applicationDdl.toArray(String[]::new));
        copyRows(from, to);
        copyOurFunctions(from, to);
        copyPrivileges(from, to, cdcUser);
        copyPublications(from, to);
        from.rows("SELECT format('%I.%I', n.nspname, c.relname), c.relreplident FROM pg_class c JOIN pg_namespace n "
                + "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND c.relreplident IN ('f', 'n') "
                + "AND n.nspname NOT IN ('pg_catalog', 'information_schema')").forEach(row -> {
                    String[] parts = row.split("\\|");
                    to.sql("ALTER TABLE " + parts[0] + " REPLICA IDENTITY " + ("f".equals(parts[1]) ? "FULL"
                            : "NOTHING"));
                });
    }

    private static void copyRole(TestDatabase from, TestDatabase to, String role) {
        String quoted = quote(role);
        String attributes = from.value("SELECT concat_ws(' ', CASE WHEN rolcanlogin THEN 'LOGIN' ELSE 'NOLOGIN' END, "
                + "CASE WHEN rolreplication THEN 'REPLICATION' ELSE 'NOREPLICATION' END, 'PASSWORD ' "
                + "|| quote_nullable(rolpassword)) FROM pg_authid WHERE rolname = " + literal(role));
        if (attributes == null) {
            throw new IllegalStateException("no role " + role + " in the old database");
        }
        to.sql("DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = " + literal(role) + ") THEN "
                + "CREATE ROLE " + quoted + "; END IF; END $$", "ALTER ROLE " + quoted + " WITH " + attributes,
                "ALTER ROLE " + quoted + " RESET ALL");
        from.rows("SELECT unnest(rolconfig) FROM pg_roles WHERE rolname = " + literal(role)).forEach(setting ->
                to.sql("ALTER ROLE " + quoted + " SET " + assignment(setting)));
        from.rows("SELECT unnest(s.setconfig) FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase "
                + "WHERE d.datname = current_database() AND s.setrole = " + oid(role)).forEach(setting ->
                to.sql("ALTER ROLE " + quoted + " IN DATABASE " + quote(to.name()) + " SET " + assignment(setting)));
        from.rows("SELECT quote_ident(r.rolname) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
                + "WHERE m.member = " + oid(role)).forEach(granted -> to.sql("GRANT " + granted + " TO " + quoted));
    }

    private static void copyRows(TestDatabase from, TestDatabase to) {
        List<String> tables = from.rows("SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN "
                + "pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r' AND n.nspname NOT IN "
                + "('pg_catalog', 'information_schema', " + literal(OURS) + ") AND n.nspname NOT LIKE 'pg_toast%'");
        try (Connection source = from.connect(); Connection target = to.connect()) {
            for (String table : tables) {
                ByteArrayOutputStream rows = new ByteArrayOutputStream();
                source.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY " + table + " TO STDOUT", rows);
                target.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table + " FROM STDIN",
                        new ByteArrayInputStream(rows.toByteArray()));
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("copying rows: " + e.getMessage(), e);
        }
    }

    private static void copyOurFunctions(TestDatabase from, TestDatabase to) {
        if (from.value("SELECT 1 FROM pg_namespace WHERE nspname = " + literal(OURS)) == null) {
            return;
        }
        to.sql("CREATE SCHEMA IF NOT EXISTS " + OURS);
        String comment = from.value("SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = "
                + literal(OURS));
        if (comment != null) {
            to.sql("COMMENT ON SCHEMA " + OURS + " IS " + literal(comment));
        }
        from.rows("SELECT pg_get_functiondef(p.oid) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                + "WHERE n.nspname = " + literal(OURS)).forEach(to::sql);
    }

    private static void copyPrivileges(TestDatabase from, TestDatabase to, String role) {
        String grantee = " TO " + quote(role);
        String of = " WHERE a.grantee = " + oid(role);
        from.rows("SELECT a.privilege_type FROM pg_database d, aclexplode(d.datacl) a" + of
                + " AND d.datname = current_database()").forEach(privilege -> to.sql("GRANT " + privilege
                + " ON DATABASE " + quote(to.name()) + grantee));
        from.rows("SELECT a.privilege_type, quote_ident(n.nspname) FROM pg_namespace n, aclexplode(n.nspacl) a" + of)
                .forEach(row -> to.sql("GRANT " + row.split("\\|")[0] + " ON SCHEMA " + row.split("\\|")[1]
                        + grantee));
        from.rows("SELECT a.privilege_type, format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n"
                + " ON n.oid = c.relnamespace, aclexplode(c.relacl) a" + of).forEach(row -> to.sql("GRANT "
                + row.split("\\|")[0] + " ON TABLE " + row.split("\\|")[1] + grantee));
        from.rows("SELECT a.privilege_type, quote_ident(pg_get_userbyid(d.defaclrole)), d.defaclobjtype, "
                + "coalesce(quote_ident(n.nspname), '') FROM pg_default_acl d LEFT JOIN pg_namespace n ON n.oid = "
                + "d.defaclnamespace, aclexplode(d.defaclacl) a" + of).forEach(row -> {
                    String[] parts = row.split("\\|", -1);
                    to.sql("ALTER DEFAULT PRIVILEGES FOR ROLE " + parts[1] + (parts[3].isEmpty() ? ""
                            : " IN SCHEMA " + parts[3]) + " GRANT " + parts[0] + " ON "
                            + DEFAULT_ACL_OBJECTS.get(parts[2]) + grantee);
                });
    }

    private static void copyPublications(TestDatabase from, TestDatabase to) {
        for (String row : from.rows("SELECT quote_ident(pubname), puballtables, concat_ws(',', CASE WHEN pubinsert "
                + "THEN 'insert' END, CASE WHEN pubupdate THEN 'update' END, CASE WHEN pubdelete THEN 'delete' END, "
                + "CASE WHEN pubtruncate THEN 'truncate' END), pubviaroot, quote_ident(pg_get_userbyid(pubowner)), "
                + "oid FROM pg_publication")) {
            String[] p = row.split("\\|");
            to.sql("CREATE PUBLICATION " + p[0] + ("t".equals(p[1]) ? " FOR ALL TABLES" : "") + " WITH (publish = '"
                    + p[2] + "', publish_via_partition_root = " + ("t".equals(p[3])) + ")",
                    "ALTER PUBLICATION " + p[0] + " OWNER TO " + p[4]);
            List<String> members = new ArrayList<>(from.rows("SELECT 'TABLE ' || prrelid::regclass::text FROM "
                    + "pg_publication_rel WHERE prpubid = " + p[5]));
            if (from.major() >= 15) {
                members.addAll(from.rows("SELECT 'TABLES IN SCHEMA ' || quote_ident(n.nspname) FROM "
                        + "pg_publication_namespace pn JOIN pg_namespace n ON n.oid = pn.pnnspid WHERE pn.pnpubid = "
                        + p[5]));
            }
            members.forEach(member -> to.sql("ALTER PUBLICATION " + p[0] + " ADD " + member));
        }
    }

    private static String assignment(String setting) {
        int equals = setting.indexOf('=');
        return quote(setting.substring(0, equals)) + " = " + literal(setting.substring(equals + 1));
    }

    private static String oid(String role) {
        return "(SELECT oid FROM pg_roles WHERE rolname = " + literal(role) + ")";
    }

    private static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
