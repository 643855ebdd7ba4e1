package io.cdcenabler.workflow;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * The request's trackingMode: which tables the publication covers. The engine has its own TrackingMode; the steps
 * translate this one to it with an exhaustive switch, so neither the contract nor the engine depends on the other.
 */
public enum RequestTrackingMode {
    /** Every table of the tracked schemas, including tables created later. */
    ALL_TABLES,
    /** Exactly the listed tables. */
    SELECTED_TABLES;

    /** The mode named by {@code value} in any case; null for null; an unknown value names the field. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static RequestTrackingMode of(String value) {
        return EnumValues.parse(RequestTrackingMode.class, "trackingMode", value);
    }
}
