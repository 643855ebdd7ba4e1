package io.cdcenabler.testing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.ApplyMethod;
import software.amazon.awssdk.services.rds.model.CopyDbClusterParameterGroupRequest;
import software.amazon.awssdk.services.rds.model.CopyDbClusterParameterGroupResponse;
import software.amazon.awssdk.services.rds.model.CopyDbParameterGroupRequest;
import software.amazon.awssdk.services.rds.model.CopyDbParameterGroupResponse;
import software.amazon.awssdk.services.rds.model.CreateDbClusterParameterGroupRequest;
import software.amazon.awssdk.services.rds.model.CreateDbClusterParameterGroupResponse;
import software.amazon.awssdk.services.rds.model.CreateDbParameterGroupRequest;
import software.amazon.awssdk.services.rds.model.CreateDbParameterGroupResponse;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DBEngineVersion;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBParameterGroupStatus;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbParameterGroupNotFoundException;
import software.amazon.awssdk.services.rds.model.DescribeDbClusterParametersRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbClusterParametersResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbClustersRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbClustersResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbEngineVersionsRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbEngineVersionsResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbInstancesResponse;
import software.amazon.awssdk.services.rds.model.DescribeDbParametersRequest;
import software.amazon.awssdk.services.rds.model.DescribeDbParametersResponse;
import software.amazon.awssdk.services.rds.model.DescribeEngineDefaultClusterParametersRequest;
import software.amazon.awssdk.services.rds.model.DescribeEngineDefaultClusterParametersResponse;
import software.amazon.awssdk.services.rds.model.DescribeEngineDefaultParametersRequest;
import software.amazon.awssdk.services.rds.model.DescribeEngineDefaultParametersResponse;
import software.amazon.awssdk.services.rds.model.Endpoint;
import software.amazon.awssdk.services.rds.model.InvalidDbClusterStateException;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;
import software.amazon.awssdk.services.rds.model.MasterUserSecret;
import software.amazon.awssdk.services.rds.model.ModifyDbClusterParameterGroupRequest;
import software.amazon.awssdk.services.rds.model.ModifyDbClusterParameterGroupResponse;
import software.amazon.awssdk.services.rds.model.ModifyDbClusterRequest;
import software.amazon.awssdk.services.rds.model.ModifyDbClusterResponse;
import software.amazon.awssdk.services.rds.model.ModifyDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.ModifyDbInstanceResponse;
import software.amazon.awssdk.services.rds.model.ModifyDbParameterGroupRequest;
import software.amazon.awssdk.services.rds.model.ModifyDbParameterGroupResponse;
import software.amazon.awssdk.services.rds.model.Parameter;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.RebootDbClusterRequest;
import software.amazon.awssdk.services.rds.model.RebootDbClusterResponse;
import software.amazon.awssdk.services.rds.model.RebootDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.RebootDbInstanceResponse;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.rds.model.UpgradeTarget;

/**
 * An in-memory RDS that models the behaviour cdc-enabler depends on, not a recording of calls: engine versions and
 * their parameter group families, default groups that refuse changes, static parameters that refuse the immediate
 * apply method, groups shared by several instances going pending-reboot together, Aurora and Multi-AZ DB clusters
 * with a writer and readers, and a reboot that shows "rebooting" for a few describes before the instance is
 * available and in-sync. Errors (throttling, InvalidDBInstanceState) can be injected per operation.
 */
public final class FakeRds implements RdsClient {
    /** How many describes of a rebooting instance or cluster show "rebooting" before it is available again. */
    public static final int REBOOTING_DESCRIBES = 2;
    /** Describes right after a parameter group change that still show the state from before it. */
    public static final int STALE_DESCRIBES = 1;
    /** Describes that show "applying" before a changed or newly attached group shows "pending-reboot". */
    public static final int APPLYING_DESCRIBES = 2;
    static final Set<String> STATIC_PARAMETERS = Set.of("rds.logical_replication", "shared_preload_libraries",
            "max_wal_senders", "max_replication_slots", "max_worker_processes", "max_connections");
    /** The PostgreSQL parameters this fake knows (a small part of RDS's list); archive_command is not modifiable. */
    static final Set<String> POSTGRES_PARAMETERS = Set.of("rds.logical_replication", "shared_preload_libraries",
            "max_wal_senders", "max_replication_slots", "max_worker_processes", "max_connections",
            "max_slot_wal_keep_size", "wal_sender_timeout", "log_min_duration_statement", "work_mem", "rds.force_ssl",
            "archive_command");
    /**
     * The PostgreSQL versions this fake offers per major (13 to 18), for both postgres and aurora-postgresql; any
     * other minor of these majors is still described (as a version RDS knows but no longer lists), but only these are
     * upgrade targets.
     */
    static final Map<String, List<String>> OFFERED_MINORS = Map.of("13", List.of("13.20"), "14", List.of("14.17"),
            "15", List.of("15.8", "15.12"), "16", List.of("16.4", "16.8"), "17", List.of("17.2", "17.4", "17.6"),
            "18", List.of("18.1"));

    private final Map<String, Group> dbGroups = new TreeMap<>();
    private final Map<String, Group> clusterGroups = new TreeMap<>();
    private final Map<String, Instance> instances = new TreeMap<>();
    private TokenBucket rateLimit;
    private int throttled;
    private final Map<String, software.amazon.awssdk.services.rds.model.BlueGreenDeployment> blueGreen =
            new java.util.TreeMap<>();
    private final Map<String, Cluster> clusters = new TreeMap<>();
    private final Map<String, Deque<RuntimeException>> failures = new HashMap<>();
    private final Map<String, Integer> calls = new TreeMap<>();
    private final Map<String, Set<String>> withdrawnVersions = new HashMap<>();
    private final int pageSize;
    private boolean asynchronousApply = true;

    public FakeRds() {
        this(2);
    }

    /** @param pageSize records per page of every list, small by default so that callers must paginate */
    public FakeRds(int pageSize) {
        this.pageSize = pageSize;
    }

