package io.cdcenabler.postgres;

import java.util.List;

/**
 * The event trigger that keeps new tables FULL (and readable by the CDC role): for ALL_TABLES publications every
 * new table of their tracked schemas, for every publication the new or attached partitions of its tables. It costs
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
     * The PL/pgSQL body. It is the same in every database; what it tracks is read at each DDL command from the
     * function's own COMMENT, a JSON document {"publications": {"name": {"schemas": [...], "role": "..."}}} kept
     * by {@link TriggerConfig}: an entry with schemas tracks new tables of those schemas (ALL_TABLES); every entry
     * tracks new or attached partitions of tables in its publication (SELECTED_TABLES). Each publication's CDC role
     * is granted SELECT on what its entry tracks.
     */
    static final String BODY = """
            DECLARE
              config jsonb;
              command record;
              affected oid[];
              relid oid;
              target record;
              root_schema name;
              entry record;
              is_full boolean;
            BEGIN
              BEGIN
                -- Catalog lookups only: a role creating a table needs no privilege on schema cdc_enabler.
                SELECT d.description::jsonb INTO config
                FROM pg_catalog.pg_proc AS f
                JOIN pg_catalog.pg_namespace AS fn ON fn.oid = f.pronamespace
                JOIN pg_catalog.pg_description AS d
                  ON d.objoid = f.oid AND d.classoid = 'pg_catalog.pg_proc'::pg_catalog.regclass AND d.objsubid = 0
                WHERE fn.nspname = 'cdc_enabler' AND f.proname = 'keep_replica_identity_full' AND f.pronargs = 0;
              EXCEPTION WHEN others THEN
                RAISE WARNING 'cdc-enabler: unreadable configuration in the COMMENT of '
                              'cdc_enabler.keep_replica_identity_full(): %; new tables are left as they are', SQLERRM;
                RETURN;
              END;
              IF config IS NULL OR config -> 'publications' IS NULL THEN
                RETURN;
              END IF;
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
                  SELECT c.oid, n.nspname, c.relname, c.relreplident, c.relispartition INTO target
                  FROM pg_catalog.pg_class AS c
                  JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
                  WHERE c.oid = relid AND c.relkind IN ('r', 'p') AND c.relpersistence = 'p';
                  CONTINUE WHEN NOT FOUND;
                  is_full := target.relreplident = 'f';
                  root_schema := NULL;
                  IF target.relispartition THEN
                    SELECT rn.nspname INTO root_schema FROM pg_catalog.pg_class AS r
                    JOIN pg_catalog.pg_namespace AS rn ON rn.oid = r.relnamespace
                    WHERE r.oid = pg_catalog.pg_partition_root(target.oid);
                  END IF;
                  FOR entry IN
                    SELECT e.key AS publication, e.value -> 'schemas' AS schemas, e.value ->> 'role' AS role
                    FROM pg_catalog.jsonb_each(config -> 'publications') AS e
                  LOOP
                    CONTINUE WHEN NOT (
                      COALESCE(entry.schemas ? target.nspname::text, false)
                      OR COALESCE(entry.schemas ? root_schema::text, false)
                      OR (target.relispartition AND EXISTS (
                            SELECT 1 FROM pg_catalog.pg_partition_ancestors(target.oid) AS ancestor
                            JOIN pg_catalog.pg_publication_rel AS pr ON pr.prrelid = ancestor.relid
                            JOIN pg_catalog.pg_publication AS p ON p.oid = pr.prpubid
                            WHERE p.pubname = entry.publication)));
                    IF NOT is_full THEN
                      EXECUTE pg_catalog.format('ALTER TABLE %I.%I REPLICA IDENTITY FULL',
                                                target.nspname, target.relname);
                      is_full := true;
                    END IF;
                    IF entry.role IS NOT NULL
                       AND EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = entry.role)
                       AND NOT pg_catalog.has_table_privilege(entry.role, target.oid, 'SELECT') THEN
                      BEGIN
                        EXECUTE pg_catalog.format('GRANT SELECT ON TABLE %I.%I TO %I',
                                                  target.nspname, target.relname, entry.role);
                      EXCEPTION WHEN insufficient_privilege THEN
                        RAISE WARNING 'cdc-enabler: could not grant SELECT on %.% to %: %',
                                      target.nspname, target.relname, entry.role, SQLERRM;
                      END;
                    END IF;
                  END LOOP;
                END LOOP;
              END LOOP;
            END
            """;

    /** Renders the CREATE OR REPLACE FUNCTION statement server-side (the body as a quoted literal). */
    static final String RENDER_CREATE_FUNCTION = """
            SELECT pg_catalog.format('CREATE OR REPLACE FUNCTION %I.%I() RETURNS event_trigger LANGUAGE plpgsql '
                                     || 'SET search_path = pg_catalog, pg_temp AS %L', ?::text, ?::text, ?::text)
            """;

    /** Renders the COMMENT that holds the configuration, server-side (the JSON as a quoted literal). */
    static final String RENDER_COMMENT = "SELECT pg_catalog.format('COMMENT ON FUNCTION %I.%I() IS %L', ?::text, "
            + "?::text, ?::text)";

    static String createTrigger() {
        return "CREATE EVENT TRIGGER " + Identifiers.quote(TRIGGER) + " ON ddl_command_end WHEN TAG IN ("
                + String.join(", ", TAGS.stream().map(tag -> "'" + tag + "'").toList()) + ") EXECUTE FUNCTION "
                + Identifiers.quote(SCHEMA) + "." + Identifiers.quote(FUNCTION) + "()";
    }
}
