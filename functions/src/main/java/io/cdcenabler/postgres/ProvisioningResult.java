package io.cdcenabler.postgres;

import java.util.List;
import java.util.Optional;

/**
 * What a provisioning run changed (empty on a re-run of a ready database), and the password it generated for a new
 * CDC role, which the caller must store: it is not printed or logged.
 */
public record ProvisioningResult(List<Change> changes, Optional<Secret> generatedPassword, List<String> notes) {
    public ProvisioningResult {
        changes = List.copyOf(changes);
        notes = List.copyOf(notes);
    }
}