    /**
     * Turns RDS's asynchronous apply on (the default) or off: with it, a describe right after ModifyDBParameterGroup
     * still shows in-sync ({@link #STALE_DESCRIBES}), then "applying" ({@link #APPLYING_DESCRIBES}) before
     * "pending-reboot", and a group attached by ModifyDBInstance / ModifyDBCluster shows up one describe late, as on
     * AWS. Off, every change shows at once.
     */
    public synchronized FakeRds asynchronousApply(boolean on) {
        asynchronousApply = on;
        return this;
    }

    /** RDS no longer offers {@code version} of {@code engine}: DescribeDBEngineVersions lists it only with IncludeAll. */
    public synchronized FakeRds withdrawVersion(String engine, String version) {
        withdrawnVersions.computeIfAbsent(engine, k -> new java.util.HashSet<>()).add(version);
        return this;
    }

    /** What a describe shows of a group while RDS applies a change asynchronously. */
    private record View(String groupName, String applyStatus) {
    }

    private static Deque<View> lag(String oldGroup, String oldStatus, String newGroup) {
        Deque<View> views = new ArrayDeque<>();
        for (int i = 0; i < STALE_DESCRIBES; i++) {
            views.add(new View(oldGroup, oldStatus));
        }
        for (int i = 0; i < APPLYING_DESCRIBES; i++) {
            views.add(new View(newGroup, "applying"));
        }
        return views;
    }

    // ---------------------------------------------------------------- model

    /** A DB parameter group or DB cluster parameter group and its user-set values. */
    public static final class Group {
        final String name;
        final String family;
        final boolean isDefault;
        final Map<String, String> values = new TreeMap<>();

        Group(String name, String family, boolean isDefault) {
            this.name = name;
            this.family = family;
            this.isDefault = isDefault;
        }

        public String family() {
            return family;
        }

        public Map<String, String> values() {
            return Map.copyOf(values);
        }

        @Override
        public String toString() {
            return name + "[" + family + (isDefault ? ",default" : "") + "]" + values;
        }
    }

    /** A DB instance; cluster members keep their cluster parameter group status here. */
    public static final class Instance {
        final String id;
        final String engine;
        String version;
        String status = "available";
        boolean multiAz;
        String groupName;
        String applyStatus = "in-sync";
        String clusterId;
        boolean writer;
        String clusterApplyStatus = "in-sync";
        String dbName;
        String secretArn;
        final Map<String, String> tags = new TreeMap<>();
        String window = "sun:05:00-sun:05:30";
        String replicaSource;
        /** GiB, as DescribeDBInstances reports AllocatedStorage; 100 unless a test sets it. */
        int allocatedStorage = 100;
        int reboots;
        int failovers;
        int rebootingLeft;
        Deque<View> lag = new ArrayDeque<>();

        Instance(String id, String engine, String version) {
            this.id = id;
            this.engine = engine;
            this.version = version;
        }

        public Instance multiAz(boolean value) {
            multiAz = value;
            return this;
        }

        public Instance tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        public Instance dbName(String value) {
            dbName = value;
            return this;
        }

        public Instance masterSecret(String arn) {
            secretArn = arn;
            return this;
        }

        /** Sets the status now; a reboot in progress no longer ends by itself (the instance stays as set). */
        public Instance status(String value) {
            status = value;
            rebootingLeft = 0;
            return this;
        }

        public Instance maintenanceWindow(String value) {
            window = value;
            return this;
        }

        public Instance allocatedStorage(int gib) {
            allocatedStorage = gib;
            return this;
        }

        public Instance readReplicaOf(String source) {
            replicaSource = source;
            return this;
        }

        public String status() {
            return status;
        }

        public String parameterGroup() {
            return groupName;
        }

        public String applyStatus() {
            return applyStatus;
        }

        public String clusterApplyStatus() {
            return clusterApplyStatus;
        }

        public int reboots() {
            return reboots;
        }

        public int failovers() {
            return failovers;
        }

        String host() {
            return id + ".abcdefghijkl.eu-west-1.rds.amazonaws.com";
        }

        @Override
        public String toString() {
            return id + "{" + engine + " " + version + "," + status + ",group=" + groupName + ":" + applyStatus
                    + ",cluster=" + clusterId + (writer ? ",writer" : "") + ":" + clusterApplyStatus + ",reboots="
                    + reboots + ",tags=" + tags + "}";
        }
    }

    /** An Aurora cluster (engine aurora-postgresql) or a Multi-AZ DB cluster (engine postgres). */
    public static final class Cluster {
        final String id;
        final String engine;
        final String version;
        String status = "available";
        String groupName;
        String dbName;
        String secretArn;
        String engineMode = "provisioned";
        /** GiB of a Multi-AZ DB cluster; Aurora reports 1 (its storage grows on its own). */
        int allocatedStorage = 100;
        final Map<String, String> tags = new TreeMap<>();
        String window = "mon:03:00-mon:03:30";
        final List<String> members = new ArrayList<>();
        int reboots;
        int rebootingLeft;
        Deque<View> lag = new ArrayDeque<>();
        String pendingGroupName;

        Cluster(String id, String engine, String version) {
            this.id = id;
            this.engine = engine;
            this.version = version;
        }

        public Cluster tag(String key, String value) {
            tags.put(key, value);
            return this;
        }

        public Cluster dbName(String value) {
            dbName = value;
            return this;
        }

        public Cluster masterSecret(String arn) {
            secretArn = arn;
            return this;
        }

        public Cluster status(String value) {
            status = value;
            return this;
        }

        public Cluster engineMode(String value) {
            engineMode = value;
            return this;
        }

        public String parameterGroup() {
            return groupName;
        }

        public int reboots() {
            return reboots;
        }

        public String status() {
            return status;
        }

        boolean aurora() {
            return engine.startsWith("aurora");
        }

        @Override
        public String toString() {
            return id + "{" + engine + " " + version + "," + status + ",group=" + groupName + ",members=" + members
                    + ",reboots=" + reboots + ",tags=" + tags + "}";
        }
    }

