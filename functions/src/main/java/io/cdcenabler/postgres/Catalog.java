package io.cdcenabler.postgres;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Read-only questions to the system catalogs; nothing here changes the database. */
final class Catalog {
    private final Connection connection;

    Catalog(Connection connection) {
        this.connection = connection;
    }

    Connection connection() {
        return connection;
    }

    /** Who the admin is and what the server offers. */
    record ServerFacts(String currentUser, String database, int versionNum, boolean superuser,
                       boolean rdsSuperuserMember, boolean rdsReplicationExists, String walLevel) {
        int major() {
            return versionNum / 10000;
        }
    }

    /** A table (or partitioned table) the engine may act on, with what the admin and the CDC role may do to it. */
    record TableInfo(long oid, TableName name, char kind, char replicaIdentity, String owner, boolean adminCanAlter,
                     boolean adminCanGrant, boolean cdcCanSelect, boolean hasPrimaryKey) {
        boolean isFull() {
            return replicaIdentity == 'f';
        }
    }

    /** The CDC role as it exists. */
    record RoleInfo(String name, boolean canLogin, boolean superuser, boolean createDb, boolean createRole,
                    boolean replication, boolean rdsReplicationMember, boolean canConnect) {
    }

    /** The publication as it exists. */
    record PublicationInfo(String name, String owner, boolean allTables, boolean viaRoot, boolean insert,
                           boolean update, boolean delete, boolean truncate, Set<TableName> tables,
                           List<String> schemas, String generatedColumns, boolean ours) {
        boolean publishesAllOperations() {
            return insert && update && delete && truncate;
        }

        /** FOR TABLES IN SCHEMA (15+), with no single tables. */
        boolean schemaPublication() {
            return !allTables && !schemas.isEmpty();
        }
    }

    /** The COMMENT that marks a publication provision created, so SELECTED_TABLES never adopts a foreign one. */
    static final String OURS = "created by cdc-enabler";

    /** An event trigger as it exists. */
    record EventTriggerInfo(String name, String enabled, String functionSchema, String functionName, List<String> tags) {
    }

    ServerFacts serverFacts() {
        return Sql.on(connection, "reading server facts").queryOne("""
                SELECT current_user,
                       current_database(),
                       current_setting('server_version_num')::int,
                       r.rolsuper,
                       EXISTS (SELECT 1 FROM pg_catalog.pg_roles g WHERE g.rolname = 'rds_superuser'
                               AND pg_catalog.pg_has_role(current_user, g.oid, 'MEMBER')),
                       EXISTS (SELECT 1 FROM pg_catalog.pg_roles g WHERE g.rolname = 'rds_replication'),
                       current_setting('wal_level')
                FROM pg_catalog.pg_roles r WHERE r.rolname = current_user
                """, row -> new ServerFacts(row.getString(1), row.getString(2), row.getInt(3), row.getBoolean(4),
                row.getBoolean(5), row.getBoolean(6), row.getString(7)));
    }

    List<String> missingSchemas(List<String> schemas) {
        Set<String> missing = new LinkedHashSet<>(schemas);
        missing.removeAll(Sql.on(connection, "looking up schemas")
                .query("SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname = ANY (?)",
                row -> row.getString(1), (Object) schemas.toArray(String[]::new)));
        return List.copyOf(missing);
    }

    private static final String TABLE_COLUMNS = """
            SELECT c.oid, n.nspname, c.relname, c.relkind, c.relreplident,
                   pg_catalog.pg_get_userbyid(c.relowner),
                   pg_catalog.pg_has_role(c.relowner, 'USAGE'),
                   -- NULL for a table dropped while this query runs: it needs no GRANT, so it is no gap.
                   COALESCE(pg_catalog.has_table_privilege(c.oid, 'SELECT WITH GRANT OPTION'), true),
                   COALESCE(pg_catalog.has_table_privilege(
                       (SELECT r.oid FROM pg_catalog.pg_roles r WHERE r.rolname = ?), c.oid, 'SELECT'), false),
                   EXISTS (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)
            FROM pg_catalog.pg_class c
            JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            """;

    private static TableInfo tableInfo(java.sql.ResultSet row) throws java.sql.SQLException {
        return new TableInfo(row.getLong(1), new TableName(row.getString(2), row.getString(3)),
                row.getString(4).charAt(0), row.getString(5).charAt(0), row.getString(6), row.getBoolean(7),
                row.getBoolean(8), row.getBoolean(9), row.getBoolean(10));
    }

