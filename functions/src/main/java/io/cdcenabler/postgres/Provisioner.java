package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Catalog.TableInfo;
import io.cdcenabler.postgres.ProvisionPlanner.Planned;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provisioning engine: plans and applies, idempotently, everything a PostgreSQL database needs for change data
 * capture (replica identity, CDC role, grants, publication, event trigger), and tracks or untracks single tables.
 *
 * <p>Order of work, chosen so that a failure leaves production safe: (1) read the catalogs and check every
 * privilege that can be foreseen, changing nothing; (2) rehearse the setup statements in a transaction that is
 * rolled back, so any other missing privilege surfaces before a change; (3) set REPLICA IDENTITY FULL in committed
 * batches under the lock timeout; (4) run the setup in one transaction; (5) catch up tables created meanwhile. The
 * publication comes after the tables are FULL, so no table is published without a usable replica identity.
 */
public final class Provisioner {
    private static final Logger LOG = LoggerFactory.getLogger(Provisioner.class);
    private static final int SETTLE_ATTEMPTS = 5;

    private final ConnectionSource connections;
    private final ProgressListener progress;

    public Provisioner(ConnectionSource connections) {
        this(connections, ProgressListener.NONE);
    }

    public Provisioner(ConnectionSource connections, ProgressListener progress) {
        this.connections = connections;
        this.progress = progress;
    }

    /** Every statement provisioning would run, changing nothing. */
    public Plan plan(ProvisioningSpec spec) {
        return withAdmin(connection -> {
            DatabaseGuard.requireWritable(connection);
            return ProvisionPlanner.plan(context(connection, spec.lockPolicy()), spec, connections).plan();
        });
    }

    /**
     * Makes the database ready for CDC as the spec says; a second run changes nothing and reports no changes. The
     * event trigger is installed before the publication exists, tables created meanwhile are caught up, and only
     * then is the publication created or extended, so no table is published without a working identity; the run
     * ends with the write proof ({@link WriteProof}) and fails if a published table rejects UPDATE or DELETE.
     */
    public ProvisioningResult provision(ProvisioningSpec spec) {
        return withChanges(spec.lockPolicy(), context -> {
            Planned planned = ProvisionPlanner.plan(context, spec, connections);
            LOG.info("{\"event\":\"plan\",\"replicaIdentityTables\":{},\"setupSteps\":{}}",
                    planned.plan().identityChanges().size(), planned.plan().setup().size());
            SetupTransaction.rehearse(context, planned.rehearsal());
            List<Change> changes = new ArrayList<>(context.identityPass().run(context.connection(),
                    planned.plan().identityChanges()));
            // Tables may have been created or dropped during the pass: plan again from the catalogs, keeping the
            // password chosen above; a table dropped between planning and commit makes the setup plan again.
            ProvisioningSpec settled = planned.generatedPassword().isPresent()
                    ? spec.withCdcPassword(planned.generatedPassword()) : spec;
            settle(context, settled, Planned::beforePublication).beforePublication()
                    .forEach(step -> changes.add(step.change()));
            changes.addAll(catchUp(context, spec));
            Planned published = settle(context, settled, Planned::publication);
            published.publication().forEach(step -> changes.add(step.change()));
            changes.addAll(catchUp(context, spec));
            requireWritesWork(context);
            changes.forEach(change -> LOG.info("{\"event\":\"changed\",\"action\":\"{}\",\"target\":\"{}\"}",
                    jsonText(change.action()), jsonText(change.target())));
            return new ProvisioningResult(changes, planned.generatedPassword(), published.plan().notes());
        });
    }

    /** Commits a part of the setup, planning again (up to five times) if a table vanished since planning. */
    private Planned settle(EngineContext context, ProvisioningSpec spec, Function<Planned, List<Step>> part) {
        for (int attempt = 1; ; attempt++) {
            Planned planned = ProvisionPlanner.plan(context, spec, connections);
            try {
                SetupTransaction.commit(context, part.apply(planned));
                return planned;
            } catch (DatabaseException e) {
                if (attempt >= SETTLE_ATTEMPTS || !(e.getCause() instanceof SQLException cause)
                        || !Sql.UNDEFINED_TABLE.equals(cause.getSQLState())) {
                    throw e;
                }
                LOG.info("{\"event\":\"tableDroppedMeanwhile\",\"attempt\":{}}", attempt);
            }
        }
    }

