package io.cdcenabler.postgres;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The event trigger that keeps every table the application's DDL creates or changes write-safe under the replica
 * identity policy ({@link IdentityPolicy}) and readable by the CDC role: new tables of tracked schemas, tables
 * published by any publication (so every schema under FOR ALL TABLES), tables made logged or moved into a published
 * schema, new or attached partitions, a generated column added, a primary key dropped. It costs O(1) per DDL
 * command: it looks only at the objects the command reported (pg_event_trigger_ddl_commands), never scans the
 * catalog, qualifies every name, and pins its own search_path.
 */
final class EventTriggerSql {
    static final String SCHEMA = "cdc_enabler";
    static final String FUNCTION = "keep_replica_identity_full";
    static final String TRIGGER = "cdc_enabler_keep_replica_identity_full";
    /** ALTER TABLE covers ATTACH PARTITION; CREATE SCHEMA covers tables created inside CREATE SCHEMA. */
    static final List<String> TAGS = List.of("CREATE TABLE", "CREATE TABLE AS", "SELECT INTO", "ALTER TABLE",
            "CREATE SCHEMA");

    private static final ObjectMapper JSON = new ObjectMapper();

    private EventTriggerSql() {
    }

    /**
     * The PL/pgSQL body for a server major and a configuration. The configuration is rendered into the body as
     * constants (no COMMENT is read at each DDL): the schemas whose new tables are tracked (ALL_TABLES) and, per
     * publication, the CDC role granted SELECT on what it tracks. For each table the command created or changed it
     * applies {@link IdentityPolicy#DECISION} when the table is in a tracked schema or published by any publication
     * that publishes UPDATE or DELETE (FOR ALL TABLES, FOR TABLES IN SCHEMA, FOR TABLE or an ancestor). A table no
     * identity can work for fails the command, naming the fix: a published table that rejects UPDATE is worse.
     * ALTER TABLE on a partitioned table (ATTACH PARTITION) reports the parent: only the partitions whose catalog row
     * this transaction wrote (age(xmin) <= 0) are added, never the untouched siblings. All of that is one query
     * without parameters, planned once per session; the PUBLISHED test runs only for a table whose identity would
     * change and that is not in a tracked schema. The trigger's own ALTER TABLE
     * fires it again; a transaction-local setting makes that nested firing return at once.
     */
    static String body(int major, TriggerConfig config) {
        Set<String> schemas = new TreeSet<>();
        List<Map<String, Object>> grants = new ArrayList<>();
        config.publications().forEach((publication, entry) -> {
            schemas.addAll(entry.schemas());
            if (entry.role() != null) {
                grants.add(Map.of("publication", publication, "role", entry.role(), "schemas", entry.schemas()));
            }
        });
        return TEMPLATE.replace("@TRACKED@", dollarQuoted(json(schemas)) + "::pg_catalog.jsonb")
                .replace("@GRANTING@", grants.isEmpty() ? "false" : "true")
                .replace("@GRANTS@", dollarQuoted(json(grants)))
                .replace("@DECISION@", IdentityPolicy.DECISION.replace("\n", "\n                  "))
                .replace("@INDEX@", IdentityPolicy.INDEX)
                .replace("@PUBLISHED@", WriteProof.publishedCondition(major))
                .replace("@REFUSAL@", IdentityPolicy.REFUSAL.replace("'", "''"));
    }

