package io.cdcenabler.postgres;

import io.cdcenabler.postgres.SlotReport.Activity;
import io.cdcenabler.postgres.SlotReport.Consumer;
import io.cdcenabler.postgres.SlotReport.Identity;
import io.cdcenabler.postgres.SlotReport.Verdict;
import io.cdcenabler.postgres.SlotReport.Wal;
import io.cdcenabler.postgres.VerificationReport.Check;
import io.cdcenabler.postgres.VerificationReport.Status;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slot health: every replication slot that can fill this database's disk (the logical slots of this database and
 * every physical slot, which retains WAL for the whole server), read as the admin under the lock policy's
 * lock_timeout and a statement_timeout, each judged against {@link SlotThresholds}. A slot that lost its WAL, or is
 * about to, fails; one that retains more than a threshold warns or fails, naming its consumer and what to do.
 */
public final class SlotHealth {
    /** The name of the check when the database has no slot; slots get {@code replication slot NAME}. */
    public static final String NONE = "replication slots";
    public static final String CHECK_PREFIX = "replication slot ";
    static final String STATEMENT_TIMEOUT = "30s";

    private static final Pattern PUBLICATIONS = Pattern.compile("\"?publication_names\"?\\s+'((?:[^']|'')*)'",
            Pattern.CASE_INSENSITIVE);

    private SlotHealth() {
    }

    /** Reads the slots relevant to the connected database and judges each against the thresholds. */
    public static List<SlotReport> inspect(Connection connection, LockPolicy policy, SlotThresholds thresholds) {
        int major = Sql.on(connection, "reading the server version").queryOne(
                "SELECT pg_catalog.current_setting('server_version_num')::int / 10000", row -> row.getInt(1));
        List<SlotReport> reports = new ArrayList<>();
        for (SlotReport facts : read(connection, policy, major)) {
            reports.add(new SlotReport(facts.identity(), facts.activity(), facts.wal(), judge(facts, thresholds)));
        }
        return reports;
    }

    /** One check per slot for verify, or one PASS saying there is none. */
    public static List<Check> checks(List<SlotReport> reports, String publication) {
        if (reports.isEmpty()) {
            return List.of(new Check(NONE, Status.PASS, "no replication slot in this database and no physical slot: "
                    + "nothing retains WAL"));
        }
        return reports.stream().map(report -> new Check(CHECK_PREFIX + report.identity().name(),
                report.verdict().status(), report.verdict().message() + "; " + report.publicationNote(publication)))
                .toList();
    }

    /** The worst status of the reports: FAIL over WARN over PASS. */
    public static Status worst(List<SlotReport> reports) {
        return reports.stream().map(report -> report.verdict().status())
                .reduce(Status.PASS, (a, b) -> a.ordinal() >= b.ordinal() ? a : b);
    }

    static Verdict judge(SlotReport slot, SlotThresholds thresholds) {
        Wal wal = slot.wal();
        String who = "slot " + slot.identity().name() + " (" + slot.activity().describe() + ")";
        String drop = "drop it (SELECT pg_drop_replication_slot('" + slot.identity().name() + "')) and re-snapshot "
                + "its consumer";
        if (wal.invalidated()) {
            return new Verdict(Status.FAIL, who + " is invalidated (wal_status " + wal.status()
                    + (wal.invalidationReason() == null ? "" : ", reason " + wal.invalidationReason()) + "): the WAL "
                    + "its consumer needs is gone, it cannot resume; " + drop);
        }
        if ("unreserved".equals(wal.status())) {
            return new Verdict(Status.FAIL, who + " retains " + retained(wal) + ", past max_slot_wal_keep_size: the "
                    + "next checkpoint removes WAL it needs; resume its consumer now, or " + drop);
        }
        String size = who + " retains " + retained(wal) + " of WAL";
        String act = slot.activity().active() ? "its consumer is connected but not confirming: check that it "
                + "acknowledges what it reads" : "resume its consumer";
        Long bytes = wal.retainedBytes();
        if (bytes != null && bytes >= thresholds.failBytes()) {
            return new Verdict(Status.FAIL, size + " (FAIL at " + SlotThresholds.format(thresholds.failBytes())
                    + "): " + act + ", or " + drop);
        }
        if (bytes != null && bytes >= thresholds.warnBytes()) {
            return new Verdict(Status.WARN, size + " (WARN at " + SlotThresholds.format(thresholds.warnBytes())
                    + "): " + act + " before it reaches " + SlotThresholds.format(thresholds.failBytes()));
        }
        return new Verdict(Status.PASS, size + ", wal_status " + wal.status()
                + (wal.safeWalSize() == null ? "" : ", " + SlotThresholds.format(wal.safeWalSize())
                + " more before max_slot_wal_keep_size invalidates it"));
    }

