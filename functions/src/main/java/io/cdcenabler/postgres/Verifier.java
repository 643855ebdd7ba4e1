package io.cdcenabler.postgres;

import io.cdcenabler.postgres.Catalog.PublicationInfo;
import io.cdcenabler.postgres.Catalog.RoleInfo;
import io.cdcenabler.postgres.Catalog.ServerFacts;
import io.cdcenabler.postgres.Catalog.TableInfo;
import io.cdcenabler.postgres.VerificationReport.Check;
import io.cdcenabler.postgres.VerificationReport.Status;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Checks, read-only, that a database is ready for a CDC tool: wal_level, the publication and its tables, replica
 * identity, the CDC role's login, replication and SELECT, and, as the CDC user itself, that a logical slot with
 * pgoutput can be opened (it is temporary and dropped again), plus slot and WAL-sender headroom, and the health of
 * every replication slot that retains WAL for this database ({@link SlotHealth}).
 */
public final class Verifier {
    public static final String WAL_LEVEL = "wal_level";
    public static final String PUBLICATION = "publication";
    public static final String REPLICA_IDENTITY = "replica identity";
    public static final String UPDATABLE = "published tables accept UPDATE/DELETE";
    public static final String EVENT_TRIGGER = "event trigger";
    public static final String ROLE = "cdc role";
    public static final String LEAST_PRIVILEGE = "cdc role least privilege";
    public static final String SELECT = "cdc role can read tracked tables";
    public static final String SLOT = "logical slot as cdc user";
    public static final String HEADROOM = "slot and sender headroom";
    public static final String WAL_CAP = "max_slot_wal_keep_size";

    private final ConnectionSource connections;
    private final SlotThresholds slotThresholds;

    public Verifier(ConnectionSource connections) {
        this(connections, SlotThresholds.DEFAULT);
    }

    /** A verifier whose slot health judges retained WAL against the given thresholds. */
    public Verifier(ConnectionSource connections, SlotThresholds slotThresholds) {
        this.connections = connections;
        this.slotThresholds = slotThresholds;
    }

    /** Verifies the database against the spec; the spec's cdcPassword, when present, enables the slot check. */
    public VerificationReport verify(ProvisioningSpec spec) {
        List<Check> checks = new ArrayList<>();
        try (Connection connection = connections.openAdmin()) {
            Catalog catalog = new Catalog(connection);
            ServerFacts facts = catalog.serverFacts();
            boolean logical = "logical".equals(facts.walLevel());
            checks.add(new Check(WAL_LEVEL, logical ? Status.PASS : Status.FAIL, logical ? "logical"
                    : facts.walLevel() + ", must be logical (on RDS: rds.logical_replication=1 and a reboot)"));

            List<TableInfo> tables;
            if (spec.trackingMode() == TrackingMode.ALL_TABLES) {
                List<String> present = new ArrayList<>(spec.schemas());
                present.removeAll(catalog.missingSchemas(spec.schemas()));
                tables = catalog.tablesInSchemas(present, spec.cdcUser());
            } else {
                tables = catalog.tablesWithPartitions(spec.tables(), spec.cdcUser());
            }
            checks.add(publicationCheck(catalog.publication(spec.publication()), spec));

            checks.add(identityCheck(connection, tables));
            checks.add(updatableCheck(connection, facts.major(), spec));
            checks.add(eventTriggerCheck(catalog, spec, tables, facts.major()));
            if (spec.createsUser()) {
                checks.add(roleCheck(catalog.role(spec.cdcUser())));
                checks.add(leastPrivilegeCheck(connection, spec.cdcUser()));
                List<TableName> unreadable = tables.stream().filter(t -> !t.cdcCanSelect())
                        .map(TableInfo::name).toList();
                List<String> noUsage = catalog.schemasWithoutUsage(spec.cdcUser(),
                        tables.stream().map(t -> t.name().schema()).distinct().toList());
                boolean ok = unreadable.isEmpty() && noUsage.isEmpty();
                checks.add(new Check(SELECT, ok ? Status.PASS : Status.FAIL, ok
                        ? spec.cdcUser() + " can read all " + tables.size() + " tracked table(s)"
                        : (unreadable.isEmpty() ? "" : "no SELECT on " + Provisioner.abbreviate(unreadable) + ". ")
                        + (noUsage.isEmpty() ? "" : "no USAGE on schema(s) " + String.join(", ", noUsage))));
            }
            checks.add(slotCheck(spec, logical));
            checks.add(headroomCheck(connection));
            checks.add(walCapCheck(connection));
            checks.addAll(SlotHealth.checks(SlotHealth.inspect(connection, spec.lockPolicy(), slotThresholds),
                    spec.publication()));
        } catch (SQLException e) {
            throw new DatabaseException("closing the connection", e);
        }
        return new VerificationReport(checks);
    }

