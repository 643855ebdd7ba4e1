package io.cdcenabler.workflow;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What the PrepareUpgrade Task state receives: the execution's state, of which it reads the input's
 * {@code prepareUpgrade} (kept at the root) and DescribeTarget's {@code target}.
 *
 * @param prepareUpgrade the workflow input's {@code "prepareUpgrade": {"targetVersion": "18", "dryRun": false}}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PrepareUpgradeInput(TargetDescription target, Options prepareUpgrade) {

    /** The field of the workflow input that asks for prepare-upgrade instead of an enrolment. */
    public static final String FIELD = "prepareUpgrade";
    private static final String COMMAND_OPTION = "--target-version";

    /** A message of the preparation, which names the command's option, naming the input's field instead. */
    public static String inInputTerms(String message) {
        return message == null ? null : message.replace(COMMAND_OPTION, FIELD + ".targetVersion");
    }

    /**
     * @param targetVersion a major ({@code 18}) or a full version ({@code 18.1}) RDS offers as an upgrade target
     * @param dryRun compute the report, change nothing
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Options(String targetVersion, boolean dryRun) {
    }
}