    /** Applies the policy to every tracked table again (tables created while provisioning ran). */
    private static List<Change> catchUp(EngineContext context, ProvisioningSpec spec) {
        List<TableInfo> tables = ProvisionPlanner.trackedTables(context, spec, null);
        List<IdentityPolicy.Decision> decisions = ProvisionPlanner.decide(context, tables);
        return context.identityPass().run(context.connection(), ProvisionPlanner.changes(decisions));
    }

    private static void requireWritesWork(EngineContext context) {
        WriteProof.Result proof = WriteProof.run(context.connection(), context.facts().major(),
                context.lockPolicy());
        if (!proof.holds()) {
            throw new ConflictingStateException("provisioning finished, but " + WriteProof.describe(proof)
                    + ". Give these tables a primary key or REPLICA IDENTITY FULL (or run provision again for their "
                    + "schemas), then run verify.");
        }
    }

    /** Whether a role of that name exists in the cluster. */
    public boolean roleExists(String role) {
        return withAdmin(connection -> new Catalog(connection).role(Identifiers.require("role", role)) != null);
    }

    /**
     * The present replica identity of each table that exists (DEFAULT, NOTHING, FULL or INDEX), read from pg_class;
     * changes nothing. A table that does not exist is absent.
     */
    public Map<TableName, String> replicaIdentities(List<TableName> tables) {
        return withAdmin(connection -> {
            Map<TableName, String> identities = new TreeMap<>();
            Sql.on(connection, "reading the replica identity of " + tables.size() + " table(s)").query("""
                    SELECT n.nspname, c.relname, CASE c.relreplident WHEN 'd' THEN 'DEFAULT' WHEN 'n' THEN 'NOTHING'
                           WHEN 'f' THEN 'FULL' WHEN 'i' THEN 'INDEX' ELSE c.relreplident::text END
                    FROM pg_catalog.pg_class AS c JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace
                    WHERE (n.nspname, c.relname) IN (
                      SELECT s.name, t.name FROM pg_catalog.unnest(?::text[]) WITH ORDINALITY AS s(name, i)
                      JOIN pg_catalog.unnest(?::text[]) WITH ORDINALITY AS t(name, i) ON t.i = s.i)
                    """, row -> Map.entry(new TableName(row.getString(1), row.getString(2)), row.getString(3)),
                    tables.stream().map(TableName::schema).toArray(String[]::new),
                    tables.stream().map(TableName::table).toArray(String[]::new))
                    .forEach(entry -> identities.put(entry.getKey(), entry.getValue()));
            return identities;
        });
    }

    /** The server's wal_level, e.g. {@code logical}. */
    public String walLevel() {
        return withAdmin(connection -> new Catalog(connection).serverFacts().walLevel());
    }

    // --- tracking single tables (SELECTED_TABLES) ---

    /**
     * Starts tracking tables in a FOR TABLE publication: REPLICA IDENTITY FULL on them and their partitions, then
     * ALTER PUBLICATION ADD TABLE and, when a CDC role is named, SELECT for it. Tables already tracked are no change.
     */
    public List<Change> track(String publication, List<TableName> tables, Optional<String> cdcUser,
                              LockPolicy policy) {
        requireTables(tables);
        return withChanges(policy, context -> {
            TablePlanner.TablePlan plan = TablePlanner.track(context, publication, tables, cdcUser);
            SetupTransaction.rehearse(context, plan.steps());
            List<Change> changes = new ArrayList<>(context.identityPass().run(context.connection(),
                    plan.identityChanges()));
            SetupTransaction.commit(context, plan.steps());
            plan.steps().forEach(step -> changes.add(step.change()));
            return changes;
        });
    }