    /** Attributes, memberships and table privileges the CDC role holds beyond what a CDC login needs. */
    private static Check leastPrivilegeCheck(Connection connection, String role) {
        return CdcRoleAudit.inspect(connection, role)
                .map(found -> found.beyondLeastPrivilege().isEmpty()
                        ? new Check(LEAST_PRIVILEGE, Status.PASS, role + " holds only LOGIN, replication, CONNECT, "
                                + "USAGE and SELECT")
                        : new Check(LEAST_PRIVILEGE, Status.FAIL, role + " holds more than a CDC login needs: "
                                + String.join("; ", found.beyondLeastPrivilege())))
                .orElseGet(() -> new Check(LEAST_PRIVILEGE, Status.FAIL, "role " + role + " does not exist"));
    }

    private static Check publicationCheck(PublicationInfo publication, ProvisioningSpec spec) {
        if (publication == null) {
            return new Check(PUBLICATION, Status.FAIL, "publication " + spec.publication() + " does not exist");
        }
        List<String> problems = new ArrayList<>();
        if (spec.trackingMode() == TrackingMode.ALL_TABLES && !publication.allTables()
                && !publication.schemas().containsAll(spec.schemas())) {
            problems.add("is neither FOR ALL TABLES nor FOR TABLES IN SCHEMA " + String.join(", ", spec.schemas()));
        }
        if (spec.trackingMode() == TrackingMode.SELECTED_TABLES) {
            if (publication.allTables() || publication.schemaPublication()) {
                problems.add("is FOR ALL TABLES or FOR TABLES IN SCHEMA, SELECTED_TABLES was expected");
            } else {
                List<TableName> missing = spec.tables().stream()
                        .filter(t -> !publication.tables().contains(t)).toList();
                if (!missing.isEmpty()) {
                    problems.add("lacks " + Provisioner.abbreviate(missing));
                }
            }
        }
        if (!publication.update() || !publication.delete()) {
            problems.add("does not publish UPDATE and DELETE");
        }
        if (!problems.isEmpty()) {
            return new Check(PUBLICATION, Status.FAIL, "publication " + spec.publication() + " "
                    + String.join("; ", problems));
        }
        return new Check(PUBLICATION, Status.PASS, "publication " + spec.publication() + " is "
                + (publication.allTables() ? "FOR ALL TABLES (every schema)" : publication.schemaPublication()
                ? "FOR TABLES IN SCHEMA " + String.join(", ", publication.schemas())
                : "FOR TABLE with " + publication.tables().size() + " table(s)") + (publication.viaRoot() ? ", publish_via_partition_root" : ""));
    }

    /** Every tracked table has the identity the policy asks for (FULL wherever FULL is valid). */
    private static Check identityCheck(Connection connection, List<TableInfo> tables) {
        List<IdentityPolicy.Decision> decisions = IdentityPolicy.decide(connection,
                tables.stream().map(TableInfo::oid).toList());
        List<String> wrong = decisions.stream().filter(d -> d.action() != IdentityPolicy.Action.KEEP)
                .map(d -> d.table() + " (" + d.describeIdentity() + (d.action() == IdentityPolicy.Action.REFUSE
                        ? ", no identity can work: " + IdentityPolicy.REFUSAL : ", should be " + d.change().identity())
                        + ")").toList();
        if (!wrong.isEmpty()) {
            return new Check(REPLICA_IDENTITY, Status.FAIL, wrong.size() + " tracked table(s) lack the replica "
                    + "identity the policy asks for: " + String.join("; ", wrong.subList(0, Math.min(10, wrong.size())))
                    + (wrong.size() > 10 ? " and " + (wrong.size() - 10) + " more" : ""));
        }
        long full = decisions.stream().filter(d -> !d.keyOnly()).count();
        return new Check(REPLICA_IDENTITY, Status.PASS, full + " tracked table(s) have REPLICA IDENTITY FULL"
                + IdentityPolicy.keyOnlyNote(decisions).map(note -> "; " + note).orElse(""));
    }

