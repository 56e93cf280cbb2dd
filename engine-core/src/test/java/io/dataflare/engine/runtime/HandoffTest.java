package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** After its turns a hand-off blocks as the queue does: nothing is lost, dropped or taken twice. */
class HandoffTest {

    @Test
    void aTakeWaitsForAPutThatComesLater() throws Exception {
        BlockingQueue<Object> q = new ArrayBlockingQueue<>(1);
        CompletableFuture<Object> taken = CompletableFuture.supplyAsync(() -> {
            try {
                return Handoff.take(q);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50); // long past the turns: the taker is blocked in the queue now
        assertThat(taken).isNotDone();
        Handoff.put(q, "batch");
        assertThat(taken.get(10, TimeUnit.SECONDS)).isEqualTo("batch");
        assertThat(q).isEmpty();
    }

    @Test
    void aPutWaitsForRoomAndKeepsTheOrder() throws Exception {
        BlockingQueue<Object> q = new ArrayBlockingQueue<>(1);
        Handoff.put(q, 1);
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            try {
                Handoff.put(q, 2);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(50);
        assertThat(second).isNotDone();
        assertThat(Handoff.take(q)).isEqualTo(1);
        second.get(10, TimeUnit.SECONDS);
        assertThat(Handoff.poll(q, 1, TimeUnit.SECONDS)).isEqualTo(2);
    }

    @Test
    void aPollGivesNothingAfterItsTimeout() throws Exception {
        BlockingQueue<Object> q = new ArrayBlockingQueue<>(1);
        assertThat(Handoff.poll(q, 20, TimeUnit.MILLISECONDS)).isNull();
        q.put("late");
        assertThat(Handoff.poll(q, 20, TimeUnit.MILLISECONDS)).isEqualTo("late");
    }
}
