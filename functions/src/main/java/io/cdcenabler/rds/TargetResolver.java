package io.cdcenabler.rds;

import io.cdcenabler.contract.RdsEvents;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.InstanceBusyException;
import io.cdcenabler.workflow.NotPostgresException;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.SlotWalCap;
import io.cdcenabler.workflow.TargetDescription;
import io.cdcenabler.workflow.TargetNotFoundException;
import io.cdcenabler.workflow.Topology;
import io.cdcenabler.workflow.WorkflowException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterMember;
import software.amazon.awssdk.services.rds.model.DBEngineVersion;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.MasterUserSecret;
import software.amazon.awssdk.services.rds.model.Tag;

/**
 * DescribeTarget: turns a manual request or an EventBridge RDS event into a {@link TargetDescription}. Problems with
 * an event (not PostgreSQL, no opt-in tag, a reader, gone) end as a skip with the reason; the same problems in a
 * manual request are named errors.
 *
 * <p>Aurora: the cluster-created event (RDS-EVENT-0170) arrives before the cluster has instances, so a cluster
 * without a writer is skipped and the writer's own RDS-EVENT-0005 provisions the cluster; events of readers are
 * skipped. Duplicate executions for one cluster are harmless because every step is idempotent.
 */
public final class TargetResolver {
    /** Created, cluster created, restored from snapshot, point-in-time restore. */
    public static final Set<String> HANDLED_EVENTS = Set.copyOf(RdsEvents.HANDLED_EVENT_IDS);
    static final String POSTGRES = "postgres";
    static final String AURORA_POSTGRES = "aurora-postgresql";
    private static final String DEFAULT_DATABASE = "postgres";
    private static final Logger LOG = LoggerFactory.getLogger(TargetResolver.class);

    private final RdsClient rds;
    private final EventDefaults defaults;
    /**
     * The parameter group family of each engine version this resolver has described: RDS never changes it, and a
     * warm function (CheckDrift across a fleet) otherwise asks DescribeDBEngineVersions once per target.
     */
    private final java.util.Map<String, String> families = new java.util.concurrent.ConcurrentHashMap<>();

    public TargetResolver(RdsClient rds, EventDefaults defaults) {
        this.rds = Objects.requireNonNull(rds, "rds");
        this.defaults = Objects.requireNonNull(defaults, "defaults");
    }

    /** Describes the target of a manual request; every problem is a named error. */
    public TargetDescription describe(ProvisioningRequest request) {
        return resolve(request, false);
    }

    /** Describes the target of an RDS event; every problem ends as a skip with the reason. */
    public TargetDescription describe(RdsEvent event) {
        if (!HANDLED_EVENTS.contains(event.eventId())) {
            return skipped(event.sourceIdentifier(), "event " + event.eventId() + " is not a create or restore event "
                    + HANDLED_EVENTS);
        }
        ProvisioningRequest request;
        try {
            request = Requests.fromEvent(event, defaults);
        } catch (InvalidInputException e) {
            return skipped(event.sourceIdentifier(), e.getMessage());
        }
        return resolve(request, true);
    }

    private TargetDescription resolve(ProvisioningRequest request, boolean event) {
        try {
            return request.isCluster()
                    ? resolveCluster(request, describeCluster(request.clusterIdentifier()), List.of(), event)
                    : resolveInstance(request, event);
        } catch (TargetNotFoundException | NotPostgresException | InvalidInputException e) {
            if (event) {
                return skipped(request.identifier(), e.getMessage());
            }
            throw e;
        }
    }

