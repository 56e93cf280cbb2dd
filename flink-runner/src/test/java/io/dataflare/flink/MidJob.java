package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;

/** For the tests that kill a task manager while a job writes its output: the cluster, and the point to kill it at. */
final class MidJob {
    private MidJob() {}

    /** A check, while waiting, that the job has not ended. */
    @FunctionalInterface
    interface StillRunning {
        void check() throws Exception;
    }

    /** A MiniCluster (not started yet) of two task managers with one slot each. */
    static MiniCluster twoTaskManagers() {
        return new MiniCluster(new MiniClusterConfiguration.Builder()
                .setConfiguration(new Configuration())
                .setNumTaskManagers(2)
                .setNumSlotsPerTaskManager(1)
                .build());
    }

    /** Fails the wait if {@code job} on {@code cluster} ended, saying how. */
    static StillRunning running(MiniCluster cluster, JobID job) {
        return () -> assertThat(cluster.getJobStatus(job).get().isGloballyTerminalState())
                .as("the job ended early: %s", cluster.getJobStatus(job).get())
                .isFalse();
    }

    /**
     * Waits until {@code out} holds {@code atLeast} lines, checking all along that the job still runs and that its
     * output starts within {@code within}; then checks that it has not written all {@code total} yet (mid-job: after
     * some checkpoints, well before the end).
     */
    static void awaitOutput(Path out, long atLeast, long total, Duration within, StillRunning stillRunning)
            throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (Fixtures.lines(out) < atLeast) {
            stillRunning.check();
            assertThat(System.nanoTime()).as("output started").isLessThan(deadline);
            Thread.sleep(20);
        }
        assertThat(Fixtures.lines(out)).isLessThan(total);
    }
}
