package io.cdcenabler.upgrade;

import io.cdcenabler.postgres.InvalidSpecException;

/**
 * A --target-version that is no version, not above the current major, or not one RDS offers as an upgrade target of
 * the current version: bad usage, found before anything changes.
 */
public final class InvalidUpgradeTargetException extends InvalidSpecException {
    public InvalidUpgradeTargetException(String message) {
        super(message);
    }
}