    /**
     * One query per firing finds, for every table the command reported (and, for ALTER TABLE on a partitioned table,
     * the partitions this transaction attached), whether its identity must change and whether grants may be due. It
     * has no parameter (the tracked schemas are a literal), so PL/pgSQL plans it once per session and reuses that
     * plan: the per-table queries it replaces were re-planned for each of the first five firings of every session.
     * The decision is computed once per table (OFFSET 0 keeps the planner from copying it into the filter).
     */
    private static final String TEMPLATE = """
            DECLARE
              grants CONSTANT jsonb := @GRANTS@;
              target record;
              entry record;
            BEGIN
              IF pg_catalog.current_setting('cdc_enabler.busy', true) = 'on' THEN
                RETURN; -- the nested firing for this trigger's own ALTER TABLE
              END IF;
              -- Lookups by oid of the reported tables only: the cost does not depend on how many tables exist.
              FOR target IN
                SELECT t.oid, t.nspname, t.relname, t.relispartition, t.decision,
                       t.decision <> 'keep' AND (t.in_tracked OR (
                         SELECT @PUBLISHED@ FROM pg_catalog.pg_class AS c WHERE c.oid = t.oid)) AS needs_identity
                FROM (
                  SELECT DISTINCT a.relid
                  FROM pg_catalog.pg_event_trigger_ddl_commands() AS d,
                  LATERAL (
                    SELECT d.objid AS relid
                    UNION ALL
                    SELECT tree.relid::oid FROM pg_catalog.pg_class AS parent
                    JOIN pg_catalog.pg_inherits AS i ON i.inhparent = parent.oid
                    JOIN pg_catalog.pg_class AS k ON k.oid = i.inhrelid,
                    LATERAL pg_catalog.pg_partition_tree(i.inhrelid) AS tree
                    WHERE d.command_tag = 'ALTER TABLE' AND parent.oid = d.objid AND parent.relkind = 'p'
                      AND pg_catalog.age(k.xmin) <= 0) AS a
                  WHERE d.classid = 'pg_catalog.pg_class'::pg_catalog.regclass) AS affected,
                LATERAL (
                  SELECT c.oid, n.nspname, c.relname, c.relispartition, (@DECISION@) AS decision,
                         @TRACKED@ ? n.nspname::text OR (c.relispartition AND EXISTS (
                           SELECT 1 FROM pg_catalog.pg_partition_ancestors(c.oid) AS ta
                           JOIN pg_catalog.pg_class AS tc ON tc.oid = ta.relid
                           JOIN pg_catalog.pg_namespace AS tn ON tn.oid = tc.relnamespace
                           WHERE @TRACKED@ ? tn.nspname::text)) AS in_tracked
                  FROM pg_catalog.pg_class AS c
                  JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
                  WHERE c.oid = affected.relid AND c.relkind IN ('r', 'p') AND c.relpersistence = 'p'
                  OFFSET 0) AS t
                WHERE @GRANTING@ OR t.decision <> 'keep'
              LOOP
                IF target.needs_identity THEN
                  IF target.decision = 'refuse' THEN
                    RAISE EXCEPTION 'cdc-enabler: table %.% cannot be published safely: it @REFUSAL@',
                      target.nspname, target.relname
                      USING ERRCODE = 'object_not_in_prerequisite_state';
                  END IF;
                  PERFORM pg_catalog.set_config('cdc_enabler.busy', 'on', true);
                  EXECUTE pg_catalog.format('ALTER TABLE %I.%I REPLICA IDENTITY %s', target.nspname, target.relname,
                    CASE target.decision WHEN 'full' THEN 'FULL' WHEN 'default' THEN 'DEFAULT'
                    ELSE pg_catalog.format('USING INDEX %I',
                           (SELECT @INDEX@ FROM pg_catalog.pg_class AS c WHERE c.oid = target.oid)) END);
                  PERFORM pg_catalog.set_config('cdc_enabler.busy', 'off', true);
                END IF;
                CONTINUE WHEN grants = '[]';
                -- One query for every publication whose CDC role should read the table and cannot yet.
                FOR entry IN
                  SELECT e ->> 'role' AS role
                  FROM pg_catalog.jsonb_array_elements(grants) AS e
                  WHERE NOT pg_catalog.has_table_privilege(
                          (SELECT r.oid FROM pg_catalog.pg_roles AS r WHERE r.rolname = e ->> 'role'), target.oid,
                          'SELECT')
                    AND ((e -> 'schemas') ? target.nspname::text
                      OR (target.relispartition AND EXISTS (
                            SELECT 1 FROM pg_catalog.pg_partition_ancestors(target.oid) AS ancestor
                            JOIN pg_catalog.pg_class AS ac ON ac.oid = ancestor.relid
                            JOIN pg_catalog.pg_namespace AS an ON an.oid = ac.relnamespace
                            LEFT JOIN pg_catalog.pg_publication_rel AS pr ON pr.prrelid = ancestor.relid
                            LEFT JOIN pg_catalog.pg_publication AS p ON p.oid = pr.prpubid
                            WHERE p.pubname = e ->> 'publication' OR (e -> 'schemas') ? an.nspname::text)))
                LOOP
                  BEGIN
                    EXECUTE pg_catalog.format('GRANT SELECT ON TABLE %I.%I TO %I',
                                              target.nspname, target.relname, entry.role);
                  EXCEPTION WHEN insufficient_privilege THEN
                    RAISE WARNING 'cdc-enabler: could not grant SELECT on %.% to %: %',
                                  target.nspname, target.relname, entry.role, SQLERRM;
                  END;
                END LOOP;
              END LOOP;
            END
            """;

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the trigger configuration", e);
        }
    }

    /** A dollar-quoted literal whose tag does not occur in the text. */
    private static String dollarQuoted(String text) {
        String tag = "$cfg$";
        for (int i = 0; text.contains(tag); i++) {
            tag = "$cfg" + i + "$";
        }
        return tag + text + tag;
    }

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
