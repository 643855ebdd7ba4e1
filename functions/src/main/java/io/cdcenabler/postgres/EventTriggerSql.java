package io.cdcenabler.postgres;

import java.util.List;

/**
 * The event trigger that keeps new tables of the tracked schemas FULL (and readable by the CDC role). It costs
 * O(1) per DDL command: it looks only at the objects the command itself created (pg_event_trigger_ddl_commands),
 * never scans the catalog, never touches another table, qualifies every name, and pins its own search_path.
 */
final class EventTriggerSql {
    static final String SCHEMA = "cdc_enabler";
    static final String FUNCTION = "keep_replica_identity_full";
    static final String TRIGGER = "cdc_enabler_keep_replica_identity_full";
    /** ALTER TABLE covers ATTACH PARTITION; CREATE SCHEMA covers tables created inside CREATE SCHEMA. */
    static final List<String> TAGS = List.of("CREATE TABLE", "CREATE TABLE AS", "SELECT INTO", "ALTER TABLE",
            "CREATE SCHEMA");

    private EventTriggerSql() {
    }

    /**
     * The PL/pgSQL body as a server-side format() template: %L takes the tracked schemas (text[]) and the CDC role
     * (text, or NULL for none), so the values are bound as parameters and quoted by the server.
     */
    static final String BODY_TEMPLATE = """
            DECLARE
              tracked_schemas CONSTANT text[] := %L;
              cdc_role CONSTANT text := %L;
              target record;
            BEGIN
              FOR target IN
                SELECT DISTINCT c.oid, n.nspname, c.relname, c.relreplident
                FROM pg_catalog.pg_event_trigger_ddl_commands() AS cmd
                JOIN pg_catalog.pg_class AS reported ON reported.oid = cmd.objid
                CROSS JOIN LATERAL (
                    SELECT reported.oid AS relid WHERE cmd.command_tag <> 'ALTER TABLE'
                    UNION ALL
                    SELECT tree.relid FROM pg_catalog.pg_partition_tree(reported.oid) AS tree
                    WHERE cmd.command_tag = 'ALTER TABLE' AND reported.relkind = 'p') AS affected
                JOIN pg_catalog.pg_class AS c ON c.oid = affected.relid
                JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
                WHERE cmd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                  AND c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
                  AND (n.nspname = ANY (tracked_schemas)
                       OR (c.relispartition AND (
                             SELECT rn.nspname FROM pg_catalog.pg_class AS r
                             JOIN pg_catalog.pg_namespace AS rn ON rn.oid = r.relnamespace
                             WHERE r.oid = pg_catalog.pg_partition_root(c.oid)) = ANY (tracked_schemas)))
              LOOP
                IF target.relreplident <> 'f' THEN
                  EXECUTE pg_catalog.format('ALTER TABLE %%I.%%I REPLICA IDENTITY FULL', target.nspname, target.relname);
                END IF;
                IF cdc_role IS NOT NULL
                   AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = cdc_role)
                   AND NOT pg_catalog.has_table_privilege(cdc_role, target.oid, 'SELECT') THEN
                  BEGIN
                    EXECUTE pg_catalog.format('GRANT SELECT ON TABLE %%I.%%I TO %%I',
                                              target.nspname, target.relname, cdc_role);
                  EXCEPTION WHEN insufficient_privilege THEN
                    RAISE WARNING 'cdc-enabler: could not grant SELECT on %%.%% to %%: %%',
                                  target.nspname, target.relname, cdc_role, SQLERRM;
                  END;
                END IF;
              END LOOP;
            END
            """;

    /** Renders the body for these schemas and role, server-side. */
    static final String RENDER_BODY = "SELECT pg_catalog.format(?, ?::text[], ?::text)";

    /** Renders the CREATE OR REPLACE FUNCTION statement for a rendered body, server-side. */
    static final String RENDER_CREATE_FUNCTION = """
            SELECT pg_catalog.format('CREATE OR REPLACE FUNCTION %I.%I() RETURNS event_trigger LANGUAGE plpgsql '
                                     || 'SET search_path = pg_catalog, pg_temp AS %L', ?::text, ?::text, ?::text)
            """;

    static String createTrigger() {
        return "CREATE EVENT TRIGGER " + Identifiers.quote(TRIGGER) + " ON ddl_command_end WHEN TAG IN ("
                + String.join(", ", TAGS.stream().map(tag -> "'" + tag + "'").toList()) + ") EXECUTE FUNCTION "
                + Identifiers.quote(SCHEMA) + "." + Identifiers.quote(FUNCTION) + "()";
    }
}