    /**
     * Stops tracking tables of a FOR TABLE publication: ALTER PUBLICATION DROP TABLE, then REPLICA IDENTITY DEFAULT
     * on them and their partitions. Tables not tracked are no change.
     */
    public List<Change> untrack(String publication, List<TableName> tables, LockPolicy policy) {
        requireTables(tables);
        return withChanges(policy, context -> {
            TablePlanner.TablePlan plan = TablePlanner.untrack(context, publication, tables);
            return commitThenReset(context, plan.steps(), plan.resetTables());
        });
    }

    private static void requireTables(List<TableName> tables) {
        if (tables == null || tables.isEmpty()) {
            throw new InvalidSpecException("tables must name at least one table");
        }
    }

    // --- teardown ---

    /** What teardown removes besides the trigger, its function and the publication. */
    public record TeardownOptions(String publication, List<String> schemas, boolean resetReplicaIdentity,
                                  Optional<String> dropUser, LockPolicy lockPolicy) {
        public TeardownOptions {
            Identifiers.require("publication", publication);
            schemas = List.copyOf(new TreeSet<>(schemas == null || schemas.isEmpty() ? List.of("public") : schemas));
            schemas.forEach(schema -> Identifiers.requireUserSchema("schema", schema));
            dropUser = dropUser == null ? Optional.empty() : dropUser;
            dropUser.ifPresent(name -> Identifiers.require("dropUser", name));
            lockPolicy = lockPolicy == null ? LockPolicy.DEFAULT : lockPolicy;
        }
    }

    /**
     * Removes what provisioning installed: the event trigger and its function and schema, the publication, and
     * optionally REPLICA IDENTITY FULL (back to DEFAULT) and the CDC role with its grants in this database.
     */
    public List<Change> teardown(TeardownOptions options) {
        return withChanges(options.lockPolicy(), context -> {
            TeardownPlanner.TeardownPlan plan = TeardownPlanner.plan(context, options);
            SetupTransaction.rehearse(context, plan.steps());
            return commitThenReset(context, plan.steps(), plan.resetTables());
        });
    }

    /**
     * Commits the steps, then sets REPLICA IDENTITY DEFAULT on the tables no publication publishes any more: a table
     * another publication still publishes keeps its identity, or its UPDATE would fail there.
     */
    private static List<Change> commitThenReset(EngineContext context, List<Step> steps, List<TableInfo> tables) {
        SetupTransaction.commit(context, steps);
        List<Change> changes = new ArrayList<>();
        steps.forEach(step -> changes.add(step.change()));
        if (tables.isEmpty()) {
            return changes;
        }
        Set<Long> published = Publications.stillPublished(context.connection(), context.facts().major(),
                tables.stream().map(TableInfo::oid).toList());
        List<TableName> reset = tables.stream().filter(t -> !published.contains(t.oid())).map(TableInfo::name)
                .toList();
        if (reset.size() < tables.size()) {
            LOG.info("{\"event\":\"identityKept\",\"reason\":\"published by another publication\",\"tables\":{}}",
                    tables.size() - reset.size());
        }
        changes.addAll(context.identityPass().run(context.connection(), reset, ReplicaIdentity.DEFAULT));
        return changes;
    }

    // --- connections ---

    private EngineContext context(Connection connection, LockPolicy policy) {
        return EngineContext.open(connection, policy, progress);
    }

    /** Runs the work on an admin connection holding the engine's advisory lock (one changing run at a time). */
    private <T> T withChanges(LockPolicy policy, Function<EngineContext, T> work) {
        return withAdmin(connection -> {
            DatabaseGuard.lockForChanges(connection);
            return work.apply(context(connection, policy));
        });
    }

    private <T> T withAdmin(Function<Connection, T> work) {
        try (Connection connection = connections.openAdmin()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw new DatabaseException("closing the connection", e);
        }
    }

    // --- text helpers ---

    static String abbreviate(List<TableName> tables) {
        int shown = Math.min(tables.size(), 10);
        String list = tables.subList(0, shown).stream().map(TableName::toString).collect(Collectors.joining(", "));
        return tables.size() > shown ? list + " and " + (tables.size() - shown) + " more" : list;
    }

    static String printableList(java.util.Collection<String> names) {
        return names.stream().map(Identifiers::printable).collect(Collectors.joining(", "));
    }

    static String jsonText(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
