package io.cdcenabler.secrets;

/**
 * The CDC secret as found in Secrets Manager: its ARN, current version and password. {@link #toString()} is
 * redacted; the password is handed out as a copy only.
 */
public final class StoredCdcSecret {
    private final String arn;
    private final String versionId;
    private final char[] password;

    StoredCdcSecret(String arn, String versionId, char[] password) {
        this.arn = arn;
        this.versionId = versionId;
        this.password = password == null ? null : password.clone();
    }

    public String arn() {
        return arn;
    }

    public String versionId() {
        return versionId;
    }

    /** Whether the secret holds a non-empty password. */
    public boolean hasPassword() {
        return password != null && password.length > 0;
    }

    /** A copy of the password (null when the secret holds none); the caller should clear it after use. */
    public char[] password() {
        return password == null ? null : password.clone();
    }

    @Override
    public String toString() {
        return "StoredCdcSecret[arn=" + arn + ", versionId=" + versionId + ", password=****]";
    }
}
