package io.cdcenabler.registry;

/** A registry write kept losing to concurrent writers: it gave up after its retries rather than overwrite theirs. */
public final class RegistryConflictException extends RuntimeException {
    public RegistryConflictException(String message) {
        super(message);
    }
}
