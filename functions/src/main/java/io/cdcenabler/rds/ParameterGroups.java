package io.cdcenabler.rds;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.Parameter;

/**
 * The parameter groups of one kind of target, as EnsureParameterGroup uses them: DB parameter groups of a DB
 * instance ({@link InstanceParameterGroups}) or DB cluster parameter groups of an Aurora or Multi-AZ DB cluster
 * ({@link ClusterParameterGroups}). {@link #of} picks the adapter once from the live target, so no caller threads
 * a "cluster" flag through its calls.
 */
interface ParameterGroups {
    String DESCRIPTION = "cdc-enabler: logical replication for change data capture";

    static ParameterGroups of(RdsClient rds, LiveTarget live) {
        return live.isCluster() ? new ClusterParameterGroups(rds) : new InstanceParameterGroups(rds);
    }

    /** "DB" or "DB cluster", as RDS names the kind of group in its messages. */
    String kind();

    /** Each parameter of the family's engine defaults, with whether RDS lets a user modify it, across every page. */
    Map<String, Boolean> modifiableInFamily(String family);

    /** The values set by a user in {@code group} (Source=user), across every page. */
    Map<String, String> userParameters(String group);

    /** The values set by a user in {@code group}, or empty when no group of this kind has that name. */
    default Optional<Map<String, String>> userParametersIfExists(String group) {
        try {
            return Optional.of(userParameters(group));
        } catch (DbParameterGroupNotFoundException e) {
            return Optional.empty();
        }
    }

    /** Creates {@code name} in {@code family}; false when it already exists. */
    boolean create(String name, String family);

    /** Copies {@code source} to {@code name}; false when {@code name} already exists. */
    boolean copy(String source, String name);

    /** One ModifyDB(Cluster)ParameterGroup call with at most 20 parameters. */
    void modify(String group, List<Parameter> batch);

    /** Makes {@code group} the target's group in effect. */
    void attach(LiveTarget live, String group);

    /** The other targets of this kind that use {@code group}, sorted. */
    List<String> sharers(String group, LiveTarget live);
}
