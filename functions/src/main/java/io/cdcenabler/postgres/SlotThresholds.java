package io.cdcenabler.postgres;

import java.util.Locale;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How much WAL one replication slot may retain before slot health says WARN and FAIL, in bytes. Either absolute
 * sizes, or shares of the allocated storage when the caller knows it. Sizes use binary units (1 GB = 1024^3 bytes,
 * as PostgreSQL's own size settings do).
 */
public record SlotThresholds(long warnBytes, long failBytes, String basis) {
    /** Without allocated storage: WARN at 5 GB, FAIL at 50 GB retained by one slot. */
    public static final SlotThresholds DEFAULT = new SlotThresholds(5L << 30, 50L << 30, "default 5GB / 50GB");
    /** With allocated storage and no explicit thresholds: WARN at 10 %, FAIL at 25 % of it. */
    public static final String DEFAULT_WARN_SHARE = "10%";
    public static final String DEFAULT_FAIL_SHARE = "25%";

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(B|KB|MB|GB|TB)?",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern SHARE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");
    private static final String[] UNITS = {"B", "KB", "MB", "GB", "TB"};

    public SlotThresholds {
        if (warnBytes < 1 || failBytes < 1) {
            throw new InvalidSpecException("slot thresholds must be positive, were warn=" + warnBytes + " fail="
                    + failBytes);
        }
        if (warnBytes > failBytes) {
            throw new InvalidSpecException("the WARN threshold (" + format(warnBytes) + ") must not exceed the FAIL "
                    + "threshold (" + format(failBytes) + ")");
        }
        basis = basis == null ? "" : basis;
    }

    /**
     * Thresholds from text such as {@code 10GB} or {@code 20%} (a share needs {@code allocatedBytes}). A null warn or
     * fail takes the default: 10 % / 25 % of the allocated storage when it is given, else 5 GB / 50 GB.
     */
    public static SlotThresholds parse(String warn, String fail, OptionalLong allocatedBytes) {
        if (allocatedBytes.isPresent() && allocatedBytes.getAsLong() < 1) {
            throw new InvalidSpecException("allocated storage must be positive, was " + allocatedBytes.getAsLong());
        }
        String warnText = warn != null ? warn : allocatedBytes.isPresent() ? DEFAULT_WARN_SHARE : null;
        String failText = fail != null ? fail : allocatedBytes.isPresent() ? DEFAULT_FAIL_SHARE : null;
        long warnBytes = warnText == null ? DEFAULT.warnBytes()
                : resolve("the WARN threshold", warnText, allocatedBytes);
        long failBytes = failText == null ? DEFAULT.failBytes()
                : resolve("the FAIL threshold", failText, allocatedBytes);
        String basis = "warn " + (warnText == null ? format(warnBytes) : warnText) + ", fail "
                + (failText == null ? format(failBytes) : failText)
                + allocatedBytes.stream().mapToObj(bytes -> " of " + format(bytes) + " allocated").findFirst()
                .orElse("");
        return new SlotThresholds(warnBytes, failBytes, basis);
    }

    /** Bytes from {@code 123}, {@code 512MB}, {@code 10GB}, {@code 1.5TB} (binary units, case-insensitive). */
    public static long parseSize(String name, String text) {
        Matcher matcher = SIZE.matcher(text == null ? "" : text.trim());
        if (!matcher.matches()) {
            throw new InvalidSpecException(name + " must be a size such as 10GB, 512MB or 1TB, was '" + text + "'");
        }
        String unit = matcher.group(2) == null ? "B" : matcher.group(2).toUpperCase(Locale.ROOT);
        int power = java.util.Arrays.asList(UNITS).indexOf(unit);
        double bytes = Double.parseDouble(matcher.group(1)) * Math.pow(1024, power);
        if (bytes < 1 || bytes > Long.MAX_VALUE / 2) {
            throw new InvalidSpecException(name + " must be between 1 byte and 4 EB, was '" + text + "'");
        }
        return (long) bytes;
    }

    /** A size for people: {@code 12.3 GB}, binary units. */
    public static String format(long bytes) {
        double value = bytes;
        int unit = 0;
        while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    private static long resolve(String name, String text, OptionalLong allocatedBytes) {
        Matcher share = SHARE.matcher(text.trim());
        if (!share.matches()) {
            return parseSize(name, text);
        }
        if (allocatedBytes.isEmpty()) {
            throw new InvalidSpecException(name + " is a share (" + text + ") and needs the allocated storage");
        }
        double percent = Double.parseDouble(share.group(1));
        if (percent <= 0 || percent > 100) {
            throw new InvalidSpecException(name + " must be a share above 0% and at most 100%, was " + text);
        }
        return Math.max(1, (long) (allocatedBytes.getAsLong() * percent / 100));
    }
}
