package io.dataflare.engine.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProducersTest {
    @Test
    void theLastProducerDoneEndsTheInputAndNoOneJoinsAfterIt() {
        Producers p = new Producers(2);
        assertThat(p.join()).isTrue(); // three sending now
        assertThat(p.done()).isFalse();
        assertThat(p.done()).isFalse();
        assertThat(p.done()).isTrue();
        assertThat(p.join()).isFalse();
    }

    @Test
    void concurrentJoinsAndDonesCountEveryProducerOnce() throws Exception {
        Producers p = new Producers(1);
        AtomicInteger endedEarly = new AtomicInteger();
        Thread[] threads = new Thread[4];
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    if (p.join() && p.done()) endedEarly.incrementAndGet();
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        assertThat(endedEarly).hasValue(0); // the first producer was sending all along
        assertThat(p.done()).isTrue();
    }
}
