package io.dataflare.workflow.interpreter;

import java.time.Duration;
import java.time.Instant;

/** Time for executions: what Wait states and retry delays wait on, replaceable so tests need not sleep. */
public interface WorkflowClock {
    Instant now();

    /** Returns once {@code time} has come (at once when it has passed). */
    void sleepUntil(Instant time) throws InterruptedException;

    /** The system clock, sleeping for real. */
    WorkflowClock SYSTEM = new WorkflowClock() {
        @Override
        public Instant now() {
            return Instant.now();
        }

        @Override
        public void sleepUntil(Instant time) throws InterruptedException {
            long ms = Duration.between(Instant.now(), time).toMillis();
            if (ms > 0) Thread.sleep(ms);
        }
    };
}