    /** Runs UPDATE and DELETE that match no row (EXPLAIN) on every table any publication publishes. */
    private static Check updatableCheck(Connection connection, int major, ProvisioningSpec spec) {
        WriteProof.Result proof = WriteProof.run(connection, major, spec.lockPolicy());
        if (!proof.holds()) {
            return new Check(UPDATABLE, Status.FAIL, WriteProof.describe(proof));
        }
        if (!proof.locked().isEmpty()) {
            return new Check(UPDATABLE, Status.WARN, "could not check " + proof.locked().size() + " table(s) held "
                    + "locked by other sessions: " + Provisioner.abbreviate(proof.locked()) + "; the other "
                    + (proof.checked() - proof.locked().size()) + " published table(s) accept UPDATE and DELETE");
        }
        if (!proof.fromCatalog().isEmpty()) {
            return new Check(UPDATABLE, Status.WARN, "the admin may not UPDATE or DELETE " + proof.fromCatalog().size()
                    + " published table(s), so their identity was read from the catalog instead of proven by EXPLAIN "
                    + "(it looks right): " + Provisioner.abbreviate(proof.fromCatalog()) + "; the other "
                    + (proof.checked() - proof.fromCatalog().size()) + " accept UPDATE and DELETE");
        }
        return new Check(UPDATABLE, Status.PASS, "an UPDATE and a DELETE matching no row were accepted on every "
                + "one of the " + proof.checked() + " published table(s)");
    }

    private static Check eventTriggerCheck(Catalog catalog, ProvisioningSpec spec, List<TableInfo> tables,
                                           int serverMajor) {
        boolean allTables = spec.trackingMode() == TrackingMode.ALL_TABLES;
        if (!allTables && tables.stream().noneMatch(t -> t.kind() == 'p')) {
            return new Check(EVENT_TRIGGER, Status.PASS, "not needed: no tracked table is partitioned");
        }
        Catalog.EventTriggerInfo trigger = catalog.eventTrigger(EventTriggerSql.TRIGGER);
        java.util.Optional<String> held = trigger != null ? java.util.Optional.empty()
                : UpgradeHold.note(UpgradeHold.heldFor(catalog), serverMajor, spec.releaseUpgradeHold());
        if (held.isPresent()) {
            return new Check(EVENT_TRIGGER, Status.WARN, held.get());
        }
        if (trigger == null || !"O".equals(trigger.enabled())) {
            return new Check(EVENT_TRIGGER, Status.FAIL, EventTriggerSql.TRIGGER + (trigger == null ? " is missing"
                    : " is disabled") + ": new " + (allTables ? "tables" : "partitions") + " will not become FULL");
        }
        TriggerConfig.Entry entry = TriggerConfig.parse(
                catalog.functionComment(EventTriggerSql.SCHEMA, EventTriggerSql.FUNCTION))
                .publications().get(spec.publication());
        if (entry == null || (allTables && !entry.schemas().containsAll(spec.schemas()))) {
            return new Check(EVENT_TRIGGER, Status.FAIL, EventTriggerSql.TRIGGER + " is not configured for "
                    + (allTables ? "schemas " + spec.schemas() + " of " : "") + "publication " + spec.publication());
        }
        return new Check(EVENT_TRIGGER, Status.PASS, EventTriggerSql.TRIGGER + " is enabled and keeps new "
                + (allTables ? "tables of " + String.join(", ", entry.schemas()) : "partitions") + " FULL");
    }

