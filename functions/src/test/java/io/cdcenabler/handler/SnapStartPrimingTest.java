package io.cdcenabler.handler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdcenabler.workflow.WorkflowState;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.crac.Context;
import org.crac.Resource;
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
    void register_calledFromSevenHandlersAtOnce_putsTheHookInTheContextOnce() throws Exception {
        RecordingContext context = new RecordingContext();
        AtomicBoolean registered = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(7);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    return SnapStartPriming.register(registered, context);
                }));
            }
            start.countDown();
            long registering = 0;
            for (Future<Boolean> call : calls) {
                registering += call.get(10, TimeUnit.SECONDS) ? 1 : 0;
            }
            assertThat(registering).isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }

        assertThat(SnapStartPriming.register(registered, context)).isFalse();
        assertThat(context.registered).containsExactly(SnapStartPriming.instance());
    }

    /** A CRaC context that records what is registered with it. */
    private static final class RecordingContext extends Context<Resource> {
        final List<Resource> registered = new CopyOnWriteArrayList<>();

        @Override
        public void beforeCheckpoint(Context<? extends Resource> context) {
        }

        @Override
        public void afterRestore(Context<? extends Resource> context) {
        }

        @Override
        public void register(Resource resource) {
            registered.add(resource);
        }
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
