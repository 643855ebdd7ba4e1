package io.cdcenabler.infra;

import java.util.Objects;

/**
 * The two state machines' definitions the stack deploys: the enrolment workflow and the reconciliation.
 *
 * @param enrolment statemachine/cdc-enabler.asl.json
 * @param reconcile statemachine/reconcile.asl.json
 */
public record StateMachineDefinitions(StateMachineDefinition enrolment, StateMachineDefinition reconcile) {
    public StateMachineDefinitions {
        Objects.requireNonNull(enrolment, "enrolment");
        Objects.requireNonNull(reconcile, "reconcile");
    }

    /** Reads both from their files ({@link StateMachineDefinition#DEFAULT_FILE}, {@code RECONCILE_FILE}). */
    public static StateMachineDefinitions read() {
        return new StateMachineDefinitions(StateMachineDefinition.read(StateMachineDefinition.DEFAULT_FILE),
                StateMachineDefinition.read(StateMachineDefinition.RECONCILE_FILE));
    }
}
