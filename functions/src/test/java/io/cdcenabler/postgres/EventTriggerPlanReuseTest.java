package io.cdcenabler.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 8 (cost): the event trigger's one query per firing is planned once per session and its plan reused for
 * every later DDL of that session. Many DDL statements of different shapes on one application connection (past the
 * five firings after which PostgreSQL may switch a cached plan) must each still end write-safe and readable by the
 * CDC role.
 */
class EventTriggerPlanReuseTest extends AppWorldPerVersion {
    @Test
    void manyDdlStatementsOfDifferentShapesOnOneConnection_eachTableEndsFullAndReadableByTheCdcRole() {
        world.provision(world.allTables("public"));
        List<String> statements = new ArrayList<>();
        List<String> tables = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statements.add("CREATE TABLE public.plain_" + i + " (id int, v text)");
            tables.add("public.plain_" + i);
        }
        statements.addAll(List.of(
                "CREATE TABLE public.keyed (id serial PRIMARY KEY, v text)",
                "CREATE TABLE public.parted (id int, v text) PARTITION BY RANGE (id)",
                "CREATE TABLE public.loose (id int, v text)",
                "ALTER TABLE public.parted ATTACH PARTITION public.loose FOR VALUES FROM (0) TO (100)",
                "CREATE UNLOGGED TABLE public.later (v text)",
                "ALTER TABLE public.later SET LOGGED",
                "CREATE TABLE public.copied AS SELECT 1 AS id, 'x'::text AS v",
                "CREATE TABLE public.plain_last (id int, v text)"));
        tables.addAll(List.of("public.keyed", "public.loose", "public.later", "public.copied", "public.plain_last"));

        world.app(statements.toArray(String[]::new));

        for (String table : tables) {
            world.assertIdentity(table, "f");
            world.assertAppCanWrite(table, "v");
            assertThat(world.db.value("SELECT has_table_privilege('" + world.cdcUser + "', '" + table
                    + "', 'SELECT')")).as("the CDC role reads " + table).isEqualTo("t");
        }
    }
}
