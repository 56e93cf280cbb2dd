package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** When {@link Main#main} may return instead of calling {@code System.exit}: no other thread keeps the JVM up. */
class MainExitTest {
    @Test
    void aRunningNonDaemonThreadKeepsTheJvmUpADaemonOneOrAFinishedOneDoesNot() throws Exception {
        Thread self = Thread.currentThread();
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = Thread.ofPlatform().daemon(false).start(() -> await(release));
        Thread daemon = Thread.ofPlatform().daemon(true).start(() -> await(release));
        try {
            assertThat(Main.keepsTheJvmUp(List.of(self, worker), self)).isTrue();
            assertThat(Main.keepsTheJvmUp(List.of(self, daemon), self)).isFalse();
            assertThat(Main.keepsTheJvmUp(List.of(self), self))
                    .as("the thread returning")
                    .isFalse();
        } finally {
            release.countDown();
        }
        worker.join();
        assertThat(Main.keepsTheJvmUp(List.of(self, worker), self))
                .as("a thread that has ended")
                .isFalse();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
