package io.dataflare.workflow.queue;

import static io.dataflare.workflow.queue.DispatchTest.START;
import static io.dataflare.workflow.queue.DispatchTest.task;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The lazy order a claim walks is the whole dispatch order, element for element. */
class DispatchPolicyTest {

    @Test
    void theLazyOrderIsTheFullOrder() {
        Random random = new Random(18);
        for (int round = 0; round < 200; round++) {
            DispatchPolicy policy = new DispatchPolicy(random.nextBoolean() ? Duration.ofSeconds(30) : null);
            List<QueuedTask> ready = new ArrayList<>();
            int n = 1 + random.nextInt(60);
            for (int i = 0; i < n; i++)
                ready.add(task(
                        "t" + i, "g" + random.nextInt(4), random.nextInt(4), START.plusSeconds(random.nextInt(600))));
            for (int i = 0; i < random.nextInt(5); i++) policy.served("q", "g" + random.nextInt(4));
            Instant now = START.plusSeconds(600 + random.nextInt(300));

            List<QueuedTask> lazy = new ArrayList<>();
            policy.order("q", ready, now).forEach(lazy::add);
            assertThat(lazy).as("round %d", round).isEqualTo(policy.fullOrder("q", ready, now));
            assertThat(lazy).hasSize(n);
        }
    }
}
