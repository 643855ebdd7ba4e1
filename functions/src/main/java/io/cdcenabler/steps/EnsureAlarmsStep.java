package io.cdcenabler.steps;

import io.cdcenabler.alarms.AlarmChanges;
import io.cdcenabler.alarms.AlarmEnsurer;
import io.cdcenabler.alarms.AlarmPlanner;
import io.cdcenabler.alarms.AlarmStore;
import io.cdcenabler.alarms.AlarmTarget;
import io.cdcenabler.alarms.AlarmThresholds;
import io.cdcenabler.contract.EnvironmentVariables;
import io.cdcenabler.workflow.LogLines;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.Topology;
import io.cdcenabler.workflow.WorkflowState;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * EnsureAlarms: after Verify proved the database ready, brings the target's guardrail alarms (instance: by
 * DBInstanceIdentifier; Aurora: the cluster's WRITER role) to the plan, with actions to the stack's SNS topic. A
 * re-run writes nothing. A Multi-AZ DB cluster gets no alarms (see {@link AlarmTarget#of}) and says so.
 */
public final class EnsureAlarmsStep {
    private static final Logger LOG = LoggerFactory.getLogger(EnsureAlarmsStep.class);

    private final AlarmStore store;
    private final String topicArn;

    /**
     * @param store the alarm service
     * @param topicArn the SNS topic the alarms notify, from the function's environment; null when the variable is
     *                 missing, which {@link #ensure} reports as a configuration error before any call
     */
    public EnsureAlarmsStep(AlarmStore store, String topicArn) {
        this.store = Objects.requireNonNull(store, "store");
        this.topicArn = topicArn;
    }

    /** What the step did: the alarm names per outcome, or why the target has none. */
    public record AlarmsOutcome(boolean skipped, String skipReason, List<String> created, List<String> updated,
                                List<String> deleted, List<String> unchanged, List<String> foreign) {
        static AlarmsOutcome of(AlarmChanges changes) {
            return new AlarmsOutcome(false, null, changes.created(), changes.updated(), changes.deleted(),
                    changes.unchanged(), changes.foreign());
        }

        static AlarmsOutcome skipped(String reason) {
            return new AlarmsOutcome(true, reason, List.of(), List.of(), List.of(), List.of(), List.of());
        }
    }

    public AlarmsOutcome ensure(WorkflowState state) {
        TargetDescription target = state.requireTarget();
        String identifier = target.request().identifier();
        if (target.topology() == Topology.MULTI_AZ_CLUSTER) {
            String reason = "no guardrail alarms for the Multi-AZ DB cluster " + identifier + ": which slot metrics "
                    + "RDS publishes for its writer is not established; watch it with `cdc-enabler slots`";
            LOG.info(LogLines.json("step", "alarms", "skipped", reason));
            return AlarmsOutcome.skipped(reason);
        }
        if (topicArn == null || topicArn.isBlank()) {
            throw new IllegalStateException("environment variable " + EnvironmentVariables.ALARM_TOPIC_ARN
                    + " is not set: the stack sets it to the guardrail SNS topic's ARN; no alarm was changed");
        }
        AlarmEnsurer ensurer = new AlarmEnsurer(store, new AlarmPlanner(topicArn, AlarmThresholds.DEFAULTS));
        return AlarmsOutcome.of(ensurer.ensure(AlarmTarget.of(target.topology(), identifier)));
    }
}
