package io.cdcenabler.upgrade;

import io.cdcenabler.rds.UpgradeGroup;
import io.cdcenabler.workflow.Topology;
import java.util.List;

/**
 * What prepare-upgrade found and did, in the order it acts: (a) our parameter group of the new family, (b) the AWS
 * CLI command that runs the upgrade with that group, (c) the blockers someone must act on first, (d) our event
 * trigger dropped (last, and never in a dry run).
 *
 * @param engineVersion the version to upgrade to, as the command names it
 * @param instanceParameterGroup for an Aurora cluster, the DB parameter group the command names for its instances;
 *     null otherwise
 * @param trigger what happened to our event trigger in the connected database
 * @param notes facts the operator needs beside the blockers (how the version was validated, what the enrolment after
 *     the upgrade does)
 */
public record UpgradeReport(String identifier, Topology topology, String engine, String currentVersion,
                            String engineVersion, boolean dryRun, UpgradeGroup parameterGroup,
                            String instanceParameterGroup, String command, List<Blocker> blockers,
                            TriggerAction trigger, List<String> notes) {

    public UpgradeReport {
        blockers = List.copyOf(blockers);
        notes = List.copyOf(notes);
    }

    /** What happened to our event trigger. */
    public enum TriggerAction {
        /** It was dropped now. */
        DROPPED,
        /** It is there and a run without --dry-run drops it. */
        WOULD_DROP,
        /** The database has none (never installed, or dropped by an earlier run). */
        ABSENT
    }
}
