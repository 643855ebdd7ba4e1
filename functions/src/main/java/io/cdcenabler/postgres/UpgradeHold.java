package io.cdcenabler.postgres;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hold prepare-upgrade puts on our event trigger. RDS wants event triggers deleted before a major version
 * upgrade, and an enrolment or a reconciliation that runs between prepare-upgrade and the upgrade must not bring ours
 * back. The hold is a comment on our schema, written in the transaction that drops the trigger: it lives in the
 * database, so every path that provisions honours it, and pg_upgrade carries it to the new server. There, on the
 * major it names or a later one, provisioning recreates the trigger and clears the comment. On an older major (before
 * the upgrade, or after RDS rolled it back) the trigger stays away, and the plan says so, unless the spec releases
 * the hold ({@link ProvisioningSpec#releaseUpgradeHold()}: the reconciliation does after RDS-EVENT-0270).
 */
public final class UpgradeHold {
    private static final String PREFIX = "cdc-enabler: event trigger held for the major version upgrade to "
            + "PostgreSQL ";
    private static final String NOTE_PREFIX = "event trigger " + EventTriggerSql.TRIGGER + " held for the major "
            + "version upgrade to PostgreSQL ";
    private static final Pattern MARKER = Pattern.compile("^" + Pattern.quote(PREFIX) + "([0-9]{1,3})\\b");

    private UpgradeHold() {
    }

    /** The comment that holds the trigger until the server runs {@code targetMajor}. */
    static String marker(int targetMajor) {
        return PREFIX + targetMajor + " (prepare-upgrade dropped it; provisioning on PostgreSQL " + targetMajor
                + " or later recreates it and clears this comment)";
    }

    /** The major the hold waits for; empty when there is none. */
    static OptionalInt heldFor(Catalog catalog) {
        String comment = catalog.schemaComment(EventTriggerSql.SCHEMA);
        Matcher matcher = MARKER.matcher(comment == null ? "" : comment);
        return matcher.find() ? OptionalInt.of(Integer.parseInt(matcher.group(1))) : OptionalInt.empty();
    }

    /** Whether the trigger stays away now: a hold for a newer major than the server's, not released. */
    static boolean holds(OptionalInt heldFor, int serverMajor, boolean release) {
        return heldFor.isPresent() && heldFor.getAsInt() > serverMajor && !release;
    }

    /** Whether a plan's note is the one {@link #note} gives. */
    public static boolean isNote(String note) {
        return note != null && note.startsWith(NOTE_PREFIX);
    }

    /** What the plan and verify say while the hold keeps the trigger away. */
    static Optional<String> note(OptionalInt heldFor, int serverMajor, boolean release) {
        if (!holds(heldFor, serverMajor, release)) {
            return Optional.empty();
        }
        return Optional.of(NOTE_PREFIX + heldFor.getAsInt() + " (prepare-upgrade; this server runs " + serverMajor + "): "
                + "until then a provisioning run (the reconciliation runs one) sets FULL on new tables; it is "
                + "recreated on " + heldFor.getAsInt() + ", or now with releaseUpgradeHold");
    }
}
