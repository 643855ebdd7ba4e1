package io.cdcenabler.secrets;

import io.cdcenabler.postgres.Secret;

/**
 * The CDC secret as found in Secrets Manager: its ARN, current version and password. {@link #toString()} is
 * redacted and the password is held as a {@link Secret}.
 */
public final class StoredCdcSecret {
    private final String arn;
    private final String versionId;
    private final Secret password;

    StoredCdcSecret(String arn, String versionId, Secret password) {
        this.arn = arn;
        this.versionId = versionId;
        this.password = password;
    }

    public String arn() {
        return arn;
    }

    public String versionId() {
        return versionId;
    }

    /** Whether the secret holds a non-empty password. */
    public boolean hasPassword() {
        return password != null;
    }

    /** The password; null when the secret holds none. */
    public Secret password() {
        return password;
    }

    @Override
    public String toString() {
        return "StoredCdcSecret[arn=" + arn + ", versionId=" + versionId + ", password=****]";
    }
}
