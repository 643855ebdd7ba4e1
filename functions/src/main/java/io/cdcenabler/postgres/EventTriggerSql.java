package io.cdcenabler.postgres;

import java.util.List;

/**
 * The event trigger that keeps new tables FULL (and readable by the CDC role): in ALL_TABLES mode every table of
 * the tracked schemas, in SELECTED_TABLES mode the new or attached partitions of tracked tables. It costs
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
     * The PL/pgSQL body as a server-side format() template: %L takes the tracked schemas (text[]), the publication
     * whose tables' partitions are tracked (text, NULL in ALL_TABLES mode) and the CDC role (text, or NULL for none),
     * so the values are bound as parameters and quoted by the server.
     */
    static final String BODY_TEMPLATE = """
            DECLARE
              tracked_schemas CONSTANT text[] := %L;
              tracked_publication CONSTANT text := %L;
              cdc_role CONSTANT text := %L;
              command record;
              affected oid[];
              relid oid;
              target record;
            BEGIN
              -- One lookup by oid per reported object: the cost does not depend on how many tables exist.
              FOR command IN
                SELECT objid, command_tag FROM pg_catalog.pg_event_trigger_ddl_commands()
                WHERE classid = 'pg_catalog.pg_class'::pg_catalog.regclass
              LOOP
                IF command.command_tag = 'ALTER TABLE' THEN
                  CONTINUE WHEN (SELECT c.relkind FROM pg_catalog.pg_class AS c WHERE c.oid = command.objid)
                                IS DISTINCT FROM 'p';
                  affected := ARRAY(SELECT tree.relid FROM pg_catalog.pg_partition_tree(command.objid) AS tree);
                ELSE
                  affected := ARRAY[command.objid];
                END IF;
                FOREACH relid IN ARRAY affected LOOP
                  SELECT c.oid, n.nspname, c.relname, c.relreplident INTO target
                  FROM pg_catalog.pg_class AS c
                  JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
                  WHERE c.oid = relid
                    AND c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
                    AND (n.nspname = ANY (tracked_schemas)
                         OR (c.relispartition AND (
                               SELECT rn.nspname FROM pg_catalog.pg_class AS r
                               JOIN pg_catalog.pg_namespace AS rn ON rn.oid = r.relnamespace
                               WHERE r.oid = pg_catalog.pg_partition_root(c.oid)) = ANY (tracked_schemas))
                         OR (c.relispartition AND tracked_publication IS NOT NULL AND EXISTS (
                               SELECT 1 FROM pg_catalog.pg_partition_ancestors(c.oid) AS ancestor
                               JOIN pg_catalog.pg_publication_rel AS pr ON pr.prrelid = ancestor.relid
                               JOIN pg_catalog.pg_publication AS p ON p.oid = pr.prpubid
                               WHERE p.pubname = tracked_publication)));
                  CONTINUE WHEN NOT FOUND;
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
              END LOOP;
            END
            """;

    /** Renders the body for these schemas and role, server-side. */
    static final String RENDER_BODY = "SELECT pg_catalog.format(?, ?::text[], ?::text, ?::text)";

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
