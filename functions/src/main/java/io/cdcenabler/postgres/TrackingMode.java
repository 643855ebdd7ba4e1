package io.cdcenabler.postgres;

/** Which tables the publication and REPLICA IDENTITY FULL cover. */
public enum TrackingMode {
    /** A FOR ALL TABLES publication; FULL on every table of the tracked schemas, kept true by an event trigger. */
    ALL_TABLES,
    /** A FOR TABLE publication of listed tables; FULL on exactly those; tables are added and removed one by one. */
    SELECTED_TABLES
}
