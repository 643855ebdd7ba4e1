package io.cdcenabler.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.postgres.ConnectionFailedException;
import io.cdcenabler.postgres.LockTimeoutException;
import io.cdcenabler.postgres.WalLevelNotLogicalException;
import io.cdcenabler.workflow.DatabaseUnavailableException;
import io.cdcenabler.workflow.LogicalReplicationOffException;
import io.cdcenabler.workflow.TablesLockedException;
import io.cdcenabler.workflow.TlsVerificationException;
import io.cdcenabler.workflow.TransientException;
import java.sql.SQLException;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class ErrorTranslationTest {

    @Test
    void translate_whenConnectionRefused_isTransientDatabaseUnavailable() {
        ConnectionFailedException refused = new ConnectionFailedException("cannot connect",
                new SQLException("Connection to db:5432 refused", "08001"));

        assertThat(ErrorTranslation.translate(refused, "provisioning"))
                .isInstanceOf(DatabaseUnavailableException.class).isInstanceOf(TransientException.class);
    }

    @Test
    void translate_whenCertificateDoesNotVerify_isPermanentTlsVerification() {
        ConnectionFailedException handshake = new ConnectionFailedException("cannot connect",
                new SQLException("SSL error", "08006", new SSLHandshakeException("PKIX path building failed")));

        assertThat(ErrorTranslation.translate(handshake, "provisioning"))
                .isInstanceOf(TlsVerificationException.class).isNotInstanceOf(TransientException.class)
                .hasMessageContaining("RDS CA bundle");
    }

    @Test
    void translate_whenTablesStayLocked_isTransientAndKeepsTheTables() {
        LockTimeoutException locked = new LockTimeoutException("public.orders stayed locked",
                List.of("public.orders"), null);

        assertThat(ErrorTranslation.translate(locked, "provisioning"))
                .isInstanceOf(TablesLockedException.class).hasMessageContaining("public.orders");
    }

    @Test
    void translate_whenWalLevelIsNotLogical_isPermanentLogicalReplicationOffSayingToReboot() {
        WalLevelNotLogicalException off = new WalLevelNotLogicalException("wal_level is replica, not logical");

        assertThat(ErrorTranslation.translate(off, "provisioning database app of orders-db"))
                .isInstanceOf(LogicalReplicationOffException.class).isNotInstanceOf(TransientException.class)
                .hasMessageContaining("wal_level is replica").hasMessageContaining("reboot the writer");
    }
}
