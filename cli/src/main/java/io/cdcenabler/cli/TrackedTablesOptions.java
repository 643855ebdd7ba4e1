package io.cdcenabler.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Which tables are tracked and how partitions publish: shared by provision, plan, verify and start. */
final class TrackedTablesOptions {
    @Option(names = "--schema", paramLabel = "SCHEMA", split = ",",
            description = "Tracked schema for ALL_TABLES, repeatable or comma-separated (default: public)")
    List<String> schemas = new ArrayList<>();

    @Option(names = "--table", paramLabel = "TABLE",
            description = "Table for SELECTED_TABLES as schema.table (quote parts with \"), repeatable")
    List<String> tables = new ArrayList<>();

    @Option(names = "--publish-via-partition-root",
            description = "Publish changes of partitions under their partitioned root table")
    boolean publishViaPartitionRoot;
}
