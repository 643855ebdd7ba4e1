package io.cdcenabler.upgrade;

import java.util.regex.Pattern;

/**
 * The version to upgrade to, as given: a major ({@code 17}) or a full version ({@code 17.4}).
 *
 * @param text the version as given
 * @param major its first number
 */
public record TargetVersion(String text, int major) {
    private static final Pattern VERSION = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,4}){0,2}");

    /** Parses {@code text}; anything but digits and dots fails naming what was given. */
    public static TargetVersion parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (!VERSION.matcher(trimmed).matches()) {
            throw new InvalidUpgradeTargetException("--target-version must be a PostgreSQL major or full version "
                    + "such as 17 or 17.4, got '" + text + "'; nothing was changed");
        }
        return new TargetVersion(trimmed, majorOf(trimmed));
    }

    /** Whether only the major was given, so the newest offered version of it is to be chosen. */
    public boolean majorOnly() {
        return !text.contains(".");
    }

    /** The major of a version such as {@code 16.4} or {@code 16}. */
    public static int majorOf(String version) {
        int dot = version.indexOf('.');
        return Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
    }
}
