package io.cdcenabler.steps;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdcenabler.postgres.Change;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The drift kind of each change text the engine's plan holds (postgres.Ddl's actions). */
class PlanDriftsTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            created publication                                          | bemi                      | PUBLICATION
            set options (publish = 'insert') of publication              | bemi                      | PUBLICATION
            added schemas to publication bemi                            | sales                     | PUBLICATION
            added to publication bemi                                    | public.items              | PUBLICATION
            created schema                                               | cdc_enabler               | EVENT_TRIGGER
            created function                                             | cdc_enabler.keep          | EVENT_TRIGGER
            updated function                                             | cdc_enabler.keep          | EVENT_TRIGGER
            configured event trigger for publication bemi:               | new partitions            | EVENT_TRIGGER
            created event trigger                                        | cdc_enabler_keep          | EVENT_TRIGGER
            dropped outdated event trigger                               | cdc_enabler_keep          | EVENT_TRIGGER
            enabled event trigger                                        | cdc_enabler_keep          | EVENT_TRIGGER
            created role                                                 | cdc                       | CDC_ROLE
            adopted role                                                 | cdc                       | CDC_ROLE
            restricted role to LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE | cdc                       | CDC_ROLE
            set password of                                              | cdc                       | CDC_ROLE
            granted rds_replication to                                   | cdc                       | CDC_ROLE
            granted SELECT to cdc on                                     | public.orders             | CDC_ROLE
            set default privileges: SELECT to cdc on tables created by a in schema | public          | CDC_ROLE
            removed manual-runbook                                       | event trigger x           | RUNBOOK_OBJECT
            renamed                                                      | something new             | OTHER
            """)
    void kind_followsWhatTheChangeActsOn(String action, String target, String kind) {
        assertThat(PlanDrifts.kind(new Change(action, target))).isEqualTo(kind);
    }
}
