package io.cdcenabler.reconcile;

import io.cdcenabler.rds.RdsErrors;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * {@link TaggedTargets} through paged DescribeDBInstances and DescribeDBClusters (each returns the resources' tags in
 * TagList, so no ListTagsForResource per target). Reads only; read replicas and other engines are left to
 * DescribeTarget, which skips them with the reason.
 */
public final class RdsTaggedTargets implements TaggedTargets {
    private static final Set<String> ENGINES = Set.of("postgres", "aurora-postgresql");

    private final RdsClient rds;
    private final String tagKey;
    private final String tagValue;

    public RdsTaggedTargets(RdsClient rds, String tagKey, String tagValue) {
        this.rds = Objects.requireNonNull(rds, "rds");
        this.tagKey = tagKey;
        this.tagValue = tagValue == null ? "" : tagValue.toLowerCase(Locale.ROOT);
    }

    @Override
    public List<Tagged> list() {
        if (tagKey == null || tagKey.isBlank()) {
            throw new IllegalStateException("no opt-in tag is configured (CDC_OPT_IN_TAG_KEY): enrolling a fleet "
                    + "by tag needs one; nothing was enrolled");
        }
        List<Tagged> tagged = new ArrayList<>();
        String marker = null;
        do {
            String page = marker;
            var response = RdsErrors.call("DescribeDBInstances", () -> rds.describeDBInstances(r -> r.marker(page)));
            for (DBInstance instance : response.dbInstances()) {
                if (instance.dbClusterIdentifier() == null && ENGINES.contains(instance.engine())
                        && tagged(instance.tagList())) {
                    tagged.add(new Tagged(instance.dbInstanceIdentifier(), false));
                }
            }
            marker = response.marker();
        } while (marker != null);
        do {
            String page = marker;
            var response = RdsErrors.call("DescribeDBClusters", () -> rds.describeDBClusters(r -> r.marker(page)));
            for (DBCluster cluster : response.dbClusters()) {
                if (ENGINES.contains(cluster.engine()) && tagged(cluster.tagList())) {
                    tagged.add(new Tagged(cluster.dbClusterIdentifier(), true));
                }
            }
            marker = response.marker();
        } while (marker != null);
        return List.copyOf(tagged);
    }

    private boolean tagged(List<Tag> tags) {
        return tags != null && tags.stream().anyMatch(t -> tagKey.equals(t.key()) && t.value() != null
                && t.value().toLowerCase(Locale.ROOT).equals(tagValue));
    }
}
