package io.cdcenabler.workflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The enrolment workflow inputs that repair a drifted enrolment. A repair never reboots at once unless the enrolled
 * policy is IMMEDIATE: under NEXT_MAINTENANCE_WINDOW and NONE the repair runs with NONE (it fixes what needs no
 * reboot and ends REBOOT_PENDING when one is needed); under NEXT_MAINTENANCE_WINDOW a second run with that policy,
 * named once per target and day ({@link #rebootLaterName}), waits for the window and reboots there. Both carry
 * {@code source} = {@value #SOURCE}, which makes RecordEnrolment keep the request the user enrolled.
 *
 * @param repairInput the input of the repair run now
 * @param rebootLaterInput the input of the run that reboots in the maintenance window, null unless the enrolled
 *     policy is NEXT_MAINTENANCE_WINDOW
 * @param rebootLaterName that run's execution name, null with it
 */
public record RepairInputs(ObjectNode repairInput, ObjectNode rebootLaterInput, String rebootLaterName) {
    /** The request source of runs reconciliation starts (RecordEnrolmentStep.RECONCILE_SOURCE is the same). */
    public static final String SOURCE = "RECONCILE";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    /** Step Functions execution names are at most 80 characters. */
    private static final int MAX_NAME = 80;
    private static final java.util.Set<String> FIELDS = java.util.Arrays.stream(
            ProvisioningRequest.class.getRecordComponents()).map(java.lang.reflect.RecordComponent::getName)
            .collect(java.util.stream.Collectors.toUnmodifiableSet());

    /** The repair inputs for {@code enrolled}, the request as it was enrolled, on {@code day} (UTC). */
    public static RepairInputs of(ProvisioningRequest enrolled, LocalDate day) {
        Objects.requireNonNull(enrolled, "enrolled");
        Objects.requireNonNull(day, "day");
        RebootPolicy policy = enrolled.rebootPolicy();
        ObjectNode now = input(enrolled, policy == RebootPolicy.IMMEDIATE ? RebootPolicy.IMMEDIATE : RebootPolicy.NONE);
        if (policy != RebootPolicy.NEXT_MAINTENANCE_WINDOW) {
            return new RepairInputs(now, null, null);
        }
        String name = "reboot-" + enrolled.identifier() + "-" + DAY.format(day);
        return new RepairInputs(now, input(enrolled, policy), name.length() <= MAX_NAME ? name
                : name.substring(0, MAX_NAME));
    }

    private static ObjectNode input(ProvisioningRequest enrolled, RebootPolicy policy) {
        ObjectNode input = MAPPER.valueToTree(enrolled);
        input.put("rebootPolicy", policy.name());
        input.put("source", SOURCE);
        // Options left null in the stored request are left out: the enrolment workflow's manual input takes the same
        // defaults, and the input stays small.
        // Only the request's own fields: the manual input refuses any other (Jackson would add derived ones).
        input.properties().removeIf(field -> field.getValue().isNull() || !FIELDS.contains(field.getKey()));
        return input;
    }
}
