package io.dataflare.workflow;

import io.dataflare.workflow.interpreter.ExecutionResult;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * An execution on a pool thread that a test can stop as a dying process would. A cancelled future says it is done
 * at once, while the thread may still hold the execution (and the state store's lock on it): a test that then
 * resumed the execution failed with "in use by another run" now and then; {@link #kill()} waits for the thread.
 */
public final class KillableExecution extends FutureTask<ExecutionResult> {
    private final CountDownLatch ended = new CountDownLatch(1);

    private KillableExecution(Callable<ExecutionResult> execution) {
        super(execution);
    }

    /** Starts {@code execution} on {@code pool}. */
    public static KillableExecution start(ExecutorService pool, Callable<ExecutionResult> execution) {
        KillableExecution e = new KillableExecution(execution);
        pool.execute(e);
        return e;
    }

    @Override
    public void run() {
        try {
            super.run();
        } finally {
            ended.countDown();
        }
    }

    /** Interrupts the execution and returns once its thread has let go of it. */
    public void kill() throws InterruptedException {
        cancel(true);
        if (!ended.await(30, TimeUnit.SECONDS)) throw new AssertionError("the execution's thread did not end");
    }
}