    private static String retained(Wal wal) {
        return wal.retainedBytes() == null ? "an unknown amount (no restart_lsn)"
                : SlotThresholds.format(wal.retainedBytes());
    }

    private static List<SlotReport> read(Connection connection, LockPolicy policy, int major) {
        String sql = """
                SELECT s.slot_name, s.slot_type, s.plugin, s.database, s.temporary, s.active, s.active_pid,
                       %s AS inactive_since, s.wal_status, s.safe_wal_size, %s AS invalidation_reason,
                       pg_catalog.pg_wal_lsn_diff(CASE WHEN pg_catalog.pg_is_in_recovery()
                           THEN pg_catalog.pg_last_wal_replay_lsn() ELSE pg_catalog.pg_current_wal_lsn() END,
                           s.restart_lsn)::bigint AS retained,
                       a.application_name, pg_catalog.host(a.client_addr), a.query
                FROM pg_catalog.pg_replication_slots s
                LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = s.active_pid
                WHERE s.slot_type = 'physical' OR s.database = pg_catalog.current_database()
                ORDER BY s.slot_type, s.slot_name
                """.formatted(major >= 17 ? "s.inactive_since" : "NULL::timestamptz",
                major >= 17 ? "s.invalidation_reason" : "NULL::text");
        try {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                try (java.sql.Statement statement = connection.createStatement()) {
                    statement.execute("SET LOCAL lock_timeout = '" + policy.lockTimeoutSetting() + "'");
                    statement.execute("SET LOCAL statement_timeout = '" + STATEMENT_TIMEOUT + "'");
                }
                List<SlotReport> slots = Sql.on(connection, "reading pg_replication_slots").query(sql, SlotHealth::row);
                connection.commit();
                return slots;
            } catch (SQLException | RuntimeException e) {
                Sql.rollbackQuietly(connection);
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw new DatabaseException("reading pg_replication_slots", e);
        }
    }

    private static SlotReport row(ResultSet row) throws SQLException {
        Identity identity = new Identity(row.getString(1), row.getString(2), row.getString(3), row.getString(4));
        boolean active = row.getBoolean(6);
        int pid = row.getInt(7);
        Consumer consumer = row.wasNull() ? null : new Consumer(pid, row.getString(13), row.getString(14),
                publications(row.getString(15)));
        Activity activity = new Activity(active, row.getBoolean(5),
                Optional.ofNullable(row.getObject(8, OffsetDateTime.class)), consumer);
        long safe = row.getLong(10);
        Long safeWalSize = row.wasNull() ? null : safe;
        long retained = row.getLong(12);
        Long retainedBytes = row.wasNull() ? null : Math.max(0, retained);
        Wal wal = new Wal(row.getString(9), retainedBytes, safeWalSize, row.getString(11));
        return new SlotReport(identity, activity, wal, null);
    }

    /**
     * The publication_names a walsender's START_REPLICATION asked for; null when the command is not visible. The
     * list is split as the server splits it: at commas outside double quotes, a quoted name kept as written (a
     * doubled quote is one quote), an unquoted one lower-cased (ASCII only, as PostgreSQL does).
     */
    static List<String> publications(String command) {
        if (command == null) {
            return null;
        }
        Matcher matcher = PUBLICATIONS.matcher(command);
        if (!matcher.find()) {
            return null;
        }
        String list = matcher.group(1).replace("''", "'");
        List<String> names = new ArrayList<>();
        StringBuilder name = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c == '"' && quoted && i + 1 < list.length() && list.charAt(i + 1) == '"') {
                name.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (quoted) {
                name.append(c);
            } else if (c == ',') {
                addName(names, name);
            } else if (!Character.isWhitespace(c)) {
                name.append(c >= 'A' && c <= 'Z' ? (char) (c + ('a' - 'A')) : c);
            }
        }
        addName(names, name);
        return names;
    }

    private static void addName(List<String> names, StringBuilder name) {
        if (name.length() > 0) {
            names.add(name.toString());
        }
        name.setLength(0);
    }
}
