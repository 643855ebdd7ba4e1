package io.cdcenabler.upgrade;

import io.cdcenabler.postgres.ConnectionSource;
import io.cdcenabler.postgres.LockPolicy;
import io.cdcenabler.postgres.UpgradeReadiness;
import io.cdcenabler.rds.EventDefaults;
import io.cdcenabler.rds.ParameterGroupEnsurer;
import io.cdcenabler.rds.ParameterGroupPlanner;
import io.cdcenabler.rds.RdsErrors;
import io.cdcenabler.rds.TargetResolver;
import io.cdcenabler.rds.UpgradeGroup;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.Topology;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/**
 * prepare-upgrade: gets an enrolled RDS or Aurora PostgreSQL target ready for a major version upgrade without losing
 * logical replication. In this order: (a) our parameter group of the new family with today's CDC values (RDS would
 * otherwise attach the family's default group, where rds.logical_replication is 0), through the ensurer's own code
 * paths, so a re-run changes nothing; (b) the AWS CLI command that runs the upgrade naming that group; (c) the
 * blockers, read only: logical replication slots when the source is below PostgreSQL 17 and the application's event
 * triggers; (d) as the last action and never in a dry run, our event trigger dropped under the lock policy's
 * lock_timeout and held ({@link io.cdcenabler.postgres.UpgradeHold}) until the server runs the new major.
 * A target version that is no upgrade (not above the current major) fails before anything changes.
 */
public final class UpgradePreparation {
    /** Manual requests: the opt-in tag is not required, the target is named explicitly. */
    private static final EventDefaults NO_OPT_IN = new EventDefaults("", null, null, null, null, null, null, null,
            null);
    static final String RECREATE_NOTE = "the enrolment after the upgrade (the workflow, cdc-enabler start, or "
            + "cdc-enabler provision) recreates the event trigger and catches up the tables created meanwhile "
            + "(replica identity and grants)";
    static final String HOLD_NOTE = "until the upgrade no enrolment or reconciliation recreates the event trigger "
            + "(a comment on schema cdc_enabler holds it; each run still sets FULL on new tables); after a rollback "
            + "(RDS-EVENT-0270) the reconciliation brings it back, as does a run with releaseUpgradeHold if the "
            + "upgrade is called off";

    private final RdsClient rds;
    private final ConnectionSource database;
    private final LockPolicy policy;

    public UpgradePreparation(RdsClient rds, ConnectionSource database, LockPolicy policy) {
        this.rds = Objects.requireNonNull(rds, "rds");
        this.database = Objects.requireNonNull(database, "database");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** Computes the report and, unless {@link UpgradeRequest#dryRun()}, creates the group and drops our trigger. */
    public UpgradeReport prepare(UpgradeRequest request) {
        TargetVersion wanted = TargetVersion.parse(request.targetVersion());
        TargetDescription target = new TargetResolver(rds, NO_OPT_IN).describe(request.target());
        String subject = (target.topology() == Topology.AURORA_CLUSTER || target.topology()
                == Topology.MULTI_AZ_CLUSTER ? "DB cluster " : "DB instance ") + target.request().identifier();
        UpgradeVersions.requireAbove(wanted, target.engineVersion(), subject);
        UpgradeVersions.Chosen chosen = new UpgradeVersions(rds).choose(target.engine(), target.engineVersion(),
                wanted);
        // read only, and before any change: a database we cannot reach fails the run with nothing changed
        UpgradeReadiness.Facts facts = UpgradeReadiness.read(database, policy);
        requireSameServer(facts, target, subject);
        List<String> notes = new ArrayList<>();
        notes.add(chosen.note());
        UpgradeGroup group = new ParameterGroupEnsurer(rds, new ParameterGroupPlanner())
                .ensureForFamily(target, chosen.family(), request.dryRun());
        String instanceGroup = target.topology() == Topology.AURORA_CLUSTER
                ? auroraInstanceGroup(target, chosen.family(), notes) : null;
        String command = UpgradeCommand.inRegion(UpgradeCommand.of(target, chosen.version(), group.groupName(),
                instanceGroup), request.region());
        List<Blocker> blockers = Blockers.of(facts);
        // not in a dry run: drop our trigger if it is there, and hold it (a re-run for another version moves the hold)
        boolean dropped = !request.dryRun() && UpgradeReadiness.dropOwnEventTrigger(database, policy,
                TargetVersion.majorOf(chosen.version()));
        UpgradeReport.TriggerAction trigger = dropped ? UpgradeReport.TriggerAction.DROPPED
                : facts.ownTriggers().isEmpty() || !request.dryRun() ? UpgradeReport.TriggerAction.ABSENT
                : UpgradeReport.TriggerAction.WOULD_DROP;
        notes.add(RECREATE_NOTE);
        if (trigger != UpgradeReport.TriggerAction.ABSENT || !facts.ownTriggers().isEmpty()) {
            notes.add(HOLD_NOTE);
        }
        return new UpgradeReport(target.request().identifier(), target.topology(), target.engine(),
                target.engineVersion(), chosen.version(), request.dryRun(), group, instanceGroup, command, blockers,
                trigger, notes);
    }

    /** The connection must reach the target itself: its blockers and its trigger are what the upgrade meets. */
    private static void requireSameServer(UpgradeReadiness.Facts facts, TargetDescription target, String subject) {
        int major = TargetVersion.majorOf(target.engineVersion());
        if (facts.major() != major) {
            throw new InvalidInputException("the database connection reaches PostgreSQL " + facts.major() + " but "
                    + subject + " runs " + target.engineVersion() + "; connect to " + target.endpointHost()
                    + " instead; nothing was changed");
        }
    }

    /**
     * The DB parameter group the upgrade names for an Aurora cluster's instances: the new family's default (we keep
     * no instance-level CDC parameter); a custom group on the writer today is named in a note, since its settings
     * need a group of the new family of their own.
     */
    private String auroraInstanceGroup(TargetDescription target, String family, List<String> notes) {
        String writer = target.writerInstanceIdentifier();
        String today = writer == null ? null : RdsErrors.call("DescribeDBInstances " + writer,
                () -> rds.describeDBInstances(r -> r.dbInstanceIdentifier(writer))).dbInstances().stream()
                .map(DBInstance::dbParameterGroups).filter(groups -> !groups.isEmpty())
                .map(groups -> groups.get(0).dbParameterGroupName()).findFirst().orElse(null);
        String instanceGroup = "default." + family;
        if (today != null && !ParameterGroupPlanner.isDefault(today)) {
            notes.add("writer " + writer + " uses the custom DB parameter group " + today + ": to keep its settings, "
                    + "create a DB parameter group of family " + family + " with them and name it in "
                    + "--db-instance-parameter-group-name instead of " + instanceGroup);
        }
        return instanceGroup;
    }
}
