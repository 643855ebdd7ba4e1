package io.cdcenabler.rds;

import io.cdcenabler.workflow.Drift;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.TargetDriftCheck;
import io.cdcenabler.workflow.TargetNotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * The RDS half of the drift check: DescribeTarget's describe of the stored request, then the user-set values of the
 * group in effect compared with what EnsureParameterGroup plans ({@link ParameterGroupPlanner#desiredParameters}).
 * Only Describe calls: nothing is created, modified or attached.
 *
 * <p>ENGINE_MAJOR is read from the group's name: our own group carries its family in its name
 * ({@link ParameterGroupPlanner#ownGroupName}), so a recorded group of ours that is not the one of the engine's
 * family now means a major upgrade landed (RDS moves an upgraded target to a group of the new family, usually the
 * default one). The family of a customer's own group, modified in place at enrolment, is not checked.
 */
public final class RdsDriftCheck implements TargetDriftCheck {
    private static final String PENDING_REBOOT = "pending-reboot";
    private static final Logger LOG = LoggerFactory.getLogger(RdsDriftCheck.class);

    private final RdsClient rds;
    private final TargetResolver resolver;
    private final ParameterGroupPlanner planner = new ParameterGroupPlanner();

    public RdsDriftCheck(RdsClient rds, EventDefaults defaults) {
        this.rds = Objects.requireNonNull(rds, "rds");
        this.resolver = new TargetResolver(rds, defaults);
    }

    @Override
    public Inspection inspect(ProvisioningRequest request, String parameterGroupName) {
        Objects.requireNonNull(parameterGroupName, "parameterGroupName");
        TargetDescription target;
        try {
            target = resolver.describe(request);
        } catch (TargetNotFoundException e) {
            return Inspection.gone(e.getMessage());
        }
        String subject = (target.request().isCluster() ? "DB cluster " : "DB instance ")
                + target.request().identifier();
        String inEffect = target.parameterGroupName();
        List<Drift> drifts = new ArrayList<>();
        if (!parameterGroupName.equals(inEffect)) {
            drifts.add(new Drift(Drift.PARAMETER_GROUP, subject + " uses parameter group " + inEffect + ", not "
                    + parameterGroupName + " recorded at enrolment"));
        }
        engineMajor(target, parameterGroupName, subject).ifPresent(drifts::add);
        drifts.addAll(parameterValues(target, inEffect));
        boolean rebootNeeded = PENDING_REBOOT.equals(target.parameterApplyStatus());
        DecisionLog.decision(LOG, "CheckDrift", target.request().identifier(), "parameterGroup", inEffect,
                "recorded", parameterGroupName, "parameterApplyStatus", target.parameterApplyStatus(),
                "drifts", drifts.stream().map(Drift::kind).toList());
        return new Inspection(target, drifts, rebootNeeded);
    }

    /** The planned values the group in effect lacks or holds with another value (a default group holds none). */
    private List<Drift> parameterValues(TargetDescription target, String inEffect) {
        Map<String, String> current = ParameterGroupPlanner.isDefault(inEffect) ? Map.of()
                : groups(target).userParameters(inEffect);
        List<Drift> drifts = new ArrayList<>();
        ParameterGroupPlanner.missing(planner.desiredParameters(target.request()), current).forEach(
                (name, want) -> drifts.add(new Drift(Drift.PARAMETER_VALUE, "parameter group " + inEffect + " has "
                        + name + (current.containsKey(name) ? "=" + current.get(name) : " unset") + ", want "
                        + want)));
        return drifts;
    }

    private static java.util.Optional<Drift> engineMajor(TargetDescription target, String recorded,
                                                         String subject) {
        String identifier = target.request().identifier();
        String own = ParameterGroupPlanner.ownGroupName(identifier, target.family());
        String ownOfAnyFamily = ParameterGroupPlanner.ownGroupName(identifier, "x");
        String ownPrefix = ownOfAnyFamily.substring(0, ownOfAnyFamily.length() - 1);
        if (!recorded.startsWith(ownPrefix) || recorded.equals(own)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Drift(Drift.ENGINE_MAJOR, subject + " runs " + target.engine() + " "
                + target.engineVersion() + " of family " + target.family() + ", but parameter group " + recorded
                + " recorded at enrolment is of another family; enrolling again makes " + own));
    }

    private ParameterGroups groups(TargetDescription target) {
        return target.request().isCluster() ? new ClusterParameterGroups(rds) : new InstanceParameterGroups(rds);
    }
}
