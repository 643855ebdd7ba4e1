package io.cdcenabler.upgrade;

import io.cdcenabler.postgres.UpgradeReadiness;
import java.util.ArrayList;
import java.util.List;

/** The blockers in the facts read from the database: what someone must act on before the upgrade can run. */
final class Blockers {
    private Blockers() {
    }

    static List<Blocker> of(UpgradeReadiness.Facts facts) {
        List<Blocker> blockers = new ArrayList<>();
        if (facts.major() < UpgradeReadiness.KEEPS_LOGICAL_SLOTS_FROM) {
            for (UpgradeReadiness.LogicalSlot slot : facts.logicalSlots()) {
                blockers.add(new Blocker(Blocker.Kind.LOGICAL_SLOT, slot.name(), "logical replication slot "
                        + slot.name() + " (plugin " + slot.plugin() + ", " + (slot.active() ? "active" : "inactive")
                        + ", database " + slot.database() + ")", "PostgreSQL " + facts.major() + " is below "
                        + UpgradeReadiness.KEEPS_LOGICAL_SLOTS_FROM + ", so RDS refuses the upgrade while this slot "
                        + "exists: stop its consumer, drop the slot (SELECT pg_drop_replication_slot('"
                        + slot.name().replace("'", "''") + "') in database " + slot.database() + "), upgrade, then "
                        + "let the consumer create a new slot and re-snapshot or re-sync: changes made between the "
                        + "drop and the new slot are not streamed"));
            }
        }
        for (String trigger : facts.otherTriggers()) {
            blockers.add(new Blocker(Blocker.Kind.EVENT_TRIGGER, trigger, "event trigger " + trigger + " of the "
                    + "application", "an event trigger can make the upgrade's checks or its restore of the schema fail: "
                    + "its owner drops it (DROP EVENT TRIGGER) before and recreates it after the upgrade; "
                    + "prepare-upgrade drops only its own"));
        }
        return blockers;
    }
}
