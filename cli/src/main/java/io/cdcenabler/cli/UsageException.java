package io.cdcenabler.cli;

import io.cdcenabler.postgres.InvalidSpecException;

/**
 * Options that cannot go together or lack a companion (two password sources, SELECTED_TABLES without --table, a new
 * CDC role without a password source): bad usage, exit status 2, found before anything changes.
 */
final class UsageException extends InvalidSpecException {
    UsageException(String message) {
        super(message);
    }
}
