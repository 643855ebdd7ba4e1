package io.cdcenabler.contract;

/**
 * The name prefixes of the AWS resources the functions create or read, which the roles' resource ARNs are scoped to.
 */
public final class ResourceNames {
    /** Our own parameter groups are named {@code cdc-enabler-<identifier>-<family>}. */
    public static final String OWN_PARAMETER_GROUP_PREFIX = "cdc-enabler-";
    /** The CDC secrets Provision creates are named {@code cdc-enabler/<identifier>/<database>/<user>}. */
    public static final String CDC_SECRET_PREFIX = "cdc-enabler/";
    /** RDS names the master user secrets it manages {@code rds!db-<uuid>} and {@code rds!cluster-<uuid>}. */
    public static final String RDS_MASTER_SECRET_PREFIX = "rds!";

    /** The enrolment registry's DynamoDB table, which the stack deploys and the CLI's {@code status} reads. */
    public static final String REGISTRY_TABLE_NAME = "cdc-enabler-registry";

    private ResourceNames() {
    }
}
