package io.cdcenabler.workflow;

import io.cdcenabler.contract.RetentionCapForms;

/**
 * The request's {@code maxSlotWalKeepSize}: the most WAL the database's replication slots may retain before
 * PostgreSQL invalidates the slot that holds it back ({@code max_slot_wal_keep_size}, in MB, -1 = no cap). The
 * accepted forms ({@link RetentionCapForms}) are a size ("51200MB", "50GB", "1TB"), a share of the
 * target's allocated storage ("20%"; DescribeTarget turns it into a size,
 * so it needs a target with allocated storage: a DB instance or a Multi-AZ DB cluster, not Aurora, whose storage
 * grows on its own) or "off" (no cap, PostgreSQL's default). {@link #normalise} keeps sizes in MB and shares as
 * "N%", so that a request shows one spelling of each value.
 */
public final class SlotWalCap {
    public static final String FIELD = "maxSlotWalKeepSize";
    /** The PostgreSQL parameter the cap is written as. */
    public static final String PARAMETER = "max_slot_wal_keep_size";
    public static final String OFF = RetentionCapForms.OFF;
    public static final int MIN_MEGABYTES = RetentionCapForms.MIN_MEGABYTES;
    public static final long MAX_MEGABYTES = RetentionCapForms.MAX_MEGABYTES;
    /** RDS's smallest allocated storage, GiB. */
    static final int MIN_STORAGE_GIB = 20;

    private SlotWalCap() {
    }

    /** {@code value} in its one spelling ("51200MB", "20%", "off"); null stays null (the default applies). */
    public static String normalise(String field, String value) {
        if (value == null) {
            return null;
        }
        String normalised = RetentionCapForms.normalisedOrNull(value);
        if (normalised == null) {
            throw new InvalidInputException(field + " must be " + RetentionCapForms.FORMS + ", was " + value);
        }
        return normalised;
    }

    /** Whether a normalised value is a share of allocated storage. */
    public static boolean isShare(String normalised) {
        return normalised != null && normalised.endsWith("%");
    }

    /**
     * A normalised value as a size ("NMB" or "off"): a share is taken of {@code allocatedStorageGib}, rounded down
     * to whole MB, never below {@link #MIN_MEGABYTES}.
     */
    public static String resolve(String normalised, int allocatedStorageGib) {
        if (!isShare(normalised)) {
            return normalised;
        }
        int percent = Integer.parseInt(normalised.substring(0, normalised.length() - 1));
        long megabytes = (long) Math.max(allocatedStorageGib, MIN_STORAGE_GIB) * 1024L * percent / 100L;
        return Math.min(MAX_MEGABYTES, Math.max(MIN_MEGABYTES, megabytes)) + "MB";
    }

    /** The parameter's value for a resolved value: MB as an integer, -1 for off. */
    public static String parameterValue(String resolved) {
        if (isShare(resolved)) {
            throw new IllegalStateException(FIELD + " " + resolved + " was not resolved against allocated storage");
        }
        return OFF.equals(resolved) ? "-1" : resolved.substring(0, resolved.length() - 2);
    }

    /** A sentence for logs and the CLI: what the cap will be. */
    public static String describe(String value) {
        if (value == null) {
            return "not managed (the parameter group keeps its own value)";
        }
        if (OFF.equals(value)) {
            return "off (slots may retain WAL without limit)";
        }
        return isShare(value) ? value + " of allocated storage" : value;
    }
}