    private TargetDescription resolveInstance(ProvisioningRequest request, boolean event) {
        DBInstance instance = RdsErrors.call("DescribeDBInstances " + request.instanceIdentifier(),
                () -> rds.describeDBInstances(r -> r.dbInstanceIdentifier(request.instanceIdentifier())))
                .dbInstances().stream().findFirst()
                .orElseThrow(() -> notFound("DB instance", request.instanceIdentifier()));
        requirePostgres(instance.engine(), "DB instance " + instance.dbInstanceIdentifier());
        if (instance.dbClusterIdentifier() != null) {
            DBCluster cluster = describeCluster(instance.dbClusterIdentifier());
            boolean writer = cluster.dbClusterMembers().stream().anyMatch(
                    m -> instance.dbInstanceIdentifier().equals(m.dbInstanceIdentifier()) && isTrue(m.isClusterWriter()));
            if (event && !writer) {
                return skipped(instance.dbInstanceIdentifier(), "DB instance " + instance.dbInstanceIdentifier()
                        + " is a reader of cluster " + cluster.dbClusterIdentifier()
                        + "; the writer's event provisions the cluster");
            }
            return resolveCluster(Requests.forCluster(request, cluster.dbClusterIdentifier()), cluster,
                    instance.tagList(), event);
        }
        if (instance.readReplicaSourceDBInstanceIdentifier() != null) {
            throw new InvalidInputException("instanceIdentifier " + instance.dbInstanceIdentifier()
                    + " is a read replica of " + instance.readReplicaSourceDBInstanceIdentifier()
                    + "; logical replication is set up on the source: name it instead");
        }
        requireOptIn(instance.tagList(), List.of(), "DB instance " + instance.dbInstanceIdentifier());
        String family = family(instance.engine(), instance.engineVersion());
        if (instance.dbParameterGroups().isEmpty()) {
            throw new InvalidInputException("DB instance " + instance.dbInstanceIdentifier()
                    + " reports no DB parameter group");
        }
        if (instance.endpoint() == null || instance.endpoint().address() == null) {
            throw new InstanceBusyException("DB instance " + instance.dbInstanceIdentifier()
                    + " has no endpoint yet (status " + instance.dbInstanceStatus() + ")");
        }
        Topology topology = isTrue(instance.multiAZ()) ? Topology.MULTI_AZ_INSTANCE : Topology.SINGLE_INSTANCE;
        TargetDescription description = new TargetDescription(false, null,
                Requests.withCap(request, instance.allocatedStorage(), event), topology, instance.engine(),
                instance.engineVersion(), family, instance.dbParameterGroups().get(0).dbParameterGroupName(),
                instance.dbParameterGroups().get(0).parameterApplyStatus(), instance.dbInstanceIdentifier(),
                instance.endpoint().address(), portOf(instance.endpoint().port()),
                database(request, instance.dbName()), secretArn(instance.masterUserSecret()),
                instance.allocatedStorage(), BlueGreenNotes.of(rds, instance.dbInstanceArn()));
        log(description);
        return description;
    }

    private TargetDescription resolveCluster(ProvisioningRequest request, DBCluster cluster, List<Tag> memberTags,
                                             boolean event) {
        String subject = "DB cluster " + cluster.dbClusterIdentifier();
        requirePostgres(cluster.engine(), subject);
        if (cluster.engineMode() != null && !"provisioned".equals(cluster.engineMode())) {
            throw new InvalidInputException(subject + " runs in engine mode " + cluster.engineMode()
                    + ", which does not support logical replication; use a provisioned or Serverless v2 cluster");
        }
        requireOptIn(cluster.tagList(), memberTags, subject);
        Topology topology = AURORA_POSTGRES.equals(cluster.engine()) ? Topology.AURORA_CLUSTER
                : Topology.MULTI_AZ_CLUSTER;
        DBClusterMember writer = writerOf(cluster).orElseThrow(() -> new InvalidInputException(subject
                + " has no writer instance yet; add one (an Aurora writer's creation event starts provisioning)"));
        String family = family(cluster.engine(), cluster.engineVersion());
        if (cluster.endpoint() == null) {
            throw new InstanceBusyException(subject + " has no writer endpoint yet (status " + cluster.status() + ")");
        }
        // Aurora reports an AllocatedStorage of 1: its storage grows on its own, so a share has nothing to take.
        Integer storage = topology == Topology.AURORA_CLUSTER ? null : cluster.allocatedStorage();
        TargetDescription description = new TargetDescription(false, null, Requests.withCap(request, storage, event),
                topology, cluster.engine(),
                cluster.engineVersion(), family, cluster.dbClusterParameterGroup(),
                writer.dbClusterParameterGroupStatus(),
                topology == Topology.AURORA_CLUSTER ? writer.dbInstanceIdentifier() : null,
                cluster.endpoint(), portOf(cluster.port()), database(request, cluster.databaseName()),
                secretArn(cluster.masterUserSecret()), storage, BlueGreenNotes.of(rds, cluster.dbClusterArn()));
        log(description);
        return description;
    }

