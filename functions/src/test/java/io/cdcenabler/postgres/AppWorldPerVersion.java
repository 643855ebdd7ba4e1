package io.cdcenabler.postgres;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs a test class once per PostgreSQL version of the matrix, with a fresh {@link AppWorld} before each test. */
@ParameterizedClass(name = "PostgreSQL {0}")
@MethodSource("io.cdcenabler.testing.PostgresServers#versions")
abstract class AppWorldPerVersion {
    @Parameter
    String version;

    AppWorld world;

    @BeforeEach
    void freshWorld() {
        world = new AppWorld(version);
    }
}
