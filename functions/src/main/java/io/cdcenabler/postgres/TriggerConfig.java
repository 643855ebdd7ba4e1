package io.cdcenabler.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the event trigger tracks, per publication: the schemas whose new tables become FULL (empty for
 * SELECTED_TABLES, whose new partitions are found through the publication itself) and the CDC role that is granted
 * SELECT on them. Stored as JSON in the COMMENT of the trigger function, so several publications in one database
 * share one trigger without overwriting each other.
 */
record TriggerConfig(Map<String, Entry> publications) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One publication's share of the trigger. */
    record Entry(List<String> schemas, String role) {
        Entry {
            schemas = schemas == null ? List.of() : List.copyOf(schemas);
        }
    }

    TriggerConfig {
        publications = publications == null ? new TreeMap<>() : new TreeMap<>(publications);
    }

    static TriggerConfig empty() {
        return new TriggerConfig(Map.of());
    }

    /** Parses a stored comment; null, or a comment that is not ours, gives an empty configuration. */
    static TriggerConfig parse(String comment) {
        if (comment == null || comment.isBlank()) {
            return empty();
        }
        try {
            return JSON.readValue(comment, TriggerConfig.class);
        } catch (JsonProcessingException e) {
            return empty();
        }
    }

    TriggerConfig with(String publication, Entry entry) {
        Map<String, Entry> copy = new TreeMap<>(publications);
        copy.put(publication, entry);
        return new TriggerConfig(copy);
    }

    TriggerConfig without(String publication) {
        Map<String, Entry> copy = new TreeMap<>(publications);
        copy.remove(publication);
        return new TriggerConfig(copy);
    }

    boolean isEmpty() {
        return publications.isEmpty();
    }

    String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the trigger configuration", e);
        }
    }
}
