package io.cdcenabler.bench;

import java.sql.Connection;

/**
 * The least an event trigger must do to keep new tables at REPLICA IDENTITY FULL, and so the floor our trigger is
 * measured against: on {@code ddl_command_end} for {@code CREATE TABLE} only, one
 * {@code ALTER TABLE <created table> REPLICA IDENTITY FULL} per table that {@code pg_event_trigger_ddl_commands()}
 * reports, and nothing else (no configuration, no schema filter, no grants, no catalog reads). Its own ALTER TABLE
 * does not fire it again, as its tag filter holds only {@code CREATE TABLE}.
 */
final class MinimalTrigger {
    static final String SCHEMA = "bench_minimal";
    static final String TRIGGER = "bench_minimal_replica_identity_full";

    private MinimalTrigger() {
    }

    /** Creates the schema, the function and the event trigger in the connection's database (as a superuser). */
    static void install(Connection connection) {
        BenchmarkDatabases.execute(connection, "creating the minimal trigger's schema",
                "CREATE SCHEMA " + SCHEMA);
        BenchmarkDatabases.execute(connection, "creating the minimal trigger's function", """
                CREATE FUNCTION %s.set_full() RETURNS event_trigger LANGUAGE plpgsql AS $$
                DECLARE
                  created record;
                BEGIN
                  FOR created IN
                    SELECT objid FROM pg_catalog.pg_event_trigger_ddl_commands()
                    WHERE object_type = 'table'
                  LOOP
                    EXECUTE pg_catalog.format('ALTER TABLE %%s REPLICA IDENTITY FULL', created.objid::regclass);
                  END LOOP;
                END
                $$""".formatted(SCHEMA));
        BenchmarkDatabases.execute(connection, "creating the minimal event trigger", "CREATE EVENT TRIGGER "
                + TRIGGER + " ON ddl_command_end WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION " + SCHEMA
                + ".set_full()");
    }

    /** Drops every event trigger of the connection's database (their functions stay, so catalogs stay alike). */
    static void dropEveryEventTrigger(Connection connection) {
        BenchmarkDatabases.execute(connection, "dropping the event triggers", """
                DO $$
                DECLARE
                  trigger_name name;
                BEGIN
                  FOR trigger_name IN SELECT evtname FROM pg_catalog.pg_event_trigger LOOP
                    EXECUTE pg_catalog.format('DROP EVENT TRIGGER %I', trigger_name);
                  END LOOP;
                END
                $$""");
    }
}