    static Optional<DBClusterMember> writerOf(DBCluster cluster) {
        return cluster.dbClusterMembers().stream().filter(m -> isTrue(m.isClusterWriter())).findFirst();
    }

    private DBCluster describeCluster(String identifier) {
        return RdsErrors.call("DescribeDBClusters " + identifier,
                        () -> rds.describeDBClusters(r -> r.dbClusterIdentifier(identifier)))
                .dbClusters().stream().findFirst().orElseThrow(() -> notFound("DB cluster", identifier));
    }

    /**
     * The parameter group family, as RDS reports it for this engine version; never guessed. IncludeAll: without it
     * RDS lists only the versions it still offers for new databases, and a database on an older minor version would
     * find no family.
     */
    private String family(String engine, String engineVersion) {
        String key = engine + " " + engineVersion;
        String known = families.get(key);
        if (known != null) {
            return known;
        }
        List<DBEngineVersion> versions = RdsErrors.call("DescribeDBEngineVersions " + engine + " " + engineVersion,
                () -> rds.describeDBEngineVersions(r -> r.engine(engine).engineVersion(engineVersion)
                        .includeAll(true)))
                .dbEngineVersions();
        String family = versions.stream().map(DBEngineVersion::dbParameterGroupFamily).filter(Objects::nonNull)
                .findFirst().orElseThrow(() -> new InvalidInputException("RDS reports no parameter group family for "
                        + "engine " + engine + " version " + engineVersion));
        families.put(key, family);
        return family;
    }

    private static void requirePostgres(String engine, String subject) {
        if (!POSTGRES.equals(engine) && !AURORA_POSTGRES.equals(engine)) {
            throw new NotPostgresException(subject + " runs engine " + engine + ", expected " + POSTGRES + " or "
                    + AURORA_POSTGRES);
        }
    }

    private void requireOptIn(List<Tag> tags, List<Tag> memberTags, String subject) {
        if (!defaults.optInRequired() || hasOptIn(tags) || hasOptIn(memberTags)) {
            return;
        }
        throw new InvalidInputException(subject + " lacks the opt-in tag " + defaults.optInTagKey() + "="
                + defaults.optInTagValue() + "; add the tag to provision it");
    }

    private boolean hasOptIn(List<Tag> tags) {
        return tags != null && tags.stream().anyMatch(t -> defaults.optInTagKey().equals(t.key())
                && t.value() != null && defaults.optInTagValue().toLowerCase(Locale.ROOT)
                .equals(t.value().toLowerCase(Locale.ROOT)));
    }

    private static String database(ProvisioningRequest request, String fromRds) {
        if (request.database() != null && !request.database().isBlank()) {
            return request.database();
        }
        return fromRds == null || fromRds.isBlank() ? DEFAULT_DATABASE : fromRds;
    }

    private static String secretArn(MasterUserSecret secret) {
        return secret == null ? null : secret.secretArn();
    }

    private static int portOf(Integer port) {
        return port == null ? 5432 : port;
    }

    static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }

    private static WorkflowException notFound(String kind, String identifier) {
        return new TargetNotFoundException("no " + kind + " has the identifier " + identifier);
    }

    private static TargetDescription skipped(String identifier, String reason) {
        DecisionLog.decision(LOG, "DescribeTarget", identifier, "skipped", true, "reason", reason);
        return TargetDescription.skip(reason);
    }

    private static void log(TargetDescription d) {
        DecisionLog.decision(LOG, "DescribeTarget", d.request().identifier(), "source", d.request().source(),
                "topology", d.topology(), "engine", d.engine(), "engineVersion", d.engineVersion(), "family",
                d.family(), "parameterGroup", d.parameterGroupName(), "parameterApplyStatus",
                d.parameterApplyStatus(), "writer", d.writerInstanceIdentifier(), "endpoint", d.endpointHost(),
                "database", d.database(), "masterSecret", d.masterSecretArn() != null, "maxSlotWalKeepSize",
                SlotWalCap.describe(d.request().maxSlotWalKeepSize()));
    }
}
