package io.cdcenabler.rds;

import java.util.Map;

/**
 * What EnsureParameterGroup will do to get rds.logical_replication=1 into the group in effect.
 *
 * @param groupName the group that will hold the parameters (new, copied, or the one in effect)
 * @param sourceGroupName the group in effect now (the copy's source for {@link Action#COPY})
 * @param parameters the values to set (for CREATE and COPY: every desired value; the ensurer sets only missing ones)
 */
public record ParameterGroupPlan(Action action, String groupName, String sourceGroupName,
                                 Map<String, String> parameters) {

    public ParameterGroupPlan {
        parameters = Map.copyOf(parameters);
    }

    /** The kinds of change, from none to a new group. */
    public enum Action {
        /** The group in effect already has every desired value. */
        NOTHING,
        /** The group in effect is a default group: create (or reuse) our own group of the family and attach it. */
        CREATE,
        /** Copy the custom group in effect to our own group (keeps its settings), set the values, attach it. */
        COPY,
        /** Set the values in the custom group in effect; every target sharing it goes pending-reboot too. */
        MODIFY_IN_PLACE
    }
}
