package io.cdcenabler.secrets;

import io.cdcenabler.postgres.Secret;

/**
 * The admin login read from one exact version of the admin secret. The password is held as a {@link Secret}, never
 * printed: {@link #toString()} is redacted, so the object is safe in a log line or an exception message.
 */
public final class AdminCredentials {
    private final String secretArn;
    private final String versionId;
    private final String username;
    private final Secret password;

    AdminCredentials(String secretArn, String versionId, String username, Secret password) {
        this.secretArn = secretArn;
        this.versionId = versionId;
        this.username = username;
        this.password = password;
    }

    public String secretArn() {
        return secretArn;
    }

    public String versionId() {
        return versionId;
    }

    public String username() {
        return username;
    }

    public Secret password() {
        return password;
    }

    @Override
    public String toString() {
        return "AdminCredentials[secretArn=" + secretArn + ", versionId=" + versionId + ", username=" + username
                + ", password=****]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AdminCredentials that && secretArn.equals(that.secretArn)
                && versionId.equals(that.versionId) && username.equals(that.username)
                && password.equals(that.password);
    }

    @Override
    public int hashCode() {
        return 31 * secretArn.hashCode() + versionId.hashCode();
    }
}