    /** The parameter group family RDS reports for an engine version, or null when RDS knows no such version. */
    public static String familyOf(String engine, String version) {
        String major = version.contains(".") ? version.substring(0, version.indexOf('.')) : version;
        return switch (engine) {
            case "postgres", "aurora-postgresql" -> OFFERED_MINORS.containsKey(major) ? engine + major : null;
            case "mysql" -> version.startsWith("8.0.") ? "mysql8.0" : null;
            case "aurora-mysql" -> version.startsWith("8.0.") ? "aurora-mysql8.0" : null;
            default -> null;
        };
    }

    public synchronized Instance addInstance(String id, String engine, String version) {
        String family = require(familyOf(engine, version), "unknown engine version " + engine + " " + version);
        Instance instance = new Instance(id, engine, version);
        instance.groupName = defaultGroup(dbGroups, family).name;
        instances.put(id, instance);
        return instance;
    }

    /** An Aurora PostgreSQL cluster with a writer and the given readers (instances on default groups). */
    public synchronized Cluster addAuroraCluster(String id, String version, String writer, String... readers) {
        return addCluster(id, "aurora-postgresql", version, writer, readers);
    }

    /** A Multi-AZ DB cluster (engine postgres): one writer and two readable standbys. */
    public synchronized Cluster addMultiAzCluster(String id, String version) {
        return addCluster(id, "postgres", version, id + "-instance-1", id + "-instance-2", id + "-instance-3");
    }

    private Cluster addCluster(String id, String engine, String version, String writer, String... readers) {
        String family = require(familyOf(engine, version), "unknown engine version " + engine + " " + version);
        Cluster cluster = new Cluster(id, engine, version);
        cluster.groupName = defaultGroup(clusterGroups, family).name;
        clusters.put(id, cluster);
        List<String> ids = new ArrayList<>();
        if (writer != null) {
            ids.add(writer);
        }
        ids.addAll(List.of(readers));
        for (String member : ids) {
            Instance instance = addInstance(member, engine, version);
            instance.clusterId = id;
            instance.writer = member.equals(writer);
            instance.window = cluster.window;
            cluster.members.add(member);
        }
        return cluster;
    }

    /** A custom DB parameter group with user-set values. */
    public synchronized Group addDbParameterGroup(String name, String family, Map<String, String> values) {
        Group group = new Group(name, family, false);
        group.values.putAll(values);
        dbGroups.put(name, group);
        return group;
    }

    public synchronized Group addClusterParameterGroup(String name, String family, Map<String, String> values) {
        Group group = new Group(name, family, false);
        group.values.putAll(values);
        clusterGroups.put(name, group);
        return group;
    }

    /**
     * A major version upgrade of {@code instanceId} that named no parameter group, finished: the instance runs
     * {@code version} on the new family's default group (where rds.logical_replication is 0), as RDS does.
     */
    public synchronized void upgradeEngine(String instanceId, String version) {
        Instance instance = instance(instanceId);
        String family = require(familyOf(instance.engine, version), "unknown engine version " + version);
        instance.version = version;
        instance.groupName = defaultGroup(dbGroups, family).name;
        instance.applyStatus = "in-sync";
    }

    /**
     * A major version upgrade of {@code instanceId} that named {@code group} (the command prepare-upgrade prints),
     * finished: the instance runs {@code version} on that group, its parameters in sync (the upgrade restarted it).
     * RDS refuses a group of another family, and so does this.
     */
    public synchronized void upgradeEngine(String instanceId, String version, String group) {
        Instance instance = instance(instanceId);
        String family = require(familyOf(instance.engine, version), "unknown engine version " + version);
        Group named = require(dbGroups.get(group), "no group " + group);
        if (!family.equals(named.family)) {
            throw new IllegalArgumentException("group " + group + " is of family " + named.family + ", not " + family);
        }
        instance.version = version;
        instance.groupName = group;
        instance.applyStatus = "in-sync";
    }

    /** Attaches a group as if it had been attached long ago (parameters in-sync). */
    public synchronized void useDbParameterGroup(String instanceId, String group) {
        require(dbGroups.get(group), "no group " + group);
        instance(instanceId).groupName = group;
    }

    public synchronized void useClusterParameterGroup(String clusterId, String group) {
        require(clusterGroups.get(group), "no group " + group);
        cluster(clusterId).groupName = group;
    }

    public synchronized Instance instance(String id) {
        return require(instances.get(id), "no instance " + id);
    }

    public synchronized Cluster cluster(String id) {
        return require(clusters.get(id), "no cluster " + id);
    }

    public synchronized Group dbParameterGroup(String name) {
        return dbGroups.get(name);
    }

    public synchronized Group clusterParameterGroup(String name) {
        return clusterGroups.get(name);
    }

    /** Every instance's and cluster's reboots, summed. */
    public synchronized int totalReboots() {
        return instances.values().stream().mapToInt(i -> i.reboots).sum()
                + clusters.values().stream().mapToInt(c -> c.reboots).sum();
    }

    /** The whole modelled state as text, for before/after comparisons. */
    public synchronized String snapshot() {
        return "dbGroups=" + dbGroups.values() + "\nclusterGroups=" + clusterGroups.values() + "\ninstances="
                + instances.values() + "\nclusters=" + clusters.values();
    }

    /** How many API calls were made (each page of a list counts, failed calls too). */
    public synchronized int calls() {
        return calls.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** How many calls of {@code operation} (e.g. "RebootDBInstance") were made. */
    public synchronized int calls(String operation) {
        return calls.getOrDefault(operation, 0);
    }

    /** The next call of {@code operation} (e.g. "DescribeDBInstances") throws {@code error} instead of running. */
    public synchronized void failNext(String operation, RuntimeException error) {
        failures.computeIfAbsent(operation, k -> new ArrayDeque<>()).add(error);
    }

    public static AwsServiceException throttling() {
        return error("Throttling", "Rate exceeded", 400);
    }

    public static AwsServiceException invalidInstanceState(String id) {
        return InvalidDbInstanceStateException.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("InvalidDBInstanceState").errorMessage("Instance " + id + " is not in available state.")
                .serviceName("Rds").build()).build();
    }

