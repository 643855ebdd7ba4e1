package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Catalog.DefaultPrivilegeTarget;
import io.cdcenabler.postgres.Step.GrantSelectStep;
import io.cdcenabler.postgres.Step.PasswordStep;
import io.cdcenabler.postgres.Step.SqlStep;
import java.sql.Connection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one home of the statements the engine runs besides REPLICA IDENTITY: each factory gives the statement with the
 * change it makes and the privilege it needs (which explains a permission error), so a planner only decides which.
 */
final class Ddl {
    static final String SUPERUSER = "superuser, or rds_superuser on RDS and Aurora";
    private static final String FUNCTION = EventTriggerSql.SCHEMA + "." + EventTriggerSql.FUNCTION + "()";
    private static final String QUOTED_FUNCTION = Identifiers.quote(EventTriggerSql.SCHEMA) + "."
            + Identifiers.quote(EventTriggerSql.FUNCTION);
    private static final String TRIGGER = Identifiers.quote(EventTriggerSql.TRIGGER);

    private Ddl() {
    }

    private static Step sql(String action, String target, String sql, String hint) {
        return new SqlStep(new Change(action, target), sql, hint);
    }

    private static String quotedList(List<TableName> tables) {
        return tables.stream().map(TableName::quoted).collect(Collectors.joining(", "));
    }

    // --- the manual runbook ---

    static Step removeRunbookObject(String object, String dropSql) {
        return sql("removed manual-runbook", object, dropSql,
                "ownership of the runbook's objects (superuser or rds_superuser)");
    }

    // --- the CDC role and its privileges ---

