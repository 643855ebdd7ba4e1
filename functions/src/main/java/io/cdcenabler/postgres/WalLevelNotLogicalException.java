package io.cdcenabler.postgres;

/** The server's wal_level is not logical, so no CDC tool can read changes. On RDS: rds.logical_replication=1 and a reboot. */
public class WalLevelNotLogicalException extends CdcEnablerException {
    public WalLevelNotLogicalException(String message) {
        super(message);
    }
}
