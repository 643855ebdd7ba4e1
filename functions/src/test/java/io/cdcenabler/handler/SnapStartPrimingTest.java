package io.cdcenabler.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.workflow.WorkflowState;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The priming hook runs with no AWS account and no network: a rehearsal call that reached the network would fail here
 * (no route to AWS) and fail the test, since priming lets only its own abort through.
 */
class SnapStartPrimingTest {
    private static String previousRegion;

    @BeforeAll
    static void regionLikeLambdaSetsIt() {
        previousRegion = System.getProperty("aws.region");
        if (System.getenv("AWS_REGION") == null && previousRegion == null) {
            System.setProperty("aws.region", "us-east-1");
        }
    }

    @AfterAll
    static void restoreRegion() {
        if (previousRegion == null) {
            System.clearProperty("aws.region");
        } else {
            System.setProperty("aws.region", previousRegion);
        }
    }

    @Test
    void beforeCheckpoint_withoutAwsOrNetwork_primesWithoutError() {
        assertThatCode(() -> SnapStartPriming.instance().beforeCheckpoint(null)).doesNotThrowAnyException();
        assertThatCode(() -> SnapStartPriming.instance().afterRestore(null)).doesNotThrowAnyException();
    }

    @Test
    void register_calledByEveryHandler_registersOnceWithoutError() {
        assertThatCode(() -> {
            SnapStartPriming.register();
            SnapStartPriming.register();
        }).doesNotThrowAnyException();
    }

    @Test
    void sampleState_isAWorkflowStateEveryStepReads() {
        JsonNode node = Json.read(new ByteArrayInputStream(SnapStartPriming.SAMPLE_STATE.getBytes(
                StandardCharsets.UTF_8)));

        WorkflowState state = Json.convert(node, WorkflowState.class);

        assertThat(state.requireTarget().request().identifier()).isEqualTo("priming-db");
        assertThat(state.credentials().secretArn()).startsWith("arn:aws:secretsmanager:");
        assertThat(state.provision()).isNotNull();
        assertThat(state.verify().ready()).isTrue();
    }
}
