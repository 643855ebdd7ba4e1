package io.cdcenabler.rds;

import io.cdcenabler.workflow.InvalidInputException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A weekly RDS maintenance window, {@code ddd:hh24:mi-ddd:hh24:mi} in UTC (PreferredMaintenanceWindow). */
public record MaintenanceWindow(DayOfWeek startDay, LocalTime startTime, DayOfWeek endDay, LocalTime endTime) {
    private static final Pattern FORMAT = Pattern.compile(
            "([a-z]{3}):([01]\\d|2[0-3]):([0-5]\\d)-([a-z]{3}):([01]\\d|2[0-3]):([0-5]\\d)");
    private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
            "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat",
            DayOfWeek.SATURDAY, "sun", DayOfWeek.SUNDAY);

    public static MaintenanceWindow parse(String window) {
        Matcher m = window == null ? null : FORMAT.matcher(window.trim().toLowerCase(Locale.ROOT));
        if (m == null || !m.matches() || !DAYS.containsKey(m.group(1)) || !DAYS.containsKey(m.group(4))) {
            throw new InvalidInputException("PreferredMaintenanceWindow must look like ddd:hh24:mi-ddd:hh24:mi, was "
                    + window);
        }
        return new MaintenanceWindow(DAYS.get(m.group(1)),
                LocalTime.of(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))), DAYS.get(m.group(4)),
                LocalTime.of(Integer.parseInt(m.group(5)), Integer.parseInt(m.group(6))));
    }

    /** How long the window lasts (it may wrap past Sunday midnight). */
    public Duration length() {
        long startMinute = minuteOfWeek(startDay, startTime);
        long endMinute = minuteOfWeek(endDay, endTime);
        long minutes = Math.floorMod(endMinute - startMinute, 7 * 24 * 60);
        return Duration.ofMinutes(minutes);
    }

    /** The latest window start at or before {@code now}. */
    public Instant lastStart(Instant now) {
        ZonedDateTime utc = now.atZone(ZoneOffset.UTC);
        ZonedDateTime start = utc.with(TemporalAdjusters.previousOrSame(startDay)).with(startTime)
                .withSecond(0).withNano(0);
        if (start.isAfter(utc)) {
            start = start.minusWeeks(1);
        }
        return start.toInstant();
    }

    /** The first window start strictly after {@code now}. */
    public Instant nextStart(Instant now) {
        return lastStart(now).plus(Duration.ofDays(7));
    }

    /** Whether {@code now} falls inside a window. */
    public boolean contains(Instant now) {
        return now.isBefore(lastStart(now).plus(length()));
    }

    private static long minuteOfWeek(DayOfWeek day, LocalTime time) {
        return (day.getValue() - 1) * 24L * 60 + time.getHour() * 60L + time.getMinute();
    }
}