    private static AwsServiceException error(String code, String message, int status) {
        return RdsException.builder().statusCode(status).message(message).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode(code).errorMessage(message).serviceName("Rds").build()).build();
    }

    private static <E extends AwsServiceException.Builder> AwsServiceException typed(E builder, String code,
                                                                                     String message) {
        return builder.statusCode(code.endsWith("NotFound") ? 404 : 400).message(message)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("Rds")
                        .build()).build();
    }

    /**
     * From now on every call takes a token from a bucket of {@code burst} tokens refilled at {@code perSecond}, as RDS
     * throttles an account's API calls per Region ("Request throttling for the Amazon RDS API": by default a burst of
     * 300 and 12 per second sustained); a call without a token fails with Throttling. {@code timeScale} AWS seconds
     * pass per real second, so a simulation may run faster than AWS would.
     */
    public synchronized FakeRds rateLimit(int burst, double perSecond, double timeScale) {
        rateLimit = new TokenBucket(burst, perSecond * timeScale, System.nanoTime());
        return this;
    }

    /** How many calls the rate limit refused. */
    public synchronized int throttled() {
        return throttled;
    }

    /** RDS's per-account API bucket, refilled continuously. */
    private static final class TokenBucket {
        private final int burst;
        private final double perRealSecond;
        private double tokens;
        private long last;

        TokenBucket(int burst, double perRealSecond, long now) {
            this.burst = burst;
            this.perRealSecond = perRealSecond;
            this.tokens = burst;
            this.last = now;
        }

        boolean take(long now) {
            tokens = Math.min(burst, tokens + (now - last) / 1e9 * perRealSecond);
            last = now;
            if (tokens < 1) {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }

    private void maybeFail(String operation) {
        calls.merge(operation, 1, Integer::sum);
        if (rateLimit != null && !rateLimit.take(System.nanoTime())) {
            throttled++;
            throw throttling();
        }
        Deque<RuntimeException> queue = failures.get(operation);
        if (queue != null && !queue.isEmpty()) {
            throw queue.poll();
        }
    }

    private static <T> T require(T value, String message) {
        if (value == null) {
            throw new IllegalArgumentException(message);
        }
        return value;
    }

    private static String lower(String identifier) {
        return identifier == null ? null : identifier.toLowerCase(java.util.Locale.ROOT);
    }

    private String writerApplyStatus(Cluster cluster) {
        return cluster.members.stream().map(instances::get).filter(i -> i.writer).map(i -> i.clusterApplyStatus)
                .findFirst().orElse("in-sync");
    }

    private static Group defaultGroup(Map<String, Group> groups, String family) {
        return groups.computeIfAbsent("default." + family, name -> new Group(name, family, true));
    }

    // ---------------------------------------------------------------- RdsClient

    @Override
    public String serviceName() {
        return "rds";
    }

    @Override
    public synchronized void close() {
    }

    @Override
    public synchronized DescribeDbEngineVersionsResponse describeDBEngineVersions(DescribeDbEngineVersionsRequest request) {
        maybeFail("DescribeDBEngineVersions");
        String family = request.engine() == null || request.engineVersion() == null ? null
                : familyOf(request.engine(), request.engineVersion());
        boolean withdrawn = request.engine() != null && withdrawnVersions.getOrDefault(request.engine(), Set.of())
                .contains(request.engineVersion());
        if (withdrawn && !Boolean.TRUE.equals(request.includeAll())) {
            family = null;
        }
        List<DBEngineVersion> versions = family == null ? List.of() : List.of(DBEngineVersion.builder()
                .engine(request.engine()).engineVersion(request.engineVersion()).dbParameterGroupFamily(family)
                .validUpgradeTarget(upgradeTargets(request.engine(), request.engineVersion())).build());
        return DescribeDbEngineVersionsResponse.builder().dbEngineVersions(versions).build();
    }

    @Override
    public synchronized DescribeDbInstancesResponse describeDBInstances(DescribeDbInstancesRequest request) {
        maybeFail("DescribeDBInstances");
        if (request.dbInstanceIdentifier() != null) {
            Instance instance = instances.get(lower(request.dbInstanceIdentifier()));
            if (instance == null) {
                throw typed(DbInstanceNotFoundException.builder(), "DBInstanceNotFound",
                        "DBInstance " + request.dbInstanceIdentifier() + " not found.");
            }
            tick(instance);
            return DescribeDbInstancesResponse.builder().dbInstances(toDbInstance(instance, instance.lag.poll()))
                    .build();
        }
        Predicate<Instance> filter = i -> request.filters().stream().allMatch(f -> !"db-cluster-id".equals(f.name())
                || f.values().contains(i.clusterId));
        Page<DBInstance> page = page(instances.values().stream().filter(filter).map(this::toDbInstance).toList(),
                request.marker());
        return DescribeDbInstancesResponse.builder().dbInstances(page.items()).marker(page.marker()).build();
    }

    /**
     * A Blue/Green deployment from {@code source} (the blue instance) to {@code target} (the green one), as
     * DescribeBlueGreenDeployments shows it (Source and Target as DB instance ARNs).
     */
    public synchronized void addBlueGreenDeployment(String id, String source, String target) {
        addBlueGreenDeployment(id, source, target, "SWITCHOVER_COMPLETED");
    }

    /** As above, in {@code status} (AVAILABLE: created, not switched over yet). */
    public synchronized void addBlueGreenDeployment(String id, String source, String target, String status) {
        blueGreen.put(id, software.amazon.awssdk.services.rds.model.BlueGreenDeployment.builder()
                .blueGreenDeploymentIdentifier(id).status(status)
                .source("arn:aws:rds:eu-west-1:123456789012:db:" + source)
                .target("arn:aws:rds:eu-west-1:123456789012:db:" + target).build());
    }

    @Override
    public synchronized software.amazon.awssdk.services.rds.model.DescribeBlueGreenDeploymentsResponse
            describeBlueGreenDeployments(
            software.amazon.awssdk.services.rds.model.DescribeBlueGreenDeploymentsRequest request) {
        maybeFail("DescribeBlueGreenDeployments");
        var deployment = request.blueGreenDeploymentIdentifier() == null ? null
                : blueGreen.get(request.blueGreenDeploymentIdentifier());
        if (request.blueGreenDeploymentIdentifier() != null && deployment == null) {
            throw typed(software.amazon.awssdk.services.rds.model.BlueGreenDeploymentNotFoundException.builder(),
                    "BlueGreenDeploymentNotFoundFault", "BlueGreenDeployment "
                            + request.blueGreenDeploymentIdentifier() + " not found.");
        }
        List<software.amazon.awssdk.services.rds.model.BlueGreenDeployment> found = deployment != null
                ? List.of(deployment) : blueGreen.values().stream().filter(d -> request.filters().stream()
                        .allMatch(f -> "source".equals(f.name()) ? f.values().contains(d.source())
                                : !"target".equals(f.name()) || f.values().contains(d.target()))).toList();
        return software.amazon.awssdk.services.rds.model.DescribeBlueGreenDeploymentsResponse.builder()
                .blueGreenDeployments(found).build();
    }

    @Override
    public synchronized DescribeDbClustersResponse describeDBClusters(DescribeDbClustersRequest request) {
        maybeFail("DescribeDBClusters");
        if (request.dbClusterIdentifier() != null) {
            Cluster cluster = clusters.get(lower(request.dbClusterIdentifier()));
            if (cluster == null) {
                throw typed(DbClusterNotFoundException.builder(), "DBClusterNotFoundFault",
                        "DBCluster " + request.dbClusterIdentifier() + " not found.");
            }
            tick(cluster);
            return DescribeDbClustersResponse.builder().dbClusters(toDbCluster(cluster, cluster.lag.poll())).build();
        }
        Page<DBCluster> page = page(clusters.values().stream().map(this::toDbCluster).toList(), request.marker());
        return DescribeDbClustersResponse.builder().dbClusters(page.items()).marker(page.marker()).build();
    }

    @Override
    public synchronized DescribeDbParametersResponse describeDBParameters(DescribeDbParametersRequest request) {
        maybeFail("DescribeDBParameters");
        Group group = dbGroups.get(request.dbParameterGroupName());
        if (group == null) {
            throw groupNotFound(request.dbParameterGroupName());
        }
        Page<Parameter> page = page(parameters(group, request.source()), request.marker());
        return DescribeDbParametersResponse.builder().parameters(page.items()).marker(page.marker()).build();
    }

    @Override
    public synchronized DescribeDbClusterParametersResponse describeDBClusterParameters(DescribeDbClusterParametersRequest request) {
        maybeFail("DescribeDBClusterParameters");
        Group group = clusterGroups.get(request.dbClusterParameterGroupName());
        if (group == null) {
            throw groupNotFound(request.dbClusterParameterGroupName());
        }
        Page<Parameter> page = page(parameters(group, request.source()), request.marker());
        return DescribeDbClusterParametersResponse.builder().parameters(page.items()).marker(page.marker()).build();
    }

    @Override
    public synchronized DescribeEngineDefaultParametersResponse describeEngineDefaultParameters(
            DescribeEngineDefaultParametersRequest request) {
        maybeFail("DescribeEngineDefaultParameters");
        Page<Parameter> page = page(engineDefaults(request.dbParameterGroupFamily()), request.marker());
        return DescribeEngineDefaultParametersResponse.builder().engineDefaults(d -> d
                .dbParameterGroupFamily(request.dbParameterGroupFamily()).parameters(page.items())
                .marker(page.marker())).build();
    }

    @Override
    public synchronized DescribeEngineDefaultClusterParametersResponse describeEngineDefaultClusterParameters(
            DescribeEngineDefaultClusterParametersRequest request) {
        maybeFail("DescribeEngineDefaultClusterParameters");
        Page<Parameter> page = page(engineDefaults(request.dbParameterGroupFamily()), request.marker());
        return DescribeEngineDefaultClusterParametersResponse.builder().engineDefaults(d -> d
                .dbParameterGroupFamily(request.dbParameterGroupFamily()).parameters(page.items())
                .marker(page.marker())).build();
    }

    /**
     * ValidUpgradeTarget as RDS lists it for a PostgreSQL version: every offered higher minor of the same major
     * (IsMajorVersionUpgrade false) and every offered version of a higher major (true); none for other engines.
     */
    static List<UpgradeTarget> upgradeTargets(String engine, String version) {
        if (!"postgres".equals(engine) && !"aurora-postgresql".equals(engine)) {
            return List.of();
        }
        int major = majorOf(version);
        List<UpgradeTarget> targets = new ArrayList<>();
        OFFERED_MINORS.values().stream().flatMap(List::stream).sorted(FakeRds::compareVersions)
                .filter(v -> majorOf(v) > major || (majorOf(v) == major && compareVersions(v, version) > 0))
                .forEach(v -> targets.add(UpgradeTarget.builder().engine(engine).engineVersion(v)
                        .isMajorVersionUpgrade(majorOf(v) > major).autoUpgrade(false).build()));
        return targets;
    }

    private static int majorOf(String version) {
        return Integer.parseInt(version.contains(".") ? version.substring(0, version.indexOf('.')) : version);
    }

    private static int compareVersions(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }

    private static List<Parameter> engineDefaults(String family) {
        if (family == null || !knownFamily(family)) {
            throw error("InvalidParameterValue", "Invalid parameter group family: " + family, 400);
        }
        if (!family.contains("postgres")) {
            return List.of();
        }
        return POSTGRES_PARAMETERS.stream().sorted().map(name -> Parameter.builder().parameterName(name)
                .source("engine-default").isModifiable(!"archive_command".equals(name))
                .applyType(STATIC_PARAMETERS.contains(name) ? "static" : "dynamic").build()).toList();
    }

    @Override
    public synchronized CreateDbParameterGroupResponse createDBParameterGroup(CreateDbParameterGroupRequest request) {
        maybeFail("CreateDBParameterGroup");
        Group group = create(dbGroups, request.dbParameterGroupName(), request.dbParameterGroupFamily());
        return CreateDbParameterGroupResponse.builder().dbParameterGroup(g -> g.dbParameterGroupName(group.name)
                .dbParameterGroupFamily(group.family).description(request.description())).build();
    }

    @Override
    public synchronized CreateDbClusterParameterGroupResponse createDBClusterParameterGroup(
            CreateDbClusterParameterGroupRequest request) {
        maybeFail("CreateDBClusterParameterGroup");
        Group group = create(clusterGroups, request.dbClusterParameterGroupName(), request.dbParameterGroupFamily());
        return CreateDbClusterParameterGroupResponse.builder().dbClusterParameterGroup(g -> g
                .dbClusterParameterGroupName(group.name).dbParameterGroupFamily(group.family)).build();
    }

    @Override
    public synchronized CopyDbParameterGroupResponse copyDBParameterGroup(CopyDbParameterGroupRequest request) {
        maybeFail("CopyDBParameterGroup");
        Group copy = copy(dbGroups, request.sourceDBParameterGroupIdentifier(),
                request.targetDBParameterGroupIdentifier());
        return CopyDbParameterGroupResponse.builder().dbParameterGroup(g -> g.dbParameterGroupName(copy.name)
                .dbParameterGroupFamily(copy.family)).build();
    }

    @Override
    public synchronized CopyDbClusterParameterGroupResponse copyDBClusterParameterGroup(CopyDbClusterParameterGroupRequest request) {
        maybeFail("CopyDBClusterParameterGroup");
        Group copy = copy(clusterGroups, request.sourceDBClusterParameterGroupIdentifier(),
                request.targetDBClusterParameterGroupIdentifier());
        return CopyDbClusterParameterGroupResponse.builder().dbClusterParameterGroup(g -> g
                .dbClusterParameterGroupName(copy.name).dbParameterGroupFamily(copy.family)).build();
    }

    @Override
    public synchronized ModifyDbParameterGroupResponse modifyDBParameterGroup(ModifyDbParameterGroupRequest request) {
        maybeFail("ModifyDBParameterGroup");
        Group group = modify(dbGroups, request.dbParameterGroupName(), request.parameters());
        boolean immediate = allImmediate(request.parameters());
        instances.values().stream().filter(i -> group.name.equals(i.groupName)).forEach(i -> {
            if (asynchronousApply && i.lag.isEmpty() && "in-sync".equals(i.applyStatus)) {
                i.lag = lag(i.groupName, "in-sync", i.groupName);
            }
            if (!immediate) {
                i.applyStatus = "pending-reboot";
            }
        });
        return ModifyDbParameterGroupResponse.builder().dbParameterGroupName(group.name).build();
    }

    @Override
    public synchronized ModifyDbClusterParameterGroupResponse modifyDBClusterParameterGroup(
            ModifyDbClusterParameterGroupRequest request) {
        maybeFail("ModifyDBClusterParameterGroup");
        Group group = modify(clusterGroups, request.dbClusterParameterGroupName(), request.parameters());
        boolean immediate = allImmediate(request.parameters());
        clusters.values().stream().filter(c -> group.name.equals(c.groupName)).forEach(c -> {
            if (asynchronousApply && c.lag.isEmpty() && "in-sync".equals(writerApplyStatus(c))) {
                c.lag = lag(c.groupName, "in-sync", c.groupName);
            }
            if (!immediate) {
                c.members.forEach(m -> instances.get(m).clusterApplyStatus = "pending-reboot");
            }
        });
        return ModifyDbClusterParameterGroupResponse.builder().dbClusterParameterGroupName(group.name).build();
    }

    @Override
    public synchronized ModifyDbInstanceResponse modifyDBInstance(ModifyDbInstanceRequest request) {
        maybeFail("ModifyDBInstance");
        Instance instance = existingInstance(request.dbInstanceIdentifier());
        if (!"available".equals(instance.status)) {
            throw invalidInstanceState(instance.id);
        }
        String name = request.dbParameterGroupName();
        if (name != null && !name.equals(instance.groupName)) {
            Group group = dbGroups.get(name);
            if (group == null) {
                throw groupNotFound(name);
            }
            String family = familyOf(instance.engine, instance.version);
            if (!group.family.equals(family)) {
                throw error("InvalidParameterCombination", "The parameter group " + name + " with "
                        + "DBParameterGroupFamily " + group.family + " can't be used for this instance. Use a "
                        + "parameter group with DBParameterGroupFamily " + family + ".", 400);
            }
            if (asynchronousApply) {
                instance.lag = lag(instance.groupName, instance.applyStatus, name);
            }
            instance.groupName = name;
            instance.applyStatus = "pending-reboot";
        }
        return ModifyDbInstanceResponse.builder().dbInstance(toDbInstance(instance, null)).build();
    }

    @Override
    public synchronized ModifyDbClusterResponse modifyDBCluster(ModifyDbClusterRequest request) {
        maybeFail("ModifyDBCluster");
        Cluster cluster = existingCluster(request.dbClusterIdentifier());
        if (!"available".equals(cluster.status)) {
            throw typed(InvalidDbClusterStateException.builder(), "InvalidDBClusterStateFault",
                    "DB cluster " + cluster.id + " is not in available state.");
        }
        String name = request.dbClusterParameterGroupName();
        if (name != null && !name.equals(cluster.groupName)) {
            Group group = clusterGroups.get(name);
            if (group == null) {
                throw groupNotFound(name);
            }
            String family = familyOf(cluster.engine, cluster.version);
            if (!group.family.equals(family)) {
                throw error("InvalidParameterCombination", "The parameter group " + name + " with "
                        + "DBParameterGroupFamily " + group.family + " can't be used for this cluster.", 400);
            }
            if (!cluster.aurora() && !Boolean.TRUE.equals(request.applyImmediately())) {
                // A Multi-AZ DB cluster applies a new DB cluster parameter group in the next maintenance window
                // unless ApplyImmediately is set.
                cluster.pendingGroupName = name;
                return ModifyDbClusterResponse.builder().dbCluster(toDbCluster(cluster, null)).build();
            }
            if (asynchronousApply) {
                cluster.lag = lag(cluster.groupName, writerApplyStatus(cluster), name);
            }
            cluster.groupName = name;
            cluster.pendingGroupName = null;
            cluster.members.forEach(m -> instances.get(m).clusterApplyStatus = "pending-reboot");
        }
        return ModifyDbClusterResponse.builder().dbCluster(toDbCluster(cluster, null)).build();
    }

    @Override
    public synchronized RebootDbInstanceResponse rebootDBInstance(RebootDbInstanceRequest request) {
        maybeFail("RebootDBInstance");
        Instance instance = existingInstance(request.dbInstanceIdentifier());
        if (!"available".equals(instance.status)) {
            throw invalidInstanceState(instance.id);
        }
        boolean failover = Boolean.TRUE.equals(request.forceFailover());
        if (failover && !instance.multiAz) {
            throw error("InvalidParameterCombination", "FORCE_FAILOVER can only be set for a Multi-AZ instance", 400);
        }
        instance.reboots++;
        instance.status = "rebooting";
        instance.lag.clear();
        if (instance.clusterId != null) {
            clusters.get(instance.clusterId).lag.clear();
        }
        instance.rebootingLeft = REBOOTING_DESCRIBES;
        if (failover) {
            instance.failovers++;
        }
        return RebootDbInstanceResponse.builder().dbInstance(toDbInstance(instance, null)).build();
    }

    @Override
    public synchronized RebootDbClusterResponse rebootDBCluster(RebootDbClusterRequest request) {
        maybeFail("RebootDBCluster");
        Cluster cluster = existingCluster(request.dbClusterIdentifier());
        if (cluster.aurora()) {
            throw error("InvalidParameterValue", "RebootDBCluster is only supported for Multi-AZ DB clusters; "
                    + "reboot the Aurora writer with RebootDBInstance", 400);
        }
        if (!"available".equals(cluster.status)) {
            throw typed(InvalidDbClusterStateException.builder(), "InvalidDBClusterStateFault",
                    "DB cluster " + cluster.id + " is not in available state.");
        }
        cluster.reboots++;
        cluster.status = "rebooting";
        cluster.lag.clear();
        cluster.rebootingLeft = REBOOTING_DESCRIBES;
        cluster.members.forEach(m -> instances.get(m).status = "rebooting");
        return RebootDbClusterResponse.builder().dbCluster(toDbCluster(cluster, null)).build();
    }

    // ---------------------------------------------------------------- behaviour

    /** A describe of a rebooting instance counts down; at zero it is available and its pending values applied. */
    private void tick(Instance instance) {
        if (instance.rebootingLeft > 0 && --instance.rebootingLeft == 0) {
            instance.status = "available";
            instance.applyStatus = "in-sync";
            Cluster cluster = instance.clusterId == null ? null : clusters.get(instance.clusterId);
            if (cluster != null && cluster.aurora()) {
                instance.clusterApplyStatus = "in-sync";
            }
        }
    }

    private void tick(Cluster cluster) {
        if (cluster.rebootingLeft > 0 && --cluster.rebootingLeft == 0) {
            cluster.status = "available";
            cluster.members.forEach(m -> {
                instances.get(m).status = "available";
                instances.get(m).clusterApplyStatus = "in-sync";
            });
        }
    }

    private Group create(Map<String, Group> groups, String name, String family) {
        if (groups.containsKey(name)) {
            throw typed(DbParameterGroupAlreadyExistsException.builder(), "DBParameterGroupAlreadyExists",
                    "Parameter group " + name + " already exists");
        }
        if (name == null || !name.matches("[A-Za-z][A-Za-z0-9-]{0,254}") || name.endsWith("-") || name.contains("--")) {
            throw error("InvalidParameterValue", "Invalid parameter group name: " + name, 400);
        }
        if (family == null || !knownFamily(family)) {
            throw error("InvalidParameterValue", "ParameterGroupFamily " + family + " is not a valid family", 400);
        }
        Group group = new Group(name, family, false);
        groups.put(name, group);
        return group;
    }

    private Group copy(Map<String, Group> groups, String sourceName, String targetName) {
        Group source = groups.get(sourceName);
        if (source == null) {
            throw groupNotFound(sourceName);
        }
        if (source.isDefault) {
            throw error("InvalidParameterValue", "Cannot copy a default parameter group: " + sourceName, 400);
        }
        Group copy = create(groups, targetName, source.family);
        copy.values.putAll(source.values);
        return copy;
    }

    /**
     * Whether every parameter of a modify uses ApplyMethod immediate (only dynamic ones may, see {@link #modify}): RDS
     * then applies them without a reboot, the targets show "applying" and go back to in-sync (or stay
     * pending-reboot if something else was pending). One pending-reboot parameter makes them pending-reboot.
     */
    private static boolean allImmediate(List<Parameter> parameters) {
        return parameters.stream().allMatch(p -> p.applyMethod() == ApplyMethod.IMMEDIATE);
    }

    /** Sets values atomically: a default group, a static parameter with immediate, or >20 values refuse all. */
    private Group modify(Map<String, Group> groups, String name, List<Parameter> parameters) {
        Group group = groups.get(name);
        if (group == null) {
            throw groupNotFound(name);
        }
        if (group.isDefault) {
            // The message and code AWS returns (seen in the wild, e.g. ankane/pghero#66).
            throw error("InvalidParameterValue", "Cannot modify a default parameter group.", 400);
        }
        if (parameters.isEmpty() || parameters.size() > 20) {
            throw error("InvalidParameterValue", "1 to 20 parameters may be modified per request, got "
                    + parameters.size(), 400);
        }
        for (Parameter p : parameters) {
            if (group.family.contains("postgres") && !POSTGRES_PARAMETERS.contains(p.parameterName())) {
                throw error("InvalidParameterValue", "Could not find parameter with name: " + p.parameterName(), 400);
            }
            if ("archive_command".equals(p.parameterName())) {
                throw error("InvalidParameterValue", "The parameter archive_command cannot be modified.", 400);
            }
            if (p.applyMethod() == null) {
                throw error("InvalidParameterValue", "ApplyMethod is required for parameter " + p.parameterName(), 400);
            }
            if (p.applyMethod() == ApplyMethod.IMMEDIATE && STATIC_PARAMETERS.contains(p.parameterName())) {
                throw error("InvalidParameterCombination", "cannot use immediate apply method for static parameter",
                        400);
            }
        }
        parameters.forEach(p -> group.values.put(p.parameterName(), p.parameterValue()));
        return group;
    }

    private static boolean knownFamily(String family) {
        return family.matches("(postgres|aurora-postgresql)1[3-8]") || family.equals("mysql8.0")
                || family.equals("aurora-mysql8.0");
    }

    private static List<Parameter> parameters(Group group, String source) {
        Map<String, Parameter> all = new LinkedHashMap<>();
        if (!"user".equals(source) && group.family.contains("postgres")) {
            all.put("rds.logical_replication", Parameter.builder().parameterName("rds.logical_replication")
                    .parameterValue("0").source("engine-default").applyType("static").isModifiable(true).build());
        }
        if (source == null || "user".equals(source)) {
            group.values.forEach((name, value) -> all.put(name, Parameter.builder().parameterName(name)
                    .parameterValue(value).source("user").applyType(STATIC_PARAMETERS.contains(name) ? "static"
                            : "dynamic").isModifiable(true).build()));
        }
        return new ArrayList<>(all.values());
    }

    private record Page<T>(List<T> items, String marker) {
    }

    private <T> Page<T> page(List<T> all, String marker) {
        int from = marker == null ? 0 : Integer.parseInt(marker);
        int to = Math.min(all.size(), from + pageSize);
        return new Page<>(all.subList(from, to), to < all.size() ? String.valueOf(to) : null);
    }

    private Instance existingInstance(String id) {
        Instance instance = instances.get(lower(id));
        if (instance == null) {
            throw typed(DbInstanceNotFoundException.builder(), "DBInstanceNotFound", "DBInstance " + id
                    + " not found.");
        }
        return instance;
    }

    private Cluster existingCluster(String id) {
        Cluster cluster = clusters.get(lower(id));
        if (cluster == null) {
            throw typed(DbClusterNotFoundException.builder(), "DBClusterNotFoundFault", "DBCluster " + id
                    + " not found.");
        }
        return cluster;
    }

    private static AwsServiceException groupNotFound(String name) {
        return typed(DbParameterGroupNotFoundException.builder(), "DBParameterGroupNotFound",
                "DBParameterGroup not found: " + name);
    }

    private static List<Tag> tags(Map<String, String> tags) {
        return tags.entrySet().stream().map(e -> Tag.builder().key(e.getKey()).value(e.getValue()).build()).toList();
    }

    private DBInstance toDbInstance(Instance i) {
        return toDbInstance(i, null);
    }

    /** The instance as a describe shows it; {@code view} (while a change applies) overrides its group and status. */
    private DBInstance toDbInstance(Instance i, View view) {
        Cluster cluster = i.clusterId == null ? null : clusters.get(i.clusterId);
        Function<String, MasterUserSecret> secret = arn -> arn == null ? null
                : MasterUserSecret.builder().secretArn(arn).secretStatus("active").build();
        return DBInstance.builder()
                .dbInstanceIdentifier(i.id)
                .dbInstanceArn("arn:aws:rds:eu-west-1:123456789012:db:" + i.id)
                .engine(i.engine)
                .engineVersion(i.version)
                .dbInstanceStatus(i.status)
                .multiAZ(i.multiAz)
                .allocatedStorage(cluster != null && cluster.aurora() ? 1 : i.allocatedStorage)
                .dbName(i.dbName != null ? i.dbName : cluster == null ? null : cluster.dbName)
                .dbParameterGroups(DBParameterGroupStatus.builder()
                        .dbParameterGroupName(view == null ? i.groupName : view.groupName())
                        .parameterApplyStatus(view == null ? i.applyStatus : view.applyStatus()).build())
                .endpoint("creating".equals(i.status) ? null
                        : Endpoint.builder().address(i.host()).port(5432).hostedZoneId("Z29XKXDKYMONMX").build())
                .dbClusterIdentifier(i.clusterId)
                .readReplicaSourceDBInstanceIdentifier(i.replicaSource)
                .masterUserSecret(secret.apply(cluster == null ? i.secretArn : null))
                .preferredMaintenanceWindow(i.window)
                .tagList(tags(i.tags))
                .build();
    }

    private DBCluster toDbCluster(Cluster c) {
        return toDbCluster(c, null);
    }

    /** The cluster as a describe shows it; {@code view} (while a change applies) overrides its group and status. */
    private DBCluster toDbCluster(Cluster c, View view) {
        List<DBClusterMember> members = c.members.stream().map(instances::get).map(i -> DBClusterMember.builder()
                .dbInstanceIdentifier(i.id).isClusterWriter(i.writer).dbClusterParameterGroupStatus(
                        view == null ? i.clusterApplyStatus : view.applyStatus()).promotionTier(1).build()).toList();
        return DBCluster.builder()
                .dbClusterIdentifier(c.id)
                .dbClusterArn("arn:aws:rds:eu-west-1:123456789012:cluster:" + c.id)
                .engine(c.engine)
                .engineVersion(c.version)
                .engineMode(c.aurora() ? c.engineMode : null)
                .status(c.status)
                .multiAZ(!c.aurora() || c.members.size() > 1)
                .allocatedStorage(c.aurora() ? 1 : c.allocatedStorage)
                .dbClusterParameterGroup(view == null ? c.groupName : view.groupName())
                .dbClusterMembers(members)
                .endpoint(c.members.isEmpty() ? null : c.id + ".cluster-abcdefghijkl.eu-west-1.rds.amazonaws.com")
                .readerEndpoint(c.id + ".cluster-ro-abcdefghijkl.eu-west-1.rds.amazonaws.com")
                .port(5432)
                .databaseName(c.dbName)
                .masterUserSecret(c.secretArn == null ? null
                        : MasterUserSecret.builder().secretArn(c.secretArn).secretStatus("active").build())
                .preferredMaintenanceWindow(c.window)
                .tagList(tags(c.tags))
                .build();
    }
}
