package io.dataflare.bench;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Waits until the benchmark's JVMs (this one and the rows' own) are idle before a row is timed. A JVM goes on
 * working after its row's run has ended: Graal compiling the script code it queued, HotSpot's compiler, a
 * collection. On two cores that work was taken from the next row (`baseline` ran on 0.5 cores at half its
 * speed after the Python row). Idle means the JVMs together used under 5% of a core over a 200 ms window.
 */
final class QuietMachine {
    private static final long WINDOW_MS = 200;
    private static final long IDLE_CPU_NANOS = WINDOW_MS * 1_000_000L / 20;

    private final List<ProcessHandle> jvms;
    private final Duration patience;

    QuietMachine(List<ProcessHandle> jvms, Duration patience) {
        this.jvms = jvms;
        this.patience = patience;
    }

    /** Returns once the JVMs are idle, or after the patience ran out; returns how long it waited. */
    Duration await() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + patience.toNanos();
        long before = cpuNanos();
        while (true) {
            Thread.sleep(WINDOW_MS);
            long now = cpuNanos();
            if (now - before < IDLE_CPU_NANOS || System.nanoTime() > deadline)
                return Duration.ofNanos(System.nanoTime() - start);
            before = now;
        }
    }

    private long cpuNanos() {
        long sum = 0;
        for (ProcessHandle p : jvms) {
            Optional<Duration> cpu = p.info().totalCpuDuration();
            if (cpu.isPresent()) sum += cpu.get().toNanos();
        }
        return sum;
    }
}
