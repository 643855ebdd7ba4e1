package io.cdcenabler.postgres;

import io.cdcenabler.contract.Defaults;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What to provision: the publication, which tables it tracks, and how the CDC tool logs in. Validated on
 * construction, so a spec that exists is one the engine can act on.
 *
 * @param publication publication name (default {@code bemi})
 * @param trackingMode all tables of the tracked schemas, or the listed tables
 * @param schemas tracked schemas for {@link TrackingMode#ALL_TABLES} (default {@code public})
 * @param tables the tables for {@link TrackingMode#SELECTED_TABLES}; empty otherwise
 * @param credentialsMode a dedicated read-only user, or the admin's own credentials
 * @param cdcUser the CDC login role's name for {@link CredentialsMode#READ_ONLY_USER}
 * @param cdcPassword its password; absent means keep the existing one, or generate one for a new role
 * @param publishViaPartitionRoot publish partition changes under the partitioned root table (PostgreSQL 13+)
 * @param lockPolicy lock timeout, batch size and retries for every statement that locks a user table
 * @param adoptExistingRole let cdcUser name an existing role cdc-enabler did not create (restricted and, given a
 *     password, re-passworded); without it such a role is refused
 * @param releaseUpgradeHold bring the event trigger back although prepare-upgrade holds it for an upgrade the server
 *     has not had yet ({@link UpgradeHold}): after RDS rolled the upgrade back, or when the upgrade is called off
 */
public record ProvisioningSpec(
        String publication,
        TrackingMode trackingMode,
        List<String> schemas,
        List<TableName> tables,
        CredentialsMode credentialsMode,
        String cdcUser,
        Optional<Secret> cdcPassword,
        boolean publishViaPartitionRoot,
        LockPolicy lockPolicy,
        boolean adoptExistingRole,
        boolean releaseUpgradeHold) {

    // The product's defaults live in the contract module's Defaults (shared with infra and the request model);
    // these names stay for the command line's annotations.
    public static final String DEFAULT_PUBLICATION = Defaults.PUBLICATION;
    public static final String DEFAULT_CDC_USER = Defaults.CDC_USER;
    public static final String DEFAULT_SCHEMA = Defaults.SCHEMA;

    public ProvisioningSpec {
        Identifiers.require("publication", publication);
        if (trackingMode == null) {
            throw new InvalidSpecException("trackingMode must be ALL_TABLES or SELECTED_TABLES, was null");
        }
        if (credentialsMode == null) {
            throw new InvalidSpecException("credentialsMode must be READ_ONLY_USER or MASTER, was null");
        }
        schemas = List.copyOf(new TreeSet<>(schemas == null || schemas.isEmpty() ? List.of(DEFAULT_SCHEMA) : schemas));
        schemas.forEach(schema -> Identifiers.requireUserSchema("schema", schema));
        tables = tables == null ? List.of() : List.copyOf(new TreeSet<>(tables));
        if (trackingMode == TrackingMode.SELECTED_TABLES && tables.isEmpty()) {
            throw new InvalidSpecException("tables must name at least one table when trackingMode is SELECTED_TABLES");
        }
        if (trackingMode == TrackingMode.ALL_TABLES && !tables.isEmpty()) {
            throw new InvalidSpecException("tables must be empty when trackingMode is ALL_TABLES (it tracks whole "
                    + "schemas: use schemas), was " + tables);
        }
        cdcPassword = cdcPassword == null ? Optional.empty() : cdcPassword;
        if (credentialsMode == CredentialsMode.READ_ONLY_USER) {
            Identifiers.require("cdcUser", cdcUser);
            if (cdcUser.startsWith("pg_") || cdcUser.equals("public") || cdcUser.startsWith("rds")) {
                throw new InvalidSpecException("cdcUser " + cdcUser + " is a reserved role name (pg_*, public, rds*)");
            }
        } else {
            cdcUser = null;
            if (cdcPassword.isPresent()) {
                throw new InvalidSpecException("cdcPassword must not be given when credentialsMode is MASTER");
            }
        }
        if (lockPolicy == null) {
            lockPolicy = LockPolicy.DEFAULT;
        }
    }

    public boolean createsUser() {
        return credentialsMode == CredentialsMode.READ_ONLY_USER;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A copy with another password (or none). */
    public ProvisioningSpec withCdcPassword(Optional<Secret> password) {
        return new ProvisioningSpec(publication, trackingMode, schemas, tables, credentialsMode, cdcUser, password,
                publishViaPartitionRoot, lockPolicy, adoptExistingRole, releaseUpgradeHold);
    }

    /** A copy that may (or may not) adopt an existing role cdc-enabler did not create. */
    public ProvisioningSpec withAdoptExistingRole(boolean adopt) {
        return new ProvisioningSpec(publication, trackingMode, schemas, tables, credentialsMode, cdcUser, cdcPassword,
                publishViaPartitionRoot, lockPolicy, adopt, releaseUpgradeHold);
    }

    /** A copy that brings back (or not) an event trigger prepare-upgrade holds for an upgrade not had yet. */
    public ProvisioningSpec withReleaseUpgradeHold(boolean release) {
        return new ProvisioningSpec(publication, trackingMode, schemas, tables, credentialsMode, cdcUser, cdcPassword,
                publishViaPartitionRoot, lockPolicy, adoptExistingRole, release);
    }

    /** Builds a spec from defaults: publication bemi, ALL_TABLES of schema public, a READ_ONLY_USER cdc_reader. */
    public static final class Builder {
        private String publication = DEFAULT_PUBLICATION;
        private TrackingMode trackingMode = TrackingMode.ALL_TABLES;
        private final List<String> schemas = new ArrayList<>();
        private final List<TableName> tables = new ArrayList<>();
        private CredentialsMode credentialsMode = CredentialsMode.READ_ONLY_USER;
        private String cdcUser = DEFAULT_CDC_USER;
        private Secret cdcPassword;
        private boolean publishViaPartitionRoot;
        private LockPolicy lockPolicy = LockPolicy.DEFAULT;

        public Builder publication(String name) {
            this.publication = name;
            return this;
        }

        public Builder trackingMode(TrackingMode mode) {
            this.trackingMode = mode;
            return this;
        }

        public Builder schemas(List<String> names) {
            schemas.clear();
            schemas.addAll(names);
            return this;
        }

        public Builder tables(List<TableName> names) {
            tables.clear();
            tables.addAll(names);
            return this;
        }

        public Builder credentialsMode(CredentialsMode mode) {
            this.credentialsMode = mode;
            return this;
        }

        public Builder cdcUser(String name) {
            this.cdcUser = name;
            return this;
        }

        public Builder cdcPassword(Secret password) {
            this.cdcPassword = password;
            return this;
        }

        public Builder publishViaPartitionRoot(boolean value) {
            this.publishViaPartitionRoot = value;
            return this;
        }

        public Builder lockPolicy(LockPolicy policy) {
            this.lockPolicy = policy;
            return this;
        }

        public ProvisioningSpec build() {
            return new ProvisioningSpec(publication, trackingMode, schemas, tables, credentialsMode, cdcUser,
                    Optional.ofNullable(cdcPassword), publishViaPartitionRoot, lockPolicy, false, false);
        }
    }
}
