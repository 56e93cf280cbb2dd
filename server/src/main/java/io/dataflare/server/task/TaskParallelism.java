package io.dataflare.server.task;

import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.RescaleRefusedException;
import io.dataflare.engine.runtime.scale.ElasticStatus;
import io.dataflare.engine.runtime.scale.ParallelismChange;
import io.dataflare.engine.runtime.scale.RescaleEvent;

/**
 * Changes the parallelism of an elastic processor of a running task ({@code PUT .../stages/{stage}/parallelism}).
 * The change lasts for the run: a restarted task starts again from its pipeline's {@code parallelism:}.
 */
public final class TaskParallelism {
    /** What the change did: the rescale (null when the instances stayed) and the stage now. */
    public record Changed(RescaleEvent rescale, ElasticStatus status) {}

    private final TaskCatalog catalog;

    TaskParallelism(TaskCatalog catalog) {
        this.catalog = catalog;
    }

    /**
     * @throws TaskNotFoundException  when there is no such task
     * @throws InvalidTaskException   when the stage does not exist or a value is out of range
     * @throws TaskConflictException  when the task is not running, the stage's parallelism is fixed, or the run
     *                                did not reach a quiet point
     */
    public Changed change(String id, String stage, ParallelismChange change) throws InterruptedException {
        Task t = catalog.get(id);
        PipelineRun run = t.run();
        if (run == null || (t.state() != TaskState.RUNNING && t.state() != TaskState.PAUSED))
            throw new TaskConflictException("task '" + id + "' is " + t.state() + ": its parallelism changes only "
                    + "while it runs (the pipeline's parallelism: applies at start)");
        try {
            RescaleEvent e = run.parallelism(stage, change);
            ElasticStatus now = run.elasticStages().stream()
                    .filter(s -> s.stage().equals(stage))
                    .findFirst()
                    .orElseThrow();
            return new Changed(e, now);
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskException("task '" + id + "' stage '" + stage + "': " + e.getMessage());
        } catch (RescaleRefusedException e) {
            throw new TaskConflictException("task '" + id + "': " + e.getMessage());
        }
    }
}
