package io.cdcenabler.postgres;

import java.security.SecureRandom;
import java.util.Arrays;

/** A password that never prints itself: toString is redacted and the characters are handed out only on request. */
public final class Secret {
    private static final char[] ALPHABET =
            "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** 32 characters from 57 symbols: about 186 bits, and no character that needs escaping in a URL or shell. */
    private static final int GENERATED_LENGTH = 32;

    private final char[] value;

    private Secret(char[] value) {
        this.value = value;
    }

    public static Secret of(char[] value) {
        if (value == null || value.length == 0) {
            throw new InvalidSpecException("password must not be empty");
        }
        return new Secret(value.clone());
    }

    public static Secret of(String value) {
        return of(value == null ? null : value.toCharArray());
    }

    /** A strong random password. */
    public static Secret generate() {
        char[] chars = new char[GENERATED_LENGTH];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new Secret(chars);
    }

    /** A copy of the characters; callers should clear it after use. */
    public char[] reveal() {
        return value.clone();
    }

    public String revealAsString() {
        return new String(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Secret secret && Arrays.equals(value, secret.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "****";
    }
}
