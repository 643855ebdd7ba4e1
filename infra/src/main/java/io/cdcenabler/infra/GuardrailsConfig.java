package io.cdcenabler.infra;

import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The guardrails' part of the CDK context, read and validated once: an optional e-mail address that the alarm topic
 * sends to ({@code -c alarmEmail=ops@example.com}). SNS asks that address to confirm the subscription.
 *
 * @param alarmEmail the address to subscribe, or null for none (subscribe endpoints to the topic yourself)
 */
public record GuardrailsConfig(String alarmEmail) {
    public static final String ALARM_EMAIL = "alarmEmail";
    /** One address: a local part, an at sign and a dotted domain, no spaces or commas (SNS takes one per subscription). */
    private static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@"
            + "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}"
            + "[A-Za-z0-9])?)+");

    public GuardrailsConfig {
        if (alarmEmail != null && !EMAIL.matcher(alarmEmail).matches()) {
            throw new InvalidContextException(ALARM_EMAIL + ": expected one e-mail address such as "
                    + "ops@example.com, got '" + alarmEmail + "'");
        }
    }

    /** Reads {@value #ALARM_EMAIL} from {@code context} (e.g. {@code node::tryGetContext}); empty means none. */
    public static GuardrailsConfig fromContext(Function<String, Object> context) {
        Object value = context.apply(ALARM_EMAIL);
        if (value == null || value.toString().isBlank()) {
            return new GuardrailsConfig(null);
        }
        if (!(value instanceof String text)) {
            throw new InvalidContextException(ALARM_EMAIL + ": expected one e-mail address such as "
                    + "ops@example.com, got " + value.getClass().getSimpleName() + " " + value);
        }
        return new GuardrailsConfig(text.strip());
    }
}
