package io.cdcenabler.workflow;

import java.util.Arrays;
import java.util.Locale;

/** Reads the request's enum fields as the console's JSON writes them: in any case, with errors naming the field. */
final class EnumValues {
    private EnumValues() {
    }

    static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        if (value == null) {
            return null;
        }
        String name = value.toUpperCase(Locale.ROOT);
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equals(name)) {
                return constant;
            }
        }
        throw new InvalidInputException(field + " must be one of " + Arrays.toString(type.getEnumConstants())
                + ", was " + name);
    }
}
