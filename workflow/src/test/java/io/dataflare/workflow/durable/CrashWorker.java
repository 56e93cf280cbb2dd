package io.dataflare.workflow.durable;

import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.StateStore;
import io.dataflare.workflow.definition.StateMachine;
import io.dataflare.workflow.interpreter.WorkflowClock;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * The process {@link WorkflowCrashIT} starts and kills: resumes every unfinished execution of the store, then
 * runs executions 0..COUNT-1 (a finished one answers its recorded end), {@code PARALLEL} at a time.
 * Arguments: STATE_DIR MARKER_FILE COUNT PARALLEL. Prints {@code done} and exits 0 when all have ended.
 */
public final class CrashWorker {
    private CrashWorker() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int count = Integer.parseInt(args[2]);
        Semaphore slots = new Semaphore(Integer.parseInt(args[3]));
        StateMachine machine = CrashWorkflow.machine();
        try (StateStore store = new FileStateStore(dir)) {
            DurableWorkflows workflows =
                    new DurableWorkflows(store, new CrashWorkflow.Tasks(Path.of(args[1])), WorkflowClock.SYSTEM);
            workflows.resumeUnfinished(name -> machine);
            List<Future<?>> runs = new ArrayList<>();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < count; i++) {
                    int n = i;
                    slots.acquire();
                    runs.add(pool.submit(() -> {
                        try {
                            return workflows.run(machine, CrashWorkflow.name(n), CrashWorkflow.input(n));
                        } finally {
                            slots.release();
                        }
                    }));
                }
                for (Future<?> f : runs) f.get();
            }
        }
        System.out.println("done");
    }
}
