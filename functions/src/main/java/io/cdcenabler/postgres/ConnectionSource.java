package io.cdcenabler.postgres;

import java.sql.Connection;

/** Opens connections to the target database: as the admin who provisions, or as another login such as the CDC user. */
public interface ConnectionSource {

    /** A new connection as the admin; the caller closes it. */
    Connection openAdmin();

    /** A new connection to the same database as {@code user}; the caller closes it. */
    Connection openAs(String user, Secret password);

    /** Where the connections go, for messages: never contains a password. */
    String describe();
}
