package io.cdcenabler.workflow;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request's {@code maxSlotWalKeepSize}: the most WAL the database's replication slots may retain before
 * PostgreSQL invalidates the slot that holds it back ({@code max_slot_wal_keep_size}, in MB, -1 = no cap). The
 * accepted forms are a size ("51200MB", "50GB", "1TB", at least {@value #MIN_MEGABYTES} MB), a share of the
 * target's allocated storage ("20%", {@value #MIN_SHARE}-{@value #MAX_SHARE}; DescribeTarget turns it into a size,
 * so it needs a target with allocated storage: a DB instance or a Multi-AZ DB cluster, not Aurora, whose storage
 * grows on its own) or "off" (no cap, PostgreSQL's default). {@link #normalise} keeps sizes in MB and shares as
 * "N%", so that a request shows one spelling of each value.
 */
public final class SlotWalCap {
    public static final String FIELD = "maxSlotWalKeepSize";
    /** The PostgreSQL parameter the cap is written as. */
    public static final String PARAMETER = "max_slot_wal_keep_size";
    public static final String OFF = "off";
    /** Smaller caps invalidate a slot during an ordinary burst of writes (a bulk load, a VACUUM FULL). */
    public static final int MIN_MEGABYTES = 1024;
    /** The parameter is an int of MB in PostgreSQL. */
    public static final long MAX_MEGABYTES = Integer.MAX_VALUE;
    /** 5 % of RDS's smallest storage (20 GiB) is still {@link #MIN_MEGABYTES}. */
    public static final int MIN_SHARE = 5;
    /** More than this leaves no room for the database itself: the cap would come after the disk is full. */
    public static final int MAX_SHARE = 80;
    /** RDS's smallest allocated storage, GiB. */
    static final int MIN_STORAGE_GIB = 20;
    private static final Pattern SIZE = Pattern.compile("(\\d{1,13})\\s*(MB|GB|TB)");
    private static final Pattern SHARE = Pattern.compile("(\\d{1,3})\\s*%");
    private static final String FORMS = "a size such as 51200MB, 50GB or 1TB (at least " + MIN_MEGABYTES
            + " MB), a share of allocated storage such as 20% (" + MIN_SHARE + "-" + MAX_SHARE + "%), or off";

    private SlotWalCap() {
    }

    /** {@code value} in its one spelling ("51200MB", "20%", "off"); null stays null (the default applies). */
    public static String normalise(String field, String value) {
        if (value == null) {
            return null;
        }
        String text = value.trim().toUpperCase(Locale.ROOT);
        if (text.equals("OFF")) {
            return OFF;
        }
        Matcher size = SIZE.matcher(text);
        if (size.matches()) {
            long megabytes = Long.parseLong(size.group(1)) * switch (size.group(2)) {
                case "TB" -> 1024L * 1024L;
                case "GB" -> 1024L;
                default -> 1L;
            };
            if (megabytes < MIN_MEGABYTES || megabytes > MAX_MEGABYTES) {
                throw invalid(field, value);
            }
            return megabytes + "MB";
        }
        Matcher share = SHARE.matcher(text);
        if (share.matches()) {
            int percent = Integer.parseInt(share.group(1));
            if (percent < MIN_SHARE || percent > MAX_SHARE) {
                throw invalid(field, value);
            }
            return percent + "%";
        }
        throw invalid(field, value);
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

    private static InvalidInputException invalid(String field, String value) {
        return new InvalidInputException(field + " must be " + FORMS + ", was " + value);
    }
}