    private static Check roleCheck(RoleInfo role) {
        if (role == null) {
            return new Check(ROLE, Status.FAIL, "the CDC role does not exist");
        }
        List<String> problems = new ArrayList<>();
        if (!role.canLogin()) {
            problems.add("cannot log in");
        }
        if (!role.replication() && !role.rdsReplicationMember()) {
            problems.add("has neither REPLICATION nor membership in rds_replication");
        }
        if (!role.canConnect()) {
            problems.add("lacks CONNECT on the database");
        }
        if (role.superuser() || role.createDb() || role.createRole()) {
            problems.add("holds more than it needs (SUPERUSER, CREATEDB or CREATEROLE)");
        }
        return new Check(ROLE, problems.isEmpty() ? Status.PASS : Status.FAIL, role.name() + (problems.isEmpty()
                ? " can log in and replicate (" + (role.rdsReplicationMember() ? "rds_replication" : "REPLICATION")
                + ")" : " " + String.join(", ", problems)));
    }

    private Check slotCheck(ProvisioningSpec spec, boolean logical) {
        if (!logical) {
            return new Check(SLOT, Status.SKIP, "needs wal_level=logical");
        }
        if (spec.createsUser() && spec.cdcPassword().isEmpty()) {
            return new Check(SLOT, Status.SKIP, "no password for " + spec.cdcUser() + " was given");
        }
        String slot = "cdc_enabler_verify_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String user = spec.createsUser() ? spec.cdcUser() : "the admin";
        try (Connection cdc = spec.createsUser()
                ? connections.openAs(spec.cdcUser(), spec.cdcPassword().orElseThrow()) : connections.openAdmin();
             Statement statement = cdc.createStatement()) {
            statement.execute("SET statement_timeout = '30s'");
            Sql.on(cdc, "creating a temporary logical slot")
                    .queryOne("SELECT lsn FROM pg_catalog.pg_create_logical_replication_slot(?, 'pgoutput', "
                            + "true)",
                    row -> row.getString(1), slot);
            Sql.on(cdc, "reading the slot with publication " + spec.publication()).queryOne("""
                    SELECT count(*) FROM pg_catalog.pg_logical_slot_peek_binary_changes(?, NULL, NULL,
                        'proto_version', '1', 'publication_names', pg_catalog.quote_ident(?))
                    """, row -> row.getLong(1), slot, spec.publication());
            Sql.on(cdc, "dropping the slot").queryOne("SELECT pg_catalog.pg_drop_replication_slot(?)",
                    row -> row.getString(1), slot);
            return new Check(SLOT, Status.PASS, user + " opened a pgoutput slot with publication "
                    + spec.publication() + " and dropped it");
        } catch (CdcEnablerException e) {
            return new Check(SLOT, Status.FAIL, user + ": " + e.getMessage());
        } catch (SQLException e) {
            return new Check(SLOT, Status.FAIL, user + ": " + e.getMessage());
        }
    }

    private static Check headroomCheck(Connection connection) {
        return Sql.on(connection, "checking slot and sender headroom").queryOne("""
                SELECT current_setting('max_replication_slots')::int,
                       (SELECT count(*) FROM pg_catalog.pg_replication_slots)::int,
                       current_setting('max_wal_senders')::int,
                       (SELECT count(*) FROM pg_catalog.pg_stat_replication)::int
                """, row -> {
                int slots = row.getInt(1);
                int usedSlots = row.getInt(2);
                int senders = row.getInt(3);
                int usedSenders = row.getInt(4);
                String detail = (slots - usedSlots) + " of " + slots + " replication slots free, "
                        + (senders - usedSenders) + " of " + senders + " WAL senders free";
                return new Check(HEADROOM, slots > usedSlots && senders > usedSenders ? Status.PASS : Status.FAIL,
                        detail);
            });
    }

    private static Check walCapCheck(Connection connection) {
        String value = Sql.on(connection, "reading max_slot_wal_keep_size")
                .text("SELECT current_setting('max_slot_wal_keep_size')");
        boolean unlimited = "-1".equals(value);
        return new Check(WAL_CAP, unlimited ? Status.WARN : Status.PASS, unlimited
                ? "-1 (unlimited): an abandoned slot retains WAL until the disk fills; RDS writes a heartbeat every "
                + "5 minutes even when idle. Consider a cap and monitoring of slot lag."
                : value + ": a slot that falls further behind is invalidated instead of filling the disk");
    }
}
