package io.cdcenabler.steps;

import io.cdcenabler.postgres.Secret;
import java.util.Arrays;
import java.util.function.Function;

/** The one place the steps turn the char[] copies of the secrets package into a {@link Secret} and back, clearing each. */
final class Passwords {
    private Passwords() {
    }

    /** A Secret holding {@code copy}'s characters ({@link Secret#of(char[])} refuses none or empty); {@code copy} is cleared. */
    static Secret held(char[] copy) {
        try {
            return Secret.of(copy);
        } finally {
            if (copy != null) {
                Arrays.fill(copy, '\0');
            }
        }
    }

    /** What {@code use} (a call that wants char[]) returns for {@code secret}'s characters, cleared afterwards. */
    static <T> T lend(Secret secret, Function<char[], T> use) {
        char[] revealed = secret.reveal();
        try {
            return use.apply(revealed);
        } finally {
            Arrays.fill(revealed, '\0');
        }
    }
}
