package io.cdcenabler.cli;

import io.cdcenabler.postgres.ProvisioningSpec;
import picocli.CommandLine.Option;

/** The --publication option of the commands that act on an existing publication. */
final class PublicationOption {
    @Option(names = "--publication", paramLabel = "NAME", defaultValue = ProvisioningSpec.DEFAULT_PUBLICATION,
            description = "Publication name (default: ${DEFAULT-VALUE})")
    String name;
}
