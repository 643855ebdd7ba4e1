package io.cdcenabler.contract;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The accepted forms of the WAL retention cap ({@code maxSlotWalKeepSize}, written as PostgreSQL's
 * {@code max_slot_wal_keep_size} in MB), in one place for the functions (the request, DescribeTarget's environment)
 * and infra (the CDK context default): a size ("51200MB", "50GB", "1TB", at least {@value #MIN_MEGABYTES} MB), a
 * share of allocated storage ("20%", {@value #MIN_SHARE}-{@value #MAX_SHARE}) or "off" (no cap).
 */
public final class RetentionCapForms {
    public static final String OFF = "off";
    /** Smaller caps invalidate a slot during an ordinary burst of writes (a bulk load, a VACUUM FULL). */
    public static final int MIN_MEGABYTES = 1024;
    /** The parameter is an int of MB in PostgreSQL. */
    public static final long MAX_MEGABYTES = Integer.MAX_VALUE;
    /** 5 % of RDS's smallest storage (20 GiB) is still {@link #MIN_MEGABYTES}. */
    public static final int MIN_SHARE = 5;
    /** More than this leaves no room for the database itself: the cap would come after the disk is full. */
    public static final int MAX_SHARE = 80;
    /** What an error message says is accepted. */
    public static final String FORMS = "a size such as 51200MB, 50GB or 1TB (at least " + MIN_MEGABYTES
            + " MB), a share of allocated storage such as 20% (" + MIN_SHARE + "-" + MAX_SHARE + "%), or off";
    private static final Pattern SIZE = Pattern.compile("(\\d{1,13})\\s*(MB|GB|TB)");
    private static final Pattern SHARE = Pattern.compile("(\\d{1,3})\\s*%");

    private RetentionCapForms() {
    }

    /** {@code value} in its one spelling ("51200MB", "20%", "off"), or null when it is none of the forms. */
    public static String normalisedOrNull(String value) {
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
            return megabytes < MIN_MEGABYTES || megabytes > MAX_MEGABYTES ? null : megabytes + "MB";
        }
        Matcher share = SHARE.matcher(text);
        if (share.matches()) {
            int percent = Integer.parseInt(share.group(1));
            return percent < MIN_SHARE || percent > MAX_SHARE ? null : percent + "%";
        }
        return null;
    }
}
