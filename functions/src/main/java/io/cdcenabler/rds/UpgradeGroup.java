package io.cdcenabler.rds;

import java.util.Map;

/**
 * Our own parameter group of the family a major version upgrade moves the target to, as
 * {@link ParameterGroupEnsurer#ensureForFamily} found or made it.
 *
 * @param groupName {@code cdc-enabler-<identifier>-<family>}: a DB parameter group for an instance, a DB cluster
 *     parameter group for an Aurora or Multi-AZ DB cluster
 * @param kind "DB" or "DB cluster", as RDS names the kind of group
 * @param parameters every value the group holds: what enrolment sets for the request, the values set by a user in
 *     the group in effect today over them (when it is not a default group), and rds.logical_replication=1
 * @param change what the group needed: {@link Change#CREATE}, {@link Change#UPDATE} (it existed without some of the
 *     values) or {@link Change#NONE}
 * @param toSet the values that were (or, in a dry run, would be) set
 * @param applied false in a dry run: nothing was changed
 */
public record UpgradeGroup(String groupName, String kind, String family, Map<String, String> parameters,
                           Change change, Map<String, String> toSet, boolean applied) {

    public UpgradeGroup {
        parameters = Map.copyOf(parameters);
        toSet = Map.copyOf(toSet);
    }

    /** What the group of the new family needed. */
    public enum Change {
        /** It did not exist. */
        CREATE,
        /** It existed without some of the values. */
        UPDATE,
        /** It existed with every value: a re-run changes nothing. */
        NONE
    }
}