    static Step createRole(String role, String markSql) {
        return sql("created role", role, "CREATE ROLE " + Identifiers.quote(role)
                + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; " + markSql, "CREATEROLE");
    }

    static Step adoptRole(String role, String markSql) {
        return sql("adopted role", role, markSql, "CREATEROLE");
    }

    static Step setPassword(String role, Secret password) {
        return new PasswordStep(new Change("set password of", role), role, password);
    }

    static Step restrictRole(String role, boolean superuser) {
        return sql("restricted role to LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE", role,
                "ALTER ROLE " + Identifiers.quote(role) + " WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE",
                superuser ? "superuser (the role is a superuser)" : "CREATEROLE");
    }

    static Step grantRdsReplication(String role) {
        return sql("granted rds_replication to", role, "GRANT rds_replication TO " + Identifiers.quote(role),
                "membership in rds_superuser (the RDS master user)");
    }

    static Step grantReplication(String role) {
        return sql("granted the REPLICATION attribute to", role, "ALTER ROLE " + Identifiers.quote(role)
                + " WITH REPLICATION", "superuser (on RDS and Aurora the rds_replication role is granted instead)");
    }

    static Step grantConnect(String database, String role) {
        return sql("granted CONNECT on database " + database + " to", role, "GRANT CONNECT ON DATABASE "
                + Identifiers.quote(database) + " TO " + Identifiers.quote(role), "ownership of the database");
    }

    static Step grantUsage(String schema, String role) {
        return sql("granted USAGE on schema " + Identifiers.printable(schema) + " to", role, "GRANT USAGE ON SCHEMA "
                + Identifiers.quote(schema) + " TO " + Identifiers.quote(role), "ownership of the schema");
    }

    static Step grantSelect(String role, List<TableName> tables) {
        return new GrantSelectStep(new Change("granted SELECT to " + role + " on", describeTables(tables)), role,
                tables);
    }

    static Step setDefaultPrivileges(DefaultPrivilegeTarget target, String role) {
        return sql("set default privileges: SELECT to " + role + " on tables created by "
                        + Identifiers.printable(target.owner()) + " in schema", Identifiers.printable(target.schema()),
                "ALTER DEFAULT PRIVILEGES FOR ROLE " + Identifiers.quote(target.owner()) + " IN SCHEMA "
                        + Identifiers.quote(target.schema()) + " GRANT SELECT ON TABLES TO " + Identifiers.quote(role),
                "membership in role " + target.owner());
    }

    static Step revokeSchema(String schema, String role) {
        String quoted = Identifiers.quote(role);
        return sql("revoked privileges on schema " + Identifiers.printable(schema) + " and its tables from", role,
                "REVOKE ALL ON ALL TABLES IN SCHEMA " + Identifiers.quote(schema) + " FROM " + quoted
                        + "; REVOKE ALL ON SCHEMA " + Identifiers.quote(schema) + " FROM " + quoted,
                "ownership of the schema and its tables");
    }

    static Step revokeTables(List<TableName> tables, String role) {
        return sql("revoked SELECT from " + role + " on", describeTables(tables), "REVOKE ALL ON TABLE "
                + quotedList(tables) + " FROM " + Identifiers.quote(role), "ownership of the tables");
    }

    static Step removeDefaultPrivileges(String owner, String schema, String role) {
        return sql("removed default privileges of " + Identifiers.printable(owner) + " in schema "
                        + Identifiers.printable(schema) + " for", role,
                "ALTER DEFAULT PRIVILEGES FOR ROLE " + Identifiers.quote(owner) + " IN SCHEMA "
                        + Identifiers.quote(schema) + " REVOKE ALL ON TABLES FROM " + Identifiers.quote(role),
                "membership in role " + owner);
    }

    static Step revokeConnect(String database, String role) {
        return sql("revoked CONNECT on database " + database + " from", role, "REVOKE CONNECT ON DATABASE "
                + Identifiers.quote(database) + " FROM " + Identifiers.quote(role), "ownership of the database");
    }

    static Step dropRole(String role) {
        return sql("dropped role", role, "DROP ROLE " + Identifiers.quote(role), "CREATEROLE");
    }

    static Step keepRole(String role, List<String> elsewhere) {
        return new Step.NoteStep(new Change("kept role (it still has privileges or objects in database(s) "
                + String.join(", ", elsewhere) + "; run teardown --drop-user " + role + " there, and the last "
                + "one drops it)", role));
    }

    // --- the publication ---

    static Step createPublication(String name, String target, String options, boolean allTables) {
        String quoted = Identifiers.quote(name);
        return sql("created publication", name, "CREATE PUBLICATION " + quoted + " " + target + " WITH (" + options
                        + "); COMMENT ON PUBLICATION " + quoted + " IS '" + Catalog.OURS + "'",
                allTables ? SUPERUSER : "CREATE on the database and ownership of the tables");
    }

    static Step setPublicationOptions(String name, String options) {
        return sql("set options (" + options + ") of publication", name, "ALTER PUBLICATION "
                + Identifiers.quote(name) + " SET (" + options + ")", "ownership of the publication");
    }

    static Step addSchemas(String name, List<String> schemas) {
        return sql("added schemas to publication " + name, Provisioner.printableList(schemas), "ALTER PUBLICATION "
                + Identifiers.quote(name) + " ADD TABLES IN SCHEMA " + schemas.stream().map(Identifiers::quote)
                .collect(Collectors.joining(", ")), SUPERUSER);
    }

    static Step addTables(String name, List<TableName> tables) {
        return sql("added to publication " + name, Provisioner.abbreviate(tables), "ALTER PUBLICATION "
                + Identifiers.quote(name) + " ADD TABLE " + quotedList(tables),
                "ownership of the publication and of the tables");
    }

    static Step dropTables(String name, List<TableName> tables) {
        return sql("dropped from publication " + name, tables.stream().map(TableName::toString)
                        .collect(Collectors.joining(", ")), "ALTER PUBLICATION " + Identifiers.quote(name)
                        + " DROP TABLE " + quotedList(tables), "ownership of the publication");
    }

    static Step dropPublication(String name) {
        return sql("dropped publication", name, "DROP PUBLICATION " + Identifiers.quote(name),
                "ownership of the publication");
    }

    // --- the event trigger, its function and schema ---

    static Step createTriggerSchema() {
        return sql("created schema", EventTriggerSql.SCHEMA, "CREATE SCHEMA " + Identifiers.quote(EventTriggerSql.SCHEMA),
                "CREATE on the database");
    }

    static Step dropTriggerSchema() {
        return sql("dropped schema", EventTriggerSql.SCHEMA, "DROP SCHEMA " + Identifiers.quote(EventTriggerSql.SCHEMA)
                + " RESTRICT", "ownership of the schema");
    }

    /** CREATE OR REPLACE of the trigger function with this body; {@code created} says whether it is new. */
    static Step writeFunction(Connection connection, String body, boolean created) {
        String create = Sql.on(connection, "rendering the event trigger function").text(
                EventTriggerSql.RENDER_CREATE_FUNCTION, EventTriggerSql.SCHEMA, EventTriggerSql.FUNCTION, body);
        return sql(created ? "created function" : "updated function", FUNCTION, create, SUPERUSER);
    }

    static Step configureTrigger(Connection connection, String publication, String newTables, TriggerConfig wanted) {
        return sql("configured event trigger for publication " + publication + ":", newTables,
                comment(connection, "rendering the trigger configuration", wanted),
                "ownership of function " + QUOTED_FUNCTION);
    }

    static Step unconfigureTrigger(Connection connection, String publication, TriggerConfig remaining) {
        return sql("removed publication " + publication + " from the event trigger's configuration; kept for",
                String.join(", ", remaining.publications().keySet()),
                comment(connection, "rendering the configuration", remaining), "ownership of the function");
    }

    private static String comment(Connection connection, String doing, TriggerConfig config) {
        return Sql.on(connection, doing).text(EventTriggerSql.RENDER_COMMENT, EventTriggerSql.SCHEMA,
                EventTriggerSql.FUNCTION, config.toJson());
    }

    static Step dropFunction() {
        return sql("dropped function", FUNCTION, "DROP FUNCTION " + QUOTED_FUNCTION + "()", "ownership of the function");
    }

    static Step clearUpgradeHold() {
        return sql("cleared the upgrade hold on schema", EventTriggerSql.SCHEMA, "COMMENT ON SCHEMA "
                + Identifiers.quote(EventTriggerSql.SCHEMA) + " IS NULL", "ownership of schema " + EventTriggerSql.SCHEMA);
    }

    static Step createTrigger() {
        return sql("created event trigger", EventTriggerSql.TRIGGER, EventTriggerSql.createTrigger(), SUPERUSER);
    }

    static Step dropOutdatedTrigger() {
        return sql("dropped outdated event trigger", EventTriggerSql.TRIGGER, "DROP EVENT TRIGGER " + TRIGGER, SUPERUSER);
    }

    static Step dropTrigger() {
        return sql("dropped event trigger", EventTriggerSql.TRIGGER, "DROP EVENT TRIGGER " + TRIGGER, SUPERUSER);
    }

    static Step enableTrigger() {
        return sql("enabled event trigger", EventTriggerSql.TRIGGER, "ALTER EVENT TRIGGER " + TRIGGER + " ENABLE",
                SUPERUSER);
    }

    /** One table by name, or "N tables (a, b, ...)". */
    static String describeTables(List<TableName> tables) {
        return tables.size() == 1 ? tables.get(0).toString()
                : tables.size() + " tables (" + Provisioner.abbreviate(tables) + ")";
    }
}
