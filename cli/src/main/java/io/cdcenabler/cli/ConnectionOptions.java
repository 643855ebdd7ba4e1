package io.cdcenabler.cli;

import io.cdcenabler.postgres.JdbcConnectionSource;
import io.cdcenabler.postgres.Secret;
import picocli.CommandLine.Option;

/** Where to connect and as whom. The password never comes from an argument: an environment variable or stdin. */
final class ConnectionOptions {
    @Option(names = "--jdbc-url", required = true, paramLabel = "URL",
            description = "PostgreSQL JDBC URL, e.g. jdbc:postgresql://host:5432/app?sslmode=verify-full "
                    + "(no password in it)")
    String jdbcUrl;

    @Option(names = {"--user", "-U"}, required = true, paramLabel = "NAME",
            description = "Admin user (on RDS: the master user)")
    String user;

    @Option(names = "--password-env", paramLabel = "VAR", defaultValue = "PGPASSWORD",
            description = "Environment variable holding the admin password (default: ${DEFAULT-VALUE})")
    String passwordEnv;

    @Option(names = "--password-stdin", description = "Read the admin password from the first line of standard input")
    boolean passwordStdin;

    JdbcConnectionSource source(PasswordSources passwords) {
        Secret password = passwordStdin ? passwords.stdin("admin password") : passwords.env(passwordEnv, false);
        return JdbcConnectionSource.of(jdbcUrl, user, password);
    }
}
