package io.cdcenabler.postgres;

import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every operation checks on its admin connection before it reads a plan: that the server accepts writes (not a
 * hot standby, not a read-only database), and, for the operations that change something, that no other cdc-enabler
 * run works on the same database at the same time.
 *
 * <p>Serialisation is a session-level advisory lock on the admin connection, taken with {@code
 * pg_try_advisory_lock} in a bounded loop and released when the connection closes (a crashed run's lock goes with
 * its session). Advisory locks are scoped to the current database, and the key is one per database, not per
 * publication: every publication of a database shares the event trigger's configuration, so two runs for two
 * publications of one database must not interleave either. A run that waited re-reads the catalogs after it got the
 * lock, so it finds the other run's work done and changes nothing.
 */
final class DatabaseGuard {
    private static final Logger LOG = LoggerFactory.getLogger(DatabaseGuard.class);
    /** The first key of our advisory lock: "CDCE" in ASCII, so other applications' locks are unlikely to collide. */
    static final int LOCK_CLASS = 0x43444345;
    static final int LOCK_OBJECT = 1;
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
    private static final long POLL_MILLIS = 200;

    private DatabaseGuard() {
    }

    /** Fails before any change when the server is a hot standby or the session's transactions are read-only. */
    static void requireWritable(Connection connection) {
        List<Boolean> state = Sql.on(connection, "checking that the server accepts writes")
                .queryOne("SELECT pg_catalog.pg_is_in_recovery(), "
                        + "pg_catalog.current_setting('transaction_read_only') = 'on'",
                row -> List.of(row.getBoolean(1), row.getBoolean(2)));
        if (state.get(0)) {
            throw new ReadOnlyServerException("the server is a hot standby (pg_is_in_recovery() is true): it "
                    + "cannot take a publication, a role or an event trigger. Connect to the primary (on RDS and "
                    + "Aurora: the writer or cluster endpoint, not a read replica or the reader endpoint). Nothing "
                    + "was changed.");
        }
        if (state.get(1)) {
            throw new ReadOnlyServerException("the session is read-only (transaction_read_only is on, e.g. "
                    + "default_transaction_read_only set for the database or the admin role, or a "
                    + "target_session_attrs that chose a read-only server): connect to a server and login that "
                    + "can write. Nothing was changed.");
        }
    }

    /** {@link #requireWritable}, then the database's cdc-enabler lock, waiting up to {@link #DEFAULT_WAIT}. */
    static void lockForChanges(Connection connection) {
        lockForChanges(connection, DEFAULT_WAIT);
    }

    static void lockForChanges(Connection connection, Duration wait) {
        requireWritable(connection);
        long deadline = System.nanoTime() + wait.toNanos();
        boolean logged = false;
        while (!tryLock(connection)) {
            if (System.nanoTime() - deadline >= 0) {
                throw new ConcurrentRunException("another cdc-enabler run (" + holder(connection) + ") has been "
                        + "working on this database for longer than " + wait.toSeconds() + " s; nothing was changed by "
                        + "this run. Run again when it has finished.");
            }
            if (!logged) {
                LOG.info("{\"event\":\"waitingForConcurrentRun\",\"holder\":\"{}\"}",
                        Provisioner.jsonText(holder(connection)));
                logged = true;
            }
            sleep();
        }
    }

    private static boolean tryLock(Connection connection) {
        return Boolean.TRUE.equals(Sql.on(connection, "taking the cdc-enabler advisory lock")
                .queryOne("SELECT pg_catalog.pg_try_advisory_lock(?, ?)", row -> row.getBoolean(1), LOCK_CLASS,
                        LOCK_OBJECT));
    }

    private static String holder(Connection connection) {
        String holder = Sql.on(connection, "finding the session holding the cdc-enabler lock").text("""
                SELECT 'pid ' || l.pid || coalesce(', ' || nullif(a.application_name, ''), '')
                       || coalesce(', user ' || a.usename, '')
                       || coalesce(', since ' || date_trunc('second', a.backend_start)::text, '')
                FROM pg_catalog.pg_locks l
                LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
                WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_catalog.pg_database
                                                               WHERE datname = current_database())
                  AND l.classid = ?::oid AND l.objid = ?::oid AND l.objsubid = 2 AND l.granted
                LIMIT 1
                """, (long) LOCK_CLASS, (long) LOCK_OBJECT);
        return holder == null ? "a session that has just ended" : holder;
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CdcEnablerException("interrupted while waiting for another cdc-enabler run", e);
        }
    }
}
