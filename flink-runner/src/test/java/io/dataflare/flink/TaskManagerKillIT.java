package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.Engine;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobID;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A MiniCluster with two task managers, one of which is shut down while the job writes its output: the job
 * restarts from its last checkpoint (the sink cuts its file back to it, the source seeks back) and the output
 * holds every record exactly once; the summary counts each record once too. Five times in a row, each
 * shutting down the other task manager, at another point of the output.
 */
class TaskManagerKillIT {
    @RepeatedTest(5)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void everyRecordIsWrittenExactlyOnceAfterATaskManagerDies(RepetitionInfo repetition, @TempDir Path dir)
            throws Exception {
        int round = repetition.getCurrentRepetition();
        CrashJob crash = CrashJob.write(dir, round);
        List<Path> plugins = List.of(Fixtures.BUILT_INS);
        try (Engine engine = Fixtures.engine(plugins);
                MiniCluster cluster = MidJob.twoTaskManagers()) {
            cluster.start();
            FlinkRunner runner = new FlinkRunner(engine.load(crash.pipeline), plugins, null);
            JobID job = runner.submit(cluster);
            crash.awaitKillPoint(Duration.ofSeconds(120), MidJob.running(cluster, job));
            cluster.terminateTaskManager(round % 2).get();
            cluster.startTaskManager();

            crash.assertEveryRecordOnce(runner.await(cluster, job));
        }
        assertThat(TaskPlans.loaded()).isZero();
    }
}
