package io.cdcenabler.steps;

import io.cdcenabler.postgres.CdcEnablerException;
import io.cdcenabler.postgres.CredentialsMode;
import io.cdcenabler.postgres.InvalidSpecException;
import io.cdcenabler.postgres.ProvisioningSpec;
import io.cdcenabler.postgres.TableName;
import io.cdcenabler.postgres.TrackingMode;
import io.cdcenabler.workflow.InvalidInputException;
import io.cdcenabler.workflow.ProvisioningRequest;
import io.cdcenabler.workflow.RequestCredentialsMode;
import io.cdcenabler.workflow.RequestTrackingMode;

/**
 * The engine's spec for a workflow request. DescribeTarget and {@code cdc-enabler start} build it before anything
 * changes, so a name the engine refuses (a table that is not schema.table, a publication longer than 63 bytes) fails
 * first, not in Provision after a reboot.
 */
public final class ProvisioningSpecs {
    private ProvisioningSpecs() {
    }

    /** The spec, or an {@link InvalidInputException} naming the field when the request cannot be one. */
    public static ProvisioningSpec of(ProvisioningRequest request) {
        try {
            return ProvisioningSpec.builder()
                    .trackingMode(trackingMode(request.trackingMode()))
                    .schemas(request.schemas())
                    .tables(request.tables().stream().map(TableName::parse).toList())
                    .credentialsMode(credentialsMode(request.credentialsMode()))
                    .cdcUser(request.cdcUser())
                    .publication(request.publication())
                    .publishViaPartitionRoot(request.publishViaPartitionRoot())
                    .build()
                    .withAdoptExistingRole(request.adoptExistingRole())
                    .withReleaseUpgradeHold(request.releaseUpgradeHold());
        } catch (InvalidSpecException e) {
            throw new InvalidInputException(e.getMessage(), e);
        } catch (CdcEnablerException e) {
            throw ErrorTranslation.translate(e, "request of " + request.identifier());
        }
    }

    /** The engine's mode for the request's; exhaustive, so a mode added to the request fails to compile here. */
    static TrackingMode trackingMode(RequestTrackingMode mode) {
        return switch (mode) {
            case ALL_TABLES -> TrackingMode.ALL_TABLES;
            case SELECTED_TABLES -> TrackingMode.SELECTED_TABLES;
        };
    }

    /** The engine's mode for the request's; exhaustive, so a mode added to the request fails to compile here. */
    static CredentialsMode credentialsMode(RequestCredentialsMode mode) {
        return switch (mode) {
            case READ_ONLY_USER -> CredentialsMode.READ_ONLY_USER;
            case MASTER -> CredentialsMode.MASTER;
        };
    }
}
