package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Catalog.PublicationInfo;
import io.cdcenabler.postgres.Catalog.ServerFacts;
import io.cdcenabler.postgres.Catalog.TableInfo;
import io.cdcenabler.postgres.Step.PasswordStep;
import io.cdcenabler.postgres.Step.SqlStep;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.postgresql.PGConnection;
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
    static final int MINIMUM_MAJOR = 13;

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
        try (Connection connection = connections.openAdmin()) {
            DatabaseGuard.requireWritable(connection);
            return planOn(connection, spec).plan;
        } catch (SQLException e) {
            throw new DatabaseException("closing the connection", e);
        }
    }

    /**
     * Makes the database ready for CDC as the spec says; a second run changes nothing and reports no changes. The
     * event trigger is installed before the publication exists, tables created meanwhile are caught up, and only
     * then is the publication created or extended, so no table is published without a working identity; the run
     * ends with the write proof ({@link WriteProof}) and fails if a published table rejects UPDATE or DELETE.
     */
    public ProvisioningResult provision(ProvisioningSpec spec) {
        try (Connection connection = connections.openAdmin()) {
            DatabaseGuard.lockForChanges(connection);
            Planned planned = planOn(connection, spec);
            Plan plan = planned.plan;
            LOG.info("{\"event\":\"plan\",\"replicaIdentityTables\":{},\"setupSteps\":{}}",
                    plan.identityChanges().size(), plan.setup().size());
            runSetup(connection, planned.rehearsal, spec.lockPolicy(), false);
            ReplicaIdentityPass pass = new ReplicaIdentityPass(spec.lockPolicy(), progress);
            List<Change> changes = new ArrayList<>(pass.run(connection, plan.identityChanges()));

            // Tables may have been created or dropped during the pass: plan again from the catalogs, keeping the
            // password chosen above; a table dropped between planning and commit makes the setup plan again.
            ProvisioningSpec settled = planned.generatedPassword.isPresent()
                    ? spec.withCdcPassword(planned.generatedPassword) : spec;
            Planned installed = settle(connection, settled, false);
            installed.beforePublication.forEach(step -> changes.add(step.change()));
            changes.addAll(catchUp(connection, spec, pass));
            Planned published = settle(connection, settled, true);
            published.publication.forEach(step -> changes.add(step.change()));
            changes.addAll(catchUp(connection, spec, pass));
            requireWritesWork(connection, spec);
            changes.forEach(change -> LOG.info("{\"event\":\"changed\",\"action\":\"{}\",\"target\":\"{}\"}",
                    jsonText(change.action()), jsonText(change.target())));
            return new ProvisioningResult(changes, planned.generatedPassword, published.plan.notes());
        } catch (SQLException e) {
            throw new DatabaseException("closing the connection", e);
        }
    }

    /** Commits the setup (before the publication, or the publication part), planning again if a table vanished. */
    private Planned settle(Connection connection, ProvisioningSpec spec, boolean publication) {
        for (int attempt = 1; ; attempt++) {
            Planned planned = planOn(connection, spec);
            try {
                runSetup(connection, publication ? planned.publication : planned.beforePublication,
                        spec.lockPolicy(), true);
                return planned;
            } catch (DatabaseException e) {
                if (attempt >= 5 || !(e.getCause() instanceof SQLException cause)
                        || !Sql.UNDEFINED_TABLE.equals(cause.getSQLState())) {
                    throw e;
                }
                LOG.info("{\"event\":\"tableDroppedMeanwhile\",\"attempt\":{}}", attempt);
            }
        }
    }

    /** Applies the policy to every tracked table again (tables created while provisioning ran). */
    private List<Change> catchUp(Connection connection, ProvisioningSpec spec, ReplicaIdentityPass pass) {
        Catalog catalog = new Catalog(connection);
        List<TableInfo> tables = spec.trackingMode() == TrackingMode.ALL_TABLES
                ? catalog.tablesInSchemas(spec.schemas(), null)
                : catalog.tablesWithPartitions(spec.tables(), null);
        List<IdentityPolicy.Decision> decisions = IdentityPolicy.decide(connection,
                tables.stream().map(TableInfo::oid).toList());
        IdentityPolicy.requireWorkable(decisions);
        return pass.run(connection, decisions.stream().map(IdentityPolicy.Decision::change)
                .filter(java.util.Objects::nonNull).toList());
    }

    private static void requireWritesWork(Connection connection, ProvisioningSpec spec) {
        WriteProof.Result proof = WriteProof.run(connection, new Catalog(connection).serverFacts().major(),
                spec.lockPolicy());
        if (!proof.holds()) {
            throw new ConflictingStateException("provisioning finished, but " + WriteProof.describe(proof)
                    + ". Give these tables a primary key or REPLICA IDENTITY FULL (or run provision again for their "
                    + "schemas), then run verify.");
        }
    }

    /** Whether a role of that name exists in the cluster. */
    public boolean roleExists(String role) {
        try (Connection connection = connections.openAdmin()) {
            return new Catalog(connection).role(Identifiers.require("role", role)) != null;
        } catch (SQLException e) {
            throw new DatabaseException("closing the connection", e);
        }
    }

    /** The server's wal_level, e.g. {@code logical}. */
    public String walLevel() {
        try (Connection connection = connections.openAdmin()) {
            return new Catalog(connection).serverFacts().walLevel();
        } catch (SQLException e) {
            throw new DatabaseException("closing the connection", e);
        }
    }

    /**
     * A plan, split for the order of work: {@code beforePublication} (runbook removal, role, grants, event trigger)
     * commits first, {@code publication} last; {@code rehearsal} is every step, in an order that names the
     * publication's missing privilege before the trigger's.
     */
    private record Planned(Plan plan, Optional<Secret> generatedPassword, List<Step> beforePublication,
                           List<Step> publication, List<Step> rehearsal) {
    }

    private Planned planOn(Connection connection, ProvisioningSpec spec) {
        Catalog catalog = new Catalog(connection);
        ServerFacts facts = requireSupported(catalog.serverFacts());
        List<String> notes = new ArrayList<>();
        List<Step> setup = new ArrayList<>();
        String cdcRole = spec.cdcUser();
        if (cdcRole != null && cdcRole.equals(facts.currentUser())) {
            throw new InvalidSpecException("cdcUser " + cdcRole + " is the admin user itself; choose another name, "
                    + "or use credentials mode MASTER");
        }

        List<TableInfo> tables;
        List<String> schemasOfInterest;
        if (spec.trackingMode() == TrackingMode.ALL_TABLES) {
            List<String> missing = catalog.missingSchemas(spec.schemas());
            if (!missing.isEmpty()) {
                throw new UnknownObjectException("schema(s) to track do not exist: " + printableList(missing));
            }
            tables = catalog.tablesInSchemas(spec.schemas(), cdcRole);
            schemasOfInterest = spec.schemas();
        } else {
            tables = catalog.tablesWithPartitions(spec.tables(), cdcRole);
            schemasOfInterest = tables.stream().map(t -> t.name().schema()).distinct().sorted().toList();
        }
        List<IdentityPolicy.Decision> decisions = IdentityPolicy.decide(connection,
                tables.stream().map(TableInfo::oid).toList());
        IdentityPolicy.requireWorkable(decisions);
        List<IdentityPolicy.Decision> toChange = decisions.stream().filter(d -> d.change() != null).toList();
        requireOwnershipOf(facts, toChange, "set REPLICA IDENTITY on");
        IdentityPolicy.keyOnlyNote(decisions).ifPresent(notes::add);

        catalog.runbookObjects().forEach(object -> setup.add(new SqlStep(
                new Change("removed manual-runbook", object[0]), object[1],
                "ownership of the runbook's objects (superuser or rds_superuser)")));

        Optional<Secret> generated = Optional.empty();
        if (spec.createsUser()) {
            generated = new CdcRolePlanner(connections).plan(catalog, facts, spec, tables, schemasOfInterest, setup);
        }
        List<Step> trigger = new ArrayList<>();
        planEventTrigger(connection, catalog, facts, spec, tables, trigger);
        List<Step> publication = new ArrayList<>();
        planPublication(connection, catalog, facts, spec, tables, publication, notes);
        List<Step> before = new ArrayList<>(setup);
        before.addAll(trigger);
        List<Step> all = new ArrayList<>(before);
        all.addAll(publication);
        List<Step> rehearsal = new ArrayList<>(setup);
        rehearsal.addAll(publication);
        rehearsal.addAll(trigger);
        List<IdentityPolicy.IdentityChange> identityChanges = toChange.stream()
                .map(IdentityPolicy.Decision::change).toList();
        return new Planned(new Plan(identityChanges, all, notes), generated, before, publication, rehearsal);
    }

    private static ServerFacts requireSupported(ServerFacts facts) {
        if (facts.major() < MINIMUM_MAJOR) {
            throw new InvalidSpecException("PostgreSQL " + MINIMUM_MAJOR + " or newer is required (as on RDS today); "
                    + "the server runs " + facts.versionNum());
        }
        return facts;
    }

    private static void planPublication(Connection connection, Catalog catalog, ServerFacts facts,
                                        ProvisioningSpec spec, List<TableInfo> tables, List<Step> setup,
                                        List<String> notes) {
        String name = spec.publication();
        String quoted = Identifiers.quote(name);
        PublicationInfo existing = catalog.publication(name);
        boolean generated = facts.major() >= 18;
        String options = "publish = 'insert, update, delete, truncate', publish_via_partition_root = "
                + spec.publishViaPartitionRoot() + (generated ? ", publish_generated_columns = stored" : "");
        boolean allTables = spec.trackingMode() == TrackingMode.ALL_TABLES;
        String allTablesHint = "superuser, or rds_superuser on RDS and Aurora";
        if (existing == null) {
            String target;
            if (!allTables) {
                target = "FOR TABLE " + spec.tables().stream().map(TableName::quoted).collect(Collectors.joining(", "));
            } else if (facts.major() >= 15 && Publications.mayCreateSchemaPublication(connection, spec.schemas())) {
                target = "FOR TABLES IN SCHEMA " + spec.schemas().stream().map(Identifiers::quote)
                        .collect(Collectors.joining(", "));
            } else {
                Publications.requireOthersSafeUnderAllTables(catalog, spec.schemas());
                target = "FOR ALL TABLES";
                notes.add(Publications.ALL_TABLES_NOTE);
            }
            setup.add(new SqlStep(new Change("created publication", name),
                    "CREATE PUBLICATION " + quoted + " " + target + " WITH (" + options + "); COMMENT ON PUBLICATION "
                            + quoted + " IS '" + Catalog.OURS + "'",
                    allTables ? allTablesHint : "CREATE on the database and ownership of the tables"));
            return;
        }
        boolean existingCovers = existing.allTables() || existing.schemaPublication();
        if (allTables != existingCovers || (allTables && existing.schemaPublication() && !existing.tables().isEmpty())) {
            throw new ConflictingStateException("publication " + name + " exists as "
                    + (existingCovers ? "FOR ALL TABLES or FOR TABLES IN SCHEMA"
                    : "FOR TABLE (" + existing.tables().size() + " tables)")
                    + " but " + spec.trackingMode() + " was asked for; a publication cannot change between the two. "
                    + "Tear it down first (CDC clients reading it must resync), or use another publication name.");
        }
        if (!allTables && !existing.ours()) {
            List<TableName> toAdd = spec.tables().stream().filter(t -> !existing.tables().contains(t)).toList();
            if (!toAdd.isEmpty()) {
                throw new ConflictingStateException("publication " + name + " exists and was not created by "
                        + "cdc-enabler: adding " + abbreviate(toAdd) + " would start sending their rows to its "
                        + "consumers. Use another publication name, or add them deliberately with the track command. "
                        + "Nothing was changed.");
            }
        }
        if (existing.viaRoot() != spec.publishViaPartitionRoot() || !existing.publishesAllOperations()
                || (generated && !"s".equals(existing.generatedColumns()) && catalog.hasStoredGeneratedColumns(
                        tables.stream().map(TableInfo::oid).toList()))) {
            setup.add(new SqlStep(new Change("set options (" + options + ") of publication", name),
                    "ALTER PUBLICATION " + quoted + " SET (" + options + ")", "ownership of the publication"));
        }
        if (allTables && existing.schemaPublication()) {
            List<String> missing = spec.schemas().stream().filter(s -> !existing.schemas().contains(s)).toList();
            if (!missing.isEmpty()) {
                setup.add(new SqlStep(new Change("added schemas to publication " + name, printableList(missing)),
                        "ALTER PUBLICATION " + quoted + " ADD TABLES IN SCHEMA " + missing.stream()
                                .map(Identifiers::quote).collect(Collectors.joining(", ")), allTablesHint));
            }
        } else if (allTables) {
            notes.add(Publications.ALL_TABLES_NOTE);
        }
        if (!allTables) {
            List<TableName> toAdd = spec.tables().stream().filter(t -> !existing.tables().contains(t)).toList();
            if (!toAdd.isEmpty()) {
                setup.add(new SqlStep(new Change("added to publication " + name, abbreviate(toAdd)),
                        "ALTER PUBLICATION " + quoted + " ADD TABLE " + toAdd.stream().map(TableName::quoted)
                                .collect(Collectors.joining(", ")),
                        "ownership of the publication and of the tables"));
            }
            Set<TableName> extra = new TreeSet<>(existing.tables());
            spec.tables().forEach(extra::remove);
            if (!extra.isEmpty()) {
                notes.add("publication " + name + " also tracks " + abbreviate(List.copyOf(extra))
                        + " (left as they are; untrack them to remove)");
            }
        }
        if (!existing.owner().equals(facts.currentUser()) && !facts.superuser()) {
            notes.add("publication " + name + " is owned by " + existing.owner());
        }
    }

    private static void planEventTrigger(Connection connection, Catalog catalog, ServerFacts facts,
                                         ProvisioningSpec spec, List<TableInfo> tables, List<Step> setup) {
        boolean allTables = spec.trackingMode() == TrackingMode.ALL_TABLES;
        String function = Identifiers.quote(EventTriggerSql.SCHEMA) + "." + Identifiers.quote(EventTriggerSql.FUNCTION);
        TriggerConfig current = TriggerConfig.parse(
                catalog.functionComment(EventTriggerSql.SCHEMA, EventTriggerSql.FUNCTION));
        boolean partitioned = tables.stream().anyMatch(t -> t.kind() == 'p');
        if (!allTables && !partitioned && !current.publications().containsKey(spec.publication())) {
            return;
        }
        String hint = "superuser, or rds_superuser on RDS and Aurora";
        if (!catalog.schemaExists(EventTriggerSql.SCHEMA)) {
            setup.add(new SqlStep(new Change("created schema", EventTriggerSql.SCHEMA),
                    "CREATE SCHEMA " + Identifiers.quote(EventTriggerSql.SCHEMA), "CREATE on the database"));
        }
        String source = catalog.functionSource(EventTriggerSql.SCHEMA, EventTriggerSql.FUNCTION);
        TriggerConfig.Entry entry = new TriggerConfig.Entry(allTables ? spec.schemas() : List.of(), spec.cdcUser());
        TriggerConfig wanted = current.with(spec.publication(), entry);
        String body = EventTriggerSql.body(facts.major(), wanted);
        if (!body.equals(source)) {
            String create = Sql.text(connection, "rendering the event trigger function",
                    EventTriggerSql.RENDER_CREATE_FUNCTION, EventTriggerSql.SCHEMA, EventTriggerSql.FUNCTION, body);
            setup.add(new SqlStep(new Change(source == null ? "created function" : "updated function",
                    EventTriggerSql.SCHEMA + "." + EventTriggerSql.FUNCTION + "()"), create, hint));
        }
        if (!wanted.equals(current) || source == null) {
            setup.add(new SqlStep(new Change("configured event trigger for publication " + spec.publication() + ":",
                    allTables ? "new tables of schemas " + printableList(spec.schemas())
                            : "new partitions of its tables"),
                    Sql.text(connection, "rendering the trigger configuration", EventTriggerSql.RENDER_COMMENT,
                            EventTriggerSql.SCHEMA, EventTriggerSql.FUNCTION, wanted.toJson()),
                    "ownership of function " + function));
        }
        Catalog.EventTriggerInfo trigger = catalog.eventTrigger(EventTriggerSql.TRIGGER);
        String quotedTrigger = Identifiers.quote(EventTriggerSql.TRIGGER);
        boolean wrongShape = trigger != null && (!trigger.functionSchema().equals(EventTriggerSql.SCHEMA)
                || !trigger.functionName().equals(EventTriggerSql.FUNCTION)
                || !new TreeSet<>(trigger.tags()).equals(new TreeSet<>(EventTriggerSql.TAGS)));
        if (wrongShape) {
            setup.add(new SqlStep(new Change("dropped outdated event trigger", EventTriggerSql.TRIGGER),
                    "DROP EVENT TRIGGER " + quotedTrigger, hint));
        }
        if (trigger == null || wrongShape) {
            setup.add(new SqlStep(new Change("created event trigger", EventTriggerSql.TRIGGER),
                    EventTriggerSql.createTrigger(), hint));
        } else if (!"O".equals(trigger.enabled())) {
            setup.add(new SqlStep(new Change("enabled event trigger", EventTriggerSql.TRIGGER),
                    "ALTER EVENT TRIGGER " + quotedTrigger + " ENABLE", hint));
        }
    }

    /**
     * Runs the setup steps in one transaction under the lock timeout. A rehearsal rolls back, so a missing privilege
     * shows before anything changes. Lock timeouts are retried with backoff; the transaction makes a retry safe.
     */
    private void runSetup(Connection connection, List<Step> steps, LockPolicy policy, boolean commit) {
        if (steps.isEmpty()) {
            return;
        }
        long backoff = policy.initialBackoff().toMillis();
        int committed = 0;
        int races = 0;
        for (int attempt = 1; ; attempt++) {
            Step current = null;
            try {
                boolean autoCommit = connection.getAutoCommit();
                connection.setAutoCommit(false);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL lock_timeout = '" + policy.lockTimeoutSetting() + "'");
                    boolean granted = false;
                    for (int index = committed; index < steps.size(); index++) {
                        Step step = steps.get(index);
                        current = step;
                        if (isTableGrant(step) && granted) {
                            // On 18 a GRANT locks each table: one chunk per transaction keeps the lock table small.
                            // A rehearsal checks the first chunk only; the admin's grant option on every table was
                            // checked when planning.
                            if (!commit) {
                                continue;
                            }
                            connection.commit();
                            committed = index;
                            statement.execute("SET LOCAL lock_timeout = '" + policy.lockTimeoutSetting() + "'");
                        }
                        granted |= isTableGrant(step);
                        if (isTableGrant(step)) {
                            grantSkippingDropped(connection, statement, ((SqlStep) step).sql());
                        } else if (step instanceof SqlStep sqlStep) {
                            statement.execute(sqlStep.sql());
                        } else if (step instanceof PasswordStep passwordStep) {
                            char[] password = passwordStep.password().reveal();
                            try {
                                connection.unwrap(PGConnection.class)
                                        .alterUserPassword(passwordStep.role(), password, "scram-sha-256");
                            } finally {
                                java.util.Arrays.fill(password, '\0');
                            }
                        }
                    }
                    if (commit) {
                        connection.commit();
                    } else {
                        connection.rollback();
                    }
                    return;
                } catch (SQLException e) {
                    Sql.rollbackQuietly(connection);
                    throw e;
                } finally {
                    connection.setAutoCommit(autoCommit);
                }
            } catch (SQLException e) {
                String doing = current == null ? "starting the setup transaction" : current.change().toString();
                if (Sql.isConcurrentDropRace(e) && races++ < 10) {
                    // A table dropped by the application while CREATE PUBLICATION ... IN SCHEMA enumerated the
                    // schema: nothing was committed; run the transaction again.
                    LOG.info("{\"event\":\"tableDroppedMeanwhile\",\"step\":\"{}\"}", jsonText(doing));
                    attempt--;
                    continue;
                }
                if (Sql.isLockConflict(e) && attempt < policy.maxAttempts()) {
                    LOG.info("{\"event\":\"lockTimeout\",\"step\":\"{}\",\"attempt\":{}}", jsonText(doing), attempt);
                    sleep(backoff);
                    backoff *= 2;
                    continue;
                }
                if (Sql.isLockConflict(e)) {
                    throw new LockTimeoutException(doing + ": a table stayed locked by another session through "
                            + policy.maxAttempts() + " attempts of " + policy.lockTimeout().toMillis() + " ms; nothing "
                            + "of the setup was committed. Run again when long transactions have ended.",
                            List.of(doing), e);
                }
                if (Sql.INSUFFICIENT_PRIVILEGE.equals(e.getSQLState()) && current instanceof SqlStep sqlStep) {
                    String reason = e.getMessage().replaceFirst("^ERROR: ", "").replaceFirst("\\.?$", "");
                    throw new MissingPrivilegeException("cannot " + current.change().imperative() + " as "
                            + adminName(connection) + ": " + reason + ". This needs " + sqlStep.privilegeHint()
                            + ". Nothing was changed" + (commit ? " by the setup transaction." : "."), e);
                }
                throw new DatabaseException(doing, e);
            }
        }
    }

    /**
     * Runs a GRANT on a list of tables under a savepoint; a table the application dropped since planning is taken
     * out of the list and the GRANT runs again (a dropped table needs no privilege).
     */
    private static void grantSkippingDropped(Connection connection, Statement statement, String grant)
            throws SQLException {
        String sql = grant;
        for (int dropped = 0; ; dropped++) {
            java.sql.Savepoint savepoint = connection.setSavepoint();
            try {
                statement.execute(sql);
                connection.releaseSavepoint(savepoint);
                return;
            } catch (SQLException e) {
                connection.rollback(savepoint);
                String without = Sql.UNDEFINED_TABLE.equals(e.getSQLState()) && dropped < 1000
                        ? withoutMissingTable(sql, e.getMessage()) : null;
                if (without == null) {
                    throw e;
                }
                if (!without.startsWith("GRANT SELECT ON TABLE  TO ")) {
                    sql = without;
                } else {
                    return;
                }
            }
        }
    }

    /** The GRANT without the table the error names as missing, or null when it cannot be found in the list. */
    static String withoutMissingTable(String grant, String error) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("relation \"(.*)\" does not exist")
                .matcher(error == null ? "" : error);
        if (!matcher.find()) {
            return null;
        }
        String name = matcher.group(1);
        String head = "GRANT SELECT ON TABLE ";
        int to = grant.lastIndexOf(" TO ");
        List<String> list = new ArrayList<>(List.of(grant.substring(head.length(), to).split(", ")));
        for (int dot = name.indexOf('.'); dot > 0; dot = name.indexOf('.', dot + 1)) {
            String quoted = new TableName(name.substring(0, dot), name.substring(dot + 1)).quoted();
            if (list.remove(quoted)) {
                return head + String.join(", ", list) + grant.substring(to);
            }
        }
        return null;
    }

    private static boolean isTableGrant(Step step) {
        return step instanceof SqlStep sqlStep && sqlStep.sql().startsWith("GRANT SELECT ON TABLE ");
    }

    private static String adminName(Connection connection) {
        try {
            return connection.getMetaData().getUserName();
        } catch (SQLException e) {
            return "the admin";
        }
    }

    private static void requireOwnershipOf(ServerFacts facts, List<IdentityPolicy.Decision> decisions, String doing) {
        List<IdentityPolicy.Decision> notOwned = decisions.stream().filter(d -> !d.adminCanAlter()).toList();
        if (!notOwned.isEmpty()) {
            throw missingOwnership(facts, notOwned.stream().map(d -> new TableInfo(d.oid(), d.table(), d.kind(),
                    d.current(), d.owner(), false, false, false, false)).toList(), doing);
        }
    }

    private static void requireOwnership(ServerFacts facts, List<TableInfo> tables, String doing) {
        List<TableInfo> notOwned = tables.stream().filter(t -> !t.adminCanAlter()).toList();
        if (!notOwned.isEmpty()) {
            throw missingOwnership(facts, notOwned, doing);
        }
    }

    static MissingPrivilegeException missingOwnership(ServerFacts facts, List<TableInfo> tables,
                                                              String doing) {
        Map<String, List<TableName>> byOwner = new TreeMap<>();
        tables.forEach(t -> byOwner.computeIfAbsent(t.owner(), owner -> new ArrayList<>()).add(t.name()));
        String admin = facts.currentUser();
        StringBuilder message = new StringBuilder("cannot " + doing + " " + tables.size() + " table(s): only their "
                + "owner (or a member of the owning role) may, and " + admin + " is neither.");
        byOwner.forEach((owner, names) -> message.append(" Owned by ").append(owner).append(": ")
                .append(abbreviate(names)).append('.'));
        message.append(" Grant membership, then run again: ");
        message.append(byOwner.keySet().stream().map(owner -> "GRANT " + Identifiers.quote(owner) + " TO "
                + Identifiers.quote(admin) + ";").collect(Collectors.joining(" ")));
        message.append(" Nothing was changed.");
        return new MissingPrivilegeException(message.toString());
    }

    // --- tracking single tables (SELECTED_TABLES) ---

    /**
     * Starts tracking tables in a FOR TABLE publication: REPLICA IDENTITY FULL on them and their partitions, then
     * ALTER PUBLICATION ADD TABLE and, when a CDC role is named, SELECT for it. Tables already tracked are no change.
     */
    public List<Change> track(String publication, List<TableName> tables, Optional<String> cdcUser,
                              LockPolicy policy) {
        requireTables(tables);
        try (Connection connection = connections.openAdmin()) {
            DatabaseGuard.lockForChanges(connection);
            Catalog catalog = new Catalog(connection);
            ServerFacts facts = requireSupported(catalog.serverFacts());
            PublicationInfo existing = requireSelectedPublication(catalog, publication);
            String role = cdcUser.map(name -> Identifiers.require("cdcUser", name)).orElse(null);
            if (role != null && catalog.role(role) == null) {
                throw new UnknownObjectException("role " + role + " does not exist; provision first");
            }
            List<TableInfo> infos = catalog.tablesWithPartitions(tables, role);
            List<IdentityPolicy.Decision> decisions = IdentityPolicy.decide(connection,
                    infos.stream().map(TableInfo::oid).toList());
            IdentityPolicy.requireWorkable(decisions);
            List<IdentityPolicy.IdentityChange> identityChanges = decisions.stream()
                    .map(IdentityPolicy.Decision::change).filter(java.util.Objects::nonNull).toList();
            requireOwnershipOf(facts, decisions.stream().filter(d -> d.change() != null).toList(),
                    "set REPLICA IDENTITY on");
            List<Step> steps = new ArrayList<>();
            List<TableName> toAdd = tables.stream().filter(t -> !existing.tables().contains(t)).toList();
            if (!toAdd.isEmpty()) {
                steps.add(new SqlStep(new Change("added to publication " + publication, abbreviate(toAdd)),
                        "ALTER PUBLICATION " + Identifiers.quote(publication) + " ADD TABLE "
                                + toAdd.stream().map(TableName::quoted).collect(Collectors.joining(", ")),
                        "ownership of the publication and of the tables"));
            }
            if (role != null) {
                List<TableInfo> needSelect = infos.stream().filter(t -> !t.cdcCanSelect()).toList();
                List<TableInfo> cannotGrant = needSelect.stream().filter(t -> !t.adminCanGrant()).toList();
                if (!cannotGrant.isEmpty()) {
                    throw missingOwnership(facts, cannotGrant, "grant SELECT to " + role + " on");
                }
                Set<String> schemas = new TreeSet<>();
                infos.forEach(t -> schemas.add(t.name().schema()));
                for (String schema : catalog.schemasWithoutUsage(role, List.copyOf(schemas))) {
                    steps.add(new SqlStep(new Change("granted USAGE on schema " + Identifiers.printable(schema)
                            + " to", role), "GRANT USAGE ON SCHEMA " + Identifiers.quote(schema) + " TO "
                            + Identifiers.quote(role), "ownership of the schema"));
                }
                if (!needSelect.isEmpty()) {
                    steps.add(new SqlStep(new Change("granted SELECT to " + role + " on", describeTables(needSelect)),
                            "GRANT SELECT ON TABLE " + needSelect.stream().map(t -> t.name().quoted())
                                    .collect(Collectors.joining(", ")) + " TO " + Identifiers.quote(role),
                            "ownership of the tables"));
                }
            }
            runSetup(connection, steps, policy, false);
            List<Change> changes = new ArrayList<>(new ReplicaIdentityPass(policy, progress)
                    .run(connection, identityChanges));
            runSetup(connection, steps, policy, true);
            steps.forEach(step -> changes.add(step.change()));
            return changes;
        } catch (SQLException e) {
            throw new DatabaseException("closing the connection", e);
        }
    }

    /**
     * Stops tracking tables of a FOR TABLE publication: ALTER PUBLICATION DROP TABLE, then REPLICA IDENTITY DEFAULT
     * on them and their partitions. Tables not tracked are no change.
     */
    public List<Change> untrack(String publication, List<TableName> tables, LockPolicy policy) {
        requireTables(tables);
        try (Connection connection = connections.openAdmin()) {
            DatabaseGuard.lockForChanges(connection);
            Catalog catalog = new Catalog(connection);
            ServerFacts facts = requireSupported(catalog.serverFacts());
            PublicationInfo existing = requireSelectedPublication(catalog, publication);
            List<TableInfo> infos = catalog.tablesWithPartitions(tables, null, "cannot untrack");
            List<TableInfo> full = infos.stream().filter(TableInfo::isFull).toList();
            requireOwnership(facts, full, "set REPLICA IDENTITY DEFAULT on");
            List<Step> steps = new ArrayList<>();
            List<TableName> toDrop = tables.stream().filter(existing.tables()::contains).toList();
            if (!toDrop.isEmpty()) {
                steps.add(new SqlStep(new Change("dropped from publication " + publication, toDrop.stream()
                        .map(TableName::toString).collect(Collectors.joining(", "))),
                        "ALTER PUBLICATION " + Identifiers.quote(publication) + " DROP TABLE "
                                + toDrop.stream().map(TableName::quoted).collect(Collectors.joining(", ")),
                        "ownership of the publication"));
            }
            runSetup(connection, steps, policy, true);
            List<Change> changes = new ArrayList<>();
            steps.forEach(step -> changes.add(step.change()));
            changes.addAll(resetUnlessPublished(connection, facts, full, policy));
            return changes;
        } catch (SQLException e) {
            throw new DatabaseException("closing the connection", e);
        }
    }

    /**
     * Sets REPLICA IDENTITY DEFAULT on the tables no publication publishes any more (run after the publication was
     * changed): a table another publication still publishes keeps its identity, or its UPDATE would fail there.
     */
    private List<Change> resetUnlessPublished(Connection connection, ServerFacts facts, List<TableInfo> tables,
                                              LockPolicy policy) {
        if (tables.isEmpty()) {
            return List.of();
        }
        Set<Long> published = Publications.stillPublished(connection, facts.major(),
                tables.stream().map(TableInfo::oid).toList());
        List<TableName> reset = tables.stream().filter(t -> !published.contains(t.oid())).map(TableInfo::name)
                .toList();
        if (reset.size() < tables.size()) {
            LOG.info("{\"event\":\"identityKept\",\"reason\":\"published by another publication\",\"tables\":{}}",
                    tables.size() - reset.size());
        }
        return new ReplicaIdentityPass(policy, progress).run(connection, reset, ReplicaIdentity.DEFAULT);
    }

    private static PublicationInfo requireSelectedPublication(Catalog catalog, String publication) {
        Identifiers.require("publication", publication);
        PublicationInfo existing = catalog.publication(publication);
        if (existing == null) {
            throw new UnknownObjectException("publication " + publication + " does not exist; provision it first "
                    + "with tracking mode SELECTED_TABLES");
        }
        if (existing.allTables() || existing.schemaPublication()) {
            throw new ConflictingStateException("publication " + publication + " is FOR ALL TABLES or FOR TABLES IN "
                    + "SCHEMA: every table of its schemas is "
                    + "tracked already; track and untrack apply to SELECTED_TABLES publications");
        }
        return existing;
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
        try (Connection connection = connections.openAdmin()) {
            DatabaseGuard.lockForChanges(connection);
            Catalog catalog = new Catalog(connection);
            ServerFacts facts = requireSupported(catalog.serverFacts());
            List<Step> steps = new ArrayList<>();
            String hint = "superuser, or rds_superuser on RDS and Aurora";
            TriggerConfig config = TriggerConfig.parse(
                    catalog.functionComment(EventTriggerSql.SCHEMA, EventTriggerSql.FUNCTION));
            TriggerConfig remaining = config.without(options.publication());
            if (!remaining.isEmpty()) {
                if (!remaining.equals(config)) {
                    steps.add(new SqlStep(new Change("updated function", EventTriggerSql.SCHEMA + "."
                            + EventTriggerSql.FUNCTION + "()"), Sql.text(connection, "rendering the event trigger "
                            + "function", EventTriggerSql.RENDER_CREATE_FUNCTION, EventTriggerSql.SCHEMA,
                            EventTriggerSql.FUNCTION, EventTriggerSql.body(facts.major(), remaining)), hint));
                    steps.add(new SqlStep(new Change("removed publication " + options.publication()
                            + " from the event trigger's configuration; kept for", String.join(", ",
                            remaining.publications().keySet())), Sql.text(connection, "rendering the configuration",
                            EventTriggerSql.RENDER_COMMENT, EventTriggerSql.SCHEMA, EventTriggerSql.FUNCTION,
                            remaining.toJson()), "ownership of the function"));
                }
            } else {
                if (catalog.eventTrigger(EventTriggerSql.TRIGGER) != null) {
                    steps.add(new SqlStep(new Change("dropped event trigger", EventTriggerSql.TRIGGER),
                            "DROP EVENT TRIGGER " + Identifiers.quote(EventTriggerSql.TRIGGER), hint));
                }
                if (catalog.functionSource(EventTriggerSql.SCHEMA, EventTriggerSql.FUNCTION) != null) {
                    steps.add(new SqlStep(new Change("dropped function", EventTriggerSql.SCHEMA + "."
                            + EventTriggerSql.FUNCTION + "()"), "DROP FUNCTION "
                            + Identifiers.quote(EventTriggerSql.SCHEMA) + "." + Identifiers.quote(EventTriggerSql.FUNCTION)
                            + "()", "ownership of the function"));
                }
                if (catalog.schemaExists(EventTriggerSql.SCHEMA)) {
                    steps.add(new SqlStep(new Change("dropped schema", EventTriggerSql.SCHEMA),
                            "DROP SCHEMA " + Identifiers.quote(EventTriggerSql.SCHEMA) + " RESTRICT",
                            "ownership of the schema"));
                }
            }
            PublicationInfo publication = catalog.publication(options.publication());
            List<TableInfo> scope;
            if (publication != null && !publication.allTables() && !publication.schemaPublication()) {
                scope = publication.tables().isEmpty() ? List.of()
                        : catalog.tablesWithPartitions(List.copyOf(publication.tables()), null);
            } else {
                List<String> present = new ArrayList<>(options.schemas());
                present.removeAll(catalog.missingSchemas(options.schemas()));
                scope = catalog.tablesInSchemas(present, null);
            }
            if (publication != null) {
                steps.add(new SqlStep(new Change("dropped publication", options.publication()),
                        "DROP PUBLICATION " + Identifiers.quote(options.publication()), "ownership of the publication"));
            }
            if (options.dropUser().isPresent()) {
                CdcRolePlanner.planDrop(catalog, facts, options, scope, steps);
            }
            List<TableInfo> full = options.resetReplicaIdentity()
                    ? scope.stream().filter(TableInfo::isFull).toList() : List.of();
            requireOwnership(facts, full, "set REPLICA IDENTITY DEFAULT on");
            runSetup(connection, steps, options.lockPolicy(), false);
            runSetup(connection, steps, options.lockPolicy(), true);
            List<Change> changes = new ArrayList<>();
            steps.forEach(step -> changes.add(step.change()));
            changes.addAll(resetUnlessPublished(connection, facts, full, options.lockPolicy()));
            return changes;
        } catch (SQLException e) {
            throw new DatabaseException("closing the connection", e);
        }
    }

    // --- helpers ---

    static String describeTables(List<TableInfo> tables) {
        return tables.size() == 1 ? tables.get(0).name().toString() : tables.size() + " tables ("
                + abbreviate(tables.stream().map(TableInfo::name).toList()) + ")";
    }

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

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdcEnablerException("interrupted while waiting to retry", e);
        }
    }
}
