package io.dataflare.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness waits for a busy process to go idle, and not beyond its patience. */
class QuietMachineTest {

    // shell builtins only: the CPU is the shell's own, not a child's
    private static Process busy(String loop) throws Exception {
        return new ProcessBuilder("sh", "-c", loop).start();
    }

    @Test
    void waitsUntilABusyProcessHasStopped() throws Exception {
        Process busy = busy("i=0; while [ $i -lt 3000000 ]; do i=$((i+1)); done");
        Duration waited = new QuietMachine(List.of(busy.toHandle()), Duration.ofSeconds(30)).await();
        assertThat(busy.isAlive()).isFalse();
        assertThat(waited).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void givesUpWhenThePatienceRunsOut() throws Exception {
        Process busy = busy("while :; do :; done");
        try {
            Duration waited = new QuietMachine(List.of(busy.toHandle()), Duration.ofSeconds(1)).await();
            assertThat(busy.isAlive()).isTrue();
            assertThat(waited).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
        } finally {
            busy.destroyForcibly().waitFor();
        }
    }
}