    /**
     * Every permanent table and partitioned table in the schemas, plus the partitions (at any depth, in any schema)
     * of partitioned tables in them: the replica-identity scope of ALL_TABLES.
     */
    List<TableInfo> tablesInSchemas(List<String> schemas, String cdcRole) {
        String[] names = schemas.toArray(String[]::new);
        return Sql.on(connection, "listing tables of schemas " + schemas).query(TABLE_COLUMNS + """
                WHERE c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
                  AND (n.nspname = ANY (?)
                       OR (c.relispartition AND EXISTS (
                             SELECT 1 FROM pg_catalog.pg_class root
                             JOIN pg_catalog.pg_namespace rn ON rn.oid = root.relnamespace
                             WHERE root.oid = pg_catalog.pg_partition_root(c.oid) AND rn.nspname = ANY (?))))
                ORDER BY n.nspname, c.relname
                """, Catalog::tableInfo, cdcRole, names, names);
    }

    /** The listed tables and all their partitions. Throws naming every listed table that does not exist. */
    List<TableInfo> tablesWithPartitions(List<TableName> tables, String cdcRole) {
        return tablesWithPartitions(tables, cdcRole, "cannot track");
    }

    /** Like {@link #tablesWithPartitions(List, String)}; {@code refusal} starts the message for missing tables. */
    List<TableInfo> tablesWithPartitions(List<TableName> tables, String cdcRole, String refusal) {
        String[] schemas = tables.stream().map(TableName::schema).toArray(String[]::new);
        String[] names = tables.stream().map(TableName::table).toArray(String[]::new);
        List<TableInfo> listed = Sql.on(connection, "looking up tables").query(TABLE_COLUMNS + """
                JOIN unnest(?::text[], ?::text[]) AS wanted(schema_name, table_name)
                  ON wanted.schema_name = n.nspname AND wanted.table_name = c.relname
                """, Catalog::tableInfo, cdcRole, schemas, names);
        List<String> problems = new ArrayList<>();
        for (TableName table : tables) {
            TableInfo found = listed.stream().filter(t -> t.name().equals(table)).findFirst().orElse(null);
            if (found == null) {
                problems.add(table + " does not exist");
            } else if (found.kind() != 'r' && found.kind() != 'p') {
                problems.add(table + " is not a table (relkind " + found.kind() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new UnknownObjectException(refusal + ": " + String.join("; ", problems));
        }
        Long[] oids = listed.stream().map(TableInfo::oid).toArray(Long[]::new);
        return Sql.on(connection, "listing partitions").query(TABLE_COLUMNS + """
                WHERE c.oid IN (SELECT listed.oid FROM unnest(?::oid[]) AS listed(oid)
                                UNION
                                SELECT tree.relid FROM unnest(?::oid[]) AS listed(oid),
                                LATERAL pg_catalog.pg_partition_tree(listed.oid) AS tree)
                  AND c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
                ORDER BY n.nspname, c.relname
                """, Catalog::tableInfo, cdcRole, oids, oids);
    }

    RoleInfo role(String name) {
        return Sql.on(connection, "looking up role " + name).queryOne("""
                SELECT r.rolname, r.rolcanlogin, r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolreplication,
                       EXISTS (SELECT 1 FROM pg_catalog.pg_auth_members m
                               JOIN pg_catalog.pg_roles g ON g.oid = m.roleid
                               WHERE m.member = r.oid AND g.rolname = 'rds_replication'),
                       pg_catalog.has_database_privilege(r.oid, current_database(), 'CONNECT')
                FROM pg_catalog.pg_roles r WHERE r.rolname = ?
                """, row -> new RoleInfo(row.getString(1), row.getBoolean(2), row.getBoolean(3), row.getBoolean(4),
                row.getBoolean(5), row.getBoolean(6), row.getBoolean(7), row.getBoolean(8)), name);
    }

    /** Schemas among the given ones on which the role lacks USAGE. */
    List<String> schemasWithoutUsage(String role, List<String> schemas) {
        return Sql.on(connection, "checking schema USAGE of " + role).query("""
                SELECT n.nspname FROM pg_catalog.pg_namespace n
                WHERE n.nspname = ANY (?)
                  AND NOT pg_catalog.has_schema_privilege((SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ?),
                                                          n.oid, 'USAGE')
                ORDER BY 1
                """, row -> row.getString(1), schemas.toArray(String[]::new), role);
    }

    /** A (creator role, schema) pair whose future tables should be readable by the CDC role. */
    record DefaultPrivilegeTarget(String owner, String schema, boolean adminCanSet) {
    }

    /** The pairs among owners x schemas whose default privileges do not yet grant SELECT on tables to the role. */
    List<DefaultPrivilegeTarget> missingDefaultPrivileges(Set<String> owners, List<String> schemas, String role) {
        return Sql.on(connection, "checking default privileges").query("""
                SELECT o.rolname, n.nspname, pg_catalog.pg_has_role(o.oid, 'USAGE')
                FROM pg_catalog.pg_roles o CROSS JOIN pg_catalog.pg_namespace n
                WHERE o.rolname = ANY (?) AND n.nspname = ANY (?)
                  AND NOT EXISTS (
                    SELECT 1 FROM pg_catalog.pg_default_acl d, LATERAL pg_catalog.aclexplode(d.defaclacl) a
                    WHERE d.defaclrole = o.oid AND d.defaclnamespace = n.oid AND d.defaclobjtype = 'r'
                      AND a.grantee = (SELECT oid FROM pg_catalog.pg_roles WHERE rolname = ?)
                      AND a.privilege_type = 'SELECT')
                ORDER BY 1, 2
                """, row -> new DefaultPrivilegeTarget(row.getString(1), row.getString(2), row.getBoolean(3)),
                owners.toArray(String[]::new), schemas.toArray(String[]::new), role);
    }

    PublicationInfo publication(String name) {
        PublicationInfo bare = Sql.on(connection, "looking up publication " + name).queryOne("""
                SELECT p.pubname, pg_catalog.pg_get_userbyid(p.pubowner), p.puballtables, p.pubviaroot,
                       p.pubinsert, p.pubupdate, p.pubdelete, p.pubtruncate,
                       COALESCE(pg_catalog.to_jsonb(p) ->> 'pubgencols', 'n'),
                       COALESCE(pg_catalog.obj_description(p.oid, 'pg_publication') = ?, false)
                FROM pg_catalog.pg_publication p WHERE p.pubname = ?
                """, row -> new PublicationInfo(row.getString(1), row.getString(2), row.getBoolean(3),
                row.getBoolean(4), row.getBoolean(5), row.getBoolean(6), row.getBoolean(7), row.getBoolean(8),
                Set.of(), List.of(), row.getString(9), row.getBoolean(10)), OURS, name);
        if (bare == null) {
            return null;
        }
        Set<TableName> tables = new LinkedHashSet<>(Sql.on(connection, "listing tables of publication " + name)
                .query("""
                SELECT n.nspname, c.relname
                FROM pg_catalog.pg_publication_rel pr
                JOIN pg_catalog.pg_publication p ON p.oid = pr.prpubid
                JOIN pg_catalog.pg_class c ON c.oid = pr.prrelid
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE p.pubname = ?
                ORDER BY 1, 2
                """, row -> new TableName(row.getString(1), row.getString(2)), name));
        boolean hasSchemas = serverFacts().major() >= 15;
        List<String> schemas = !hasSchemas ? List.of() : Sql.on(connection, "listing schemas of publication "
                + name).query("""
                SELECT n.nspname FROM pg_catalog.pg_publication_namespace pn
                JOIN pg_catalog.pg_publication p ON p.oid = pn.pnpubid
                JOIN pg_catalog.pg_namespace n ON n.oid = pn.pnnspid
                WHERE p.pubname = ? ORDER BY 1
                """, row -> row.getString(1), name);
        return new PublicationInfo(bare.name(), bare.owner(), bare.allTables(), bare.viaRoot(), bare.insert(),
                bare.update(), bare.delete(), bare.truncate(), tables, schemas, bare.generatedColumns(), bare.ours());
    }

    EventTriggerInfo eventTrigger(String name) {
        return Sql.on(connection, "looking up event trigger " + name).queryOne("""
                SELECT e.evtname, e.evtenabled, fn.nspname, f.proname, COALESCE(e.evttags, '{}')
                FROM pg_catalog.pg_event_trigger e
                JOIN pg_catalog.pg_proc f ON f.oid = e.evtfoid
                JOIN pg_catalog.pg_namespace fn ON fn.oid = f.pronamespace
                WHERE e.evtname = ?
                """, row -> new EventTriggerInfo(row.getString(1), row.getString(2), row.getString(3),
                row.getString(4), List.of((String[]) row.getArray(5).getArray())), name);
    }

    /** The source of a function without arguments, or null when it does not exist. */
    String functionSource(String schema, String name) {
        return Sql.on(connection, "looking up function " + schema + "." + name).text("""
                SELECT p.prosrc FROM pg_catalog.pg_proc p
                JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = ? AND p.proname = ? AND p.pronargs = 0
                """, schema, name);
    }

    /** The comment of a function without arguments, or null. */
    String functionComment(String schema, String name) {
        return Sql.on(connection, "reading the comment of " + schema + "." + name).text("""
                SELECT pg_catalog.obj_description(p.oid, 'pg_proc') FROM pg_catalog.pg_proc p
                JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = ? AND p.proname = ? AND p.pronargs = 0
                """, schema, name);
    }

    /** The comment on a schema, null when it has none or the schema does not exist. */
    String schemaComment(String schema) {
        return Sql.on(connection, "reading the comment of schema " + schema).text("""
                SELECT pg_catalog.obj_description(n.oid, 'pg_namespace') FROM pg_catalog.pg_namespace n
                WHERE n.nspname = ?
                """, schema);
    }

    /** Whether any of the tables has a STORED generated column (on 18 FULL then needs them published). */
    boolean hasStoredGeneratedColumns(List<Long> oids) {
        return Boolean.TRUE.equals(Sql.on(connection, "looking for stored generated columns").queryOne("""
                SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a WHERE a.attrelid = ANY (?::oid[])
                               AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = 's')
                """, row -> row.getBoolean(1), (Object) oids.toArray(Long[]::new)));
    }

    boolean schemaExists(String schema) {
        return missingSchemas(List.of(schema)).isEmpty();
    }

    /** DROP statements for the objects of a manual-runbook install, in a safe order (trigger first). */
    List<String[]> runbookObjects() {
        List<String[]> drops = new ArrayList<>();
        drops.addAll(Sql.on(connection, "looking for the runbook's event trigger").query("""
                SELECT 'event trigger ' || evtname, pg_catalog.format('DROP EVENT TRIGGER %I', evtname)
                FROM pg_catalog.pg_event_trigger WHERE evtname = '_bemi_set_replica_identity_trigger'
                """, row -> new String[] {row.getString(1), row.getString(2)}));
        drops.addAll(Sql.on(connection, "looking for the runbook's functions").query("""
                SELECT CASE p.prokind WHEN 'p' THEN 'procedure ' ELSE 'function ' END || p.oid::regprocedure,
                       pg_catalog.format('DROP %s %s', CASE p.prokind WHEN 'p' THEN 'PROCEDURE' ELSE 'FUNCTION' END,
                                         p.oid::regprocedure)
                FROM pg_catalog.pg_proc p
                WHERE p.proname IN ('_bemi_set_replica_identity_func', '_bemi_set_replica_identity')
                ORDER BY p.proname DESC
                """, row -> new String[] {row.getString(1), row.getString(2)}));
        return drops;
    }

    /** Whether PUBLIC may connect to the current database (a new role inherits that). */
    boolean publicCanConnect() {
        return Boolean.TRUE.equals(Sql.on(connection, "checking CONNECT on the database").queryOne("""
                SELECT EXISTS (
                  SELECT 1 FROM pg_catalog.pg_database d,
                         LATERAL pg_catalog.aclexplode(COALESCE(d.datacl, pg_catalog.acldefault('d', d.datdba))) a
                  WHERE d.datname = current_database() AND a.grantee = 0 AND a.privilege_type = 'CONNECT')
                """, row -> row.getBoolean(1)));
    }

    /**
     * Permanent tables outside the given schemas (and not partitions of tables in them) on which a publication of
     * all tables would make UPDATE and DELETE fail: replica identity NOTHING, or DEFAULT without a primary key.
     */
    List<TableName> tablesThatWouldRejectUpdates(List<String> exceptSchemas) {
        String[] names = exceptSchemas.toArray(String[]::new);
        return Sql.on(connection, "looking for published tables without a replica identity").query("""
                SELECT n.nspname, c.relname
                FROM pg_catalog.pg_class c
                JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind = 'r' AND c.relpersistence = 'p'
                  AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'
                  AND NOT (n.nspname = ANY (?))
                  AND NOT (c.relispartition AND EXISTS (
                        SELECT 1 FROM pg_catalog.pg_class root
                        JOIN pg_catalog.pg_namespace rn ON rn.oid = root.relnamespace
                        WHERE root.oid = pg_catalog.pg_partition_root(c.oid) AND rn.nspname = ANY (?)))
                  AND (c.relreplident = 'n'
                       OR (c.relreplident = 'd' AND NOT EXISTS (
                             SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisprimary)))
                ORDER BY 1, 2
                """, row -> new TableName(row.getString(1), row.getString(2)), names, names);
    }
}
