package io.cdcenabler.workflow;

import java.util.List;
import java.util.Map;

/**
 * Builds a {@link ProvisioningRequest} by name instead of by position. Unset options stay null (false for the
 * switches), so {@link #build()} gives them {@link RequestDefaults}; it validates as the record does and throws an
 * {@link InvalidInputException} naming the field.
 */
public final class ProvisioningRequestBuilder {
    private String instanceIdentifier;
    private String clusterIdentifier;
    private String database;
    private RequestTrackingMode trackingMode;
    private List<String> schemas;
    private List<String> tables;
    private RequestCredentialsMode credentialsMode;
    private String cdcUser;
    private String publication;
    private boolean publishViaPartitionRoot;
    private RebootPolicy rebootPolicy;
    private String adminSecretArn;
    private boolean copyParameterGroup;
    private Map<String, String> extraParameters;
    private Integer waitSeconds;
    private Integer waitTimeoutMinutes;
    private String source;
    private boolean adoptExistingRole;
    private String maxSlotWalKeepSize;
    private boolean releaseUpgradeHold;

    ProvisioningRequestBuilder() {
    }

    ProvisioningRequestBuilder(ProvisioningRequest request) {
        instanceIdentifier = request.instanceIdentifier();
        clusterIdentifier = request.clusterIdentifier();
        database = request.database();
        trackingMode = request.trackingMode();
        schemas = request.schemas();
        tables = request.tables();
        credentialsMode = request.credentialsMode();
        cdcUser = request.cdcUser();
        publication = request.publication();
        publishViaPartitionRoot = request.publishViaPartitionRoot();
        rebootPolicy = request.rebootPolicy();
        adminSecretArn = request.adminSecretArn();
        copyParameterGroup = request.copyParameterGroup();
        extraParameters = request.extraParameters();
        waitSeconds = request.waitSeconds();
        waitTimeoutMinutes = request.waitTimeoutMinutes();
        source = request.source();
        adoptExistingRole = request.adoptExistingRole();
        maxSlotWalKeepSize = request.maxSlotWalKeepSize();
        releaseUpgradeHold = request.releaseUpgradeHold();
    }

    public ProvisioningRequestBuilder instanceIdentifier(String value) {
        instanceIdentifier = value;
        return this;
    }

    public ProvisioningRequestBuilder clusterIdentifier(String value) {
        clusterIdentifier = value;
        return this;
    }

    public ProvisioningRequestBuilder database(String value) {
        database = value;
        return this;
    }

    public ProvisioningRequestBuilder trackingMode(RequestTrackingMode value) {
        trackingMode = value;
        return this;
    }

    public ProvisioningRequestBuilder schemas(List<String> value) {
        schemas = value;
        return this;
    }

    public ProvisioningRequestBuilder tables(List<String> value) {
        tables = value;
        return this;
    }

    public ProvisioningRequestBuilder credentialsMode(RequestCredentialsMode value) {
        credentialsMode = value;
        return this;
    }

    public ProvisioningRequestBuilder cdcUser(String value) {
        cdcUser = value;
        return this;
    }

    public ProvisioningRequestBuilder publication(String value) {
        publication = value;
        return this;
    }

    public ProvisioningRequestBuilder publishViaPartitionRoot(boolean value) {
        publishViaPartitionRoot = value;
        return this;
    }

    public ProvisioningRequestBuilder rebootPolicy(RebootPolicy value) {
        rebootPolicy = value;
        return this;
    }

    public ProvisioningRequestBuilder adminSecretArn(String value) {
        adminSecretArn = value;
        return this;
    }

    public ProvisioningRequestBuilder copyParameterGroup(boolean value) {
        copyParameterGroup = value;
        return this;
    }

    public ProvisioningRequestBuilder extraParameters(Map<String, String> value) {
        extraParameters = value;
        return this;
    }

    public ProvisioningRequestBuilder waitSeconds(Integer value) {
        waitSeconds = value;
        return this;
    }

    public ProvisioningRequestBuilder waitTimeoutMinutes(Integer value) {
        waitTimeoutMinutes = value;
        return this;
    }

    public ProvisioningRequestBuilder source(String value) {
        source = value;
        return this;
    }

    public ProvisioningRequestBuilder adoptExistingRole(boolean value) {
        adoptExistingRole = value;
        return this;
    }

    /** The WAL retention cap ({@link SlotWalCap}'s forms); null takes the default. */
    public ProvisioningRequestBuilder maxSlotWalKeepSize(String value) {
        maxSlotWalKeepSize = value;
        return this;
    }

    /** Bring back the event trigger an upgrade hold keeps away (see ProvisioningRequest). */
    public ProvisioningRequestBuilder releaseUpgradeHold(boolean value) {
        releaseUpgradeHold = value;
        return this;
    }

    /** The validated request. */
    public ProvisioningRequest build() {
        return new ProvisioningRequest(instanceIdentifier, clusterIdentifier, database, trackingMode, schemas, tables,
                credentialsMode, cdcUser, publication, publishViaPartitionRoot, rebootPolicy, adminSecretArn,
                copyParameterGroup, extraParameters, waitSeconds, waitTimeoutMinutes, source, adoptExistingRole,
                maxSlotWalKeepSize, releaseUpgradeHold);
    }
}
