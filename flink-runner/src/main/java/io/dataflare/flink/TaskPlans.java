package io.dataflare.flink;

import io.dataflare.engine.Engine;
import io.dataflare.engine.pipeline.PipelinePlan;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The pipeline plans of the jobs running in this JVM (a task manager), one engine each: the first operator of a
 * job to open loads the plugin folders and validates the pipeline, the others of that job share it, and the last
 * to close unloads the plugins again.
 */
final class TaskPlans {
    private static final Map<JobSpec, Shared> SHARED = new HashMap<>();

    private TaskPlans() {}

    /** A lease on the plan of {@code spec}: close it when the operator closes. */
    static synchronized Lease acquire(JobSpec spec) {
        Shared s = SHARED.get(spec);
        if (s == null) {
            Engine.Builder b = Engine.builder();
            for (String dir : spec.pluginDirs()) b.pluginDirectory(Path.of(dir));
            Engine engine = b.build();
            try {
                s = new Shared(engine, engine.load(Path.of(spec.pipelineFile())));
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
            SHARED.put(spec, s);
        }
        s.users++;
        return new Lease(spec, s.plan, s.engine);
    }

    private static synchronized void release(JobSpec spec) {
        Shared s = SHARED.get(spec);
        if (s != null && --s.users == 0) {
            SHARED.remove(spec);
            s.engine.close();
        }
    }

    /** How many jobs have plans loaded here (for tests: every plan is released when its job ends). */
    static synchronized int loaded() {
        return SHARED.size();
    }

    private static final class Shared {
        final Engine engine;
        final PipelinePlan plan;
        int users;

        Shared(Engine engine, PipelinePlan plan) {
            this.engine = engine;
            this.plan = plan;
        }
    }

    /** One operator's use of a job's plan. */
    static final class Lease implements AutoCloseable {
        private final JobSpec spec;
        private final PipelinePlan plan;
        private final Engine engine;
        private boolean closed;

        private Lease(JobSpec spec, PipelinePlan plan, Engine engine) {
            this.spec = spec;
            this.plan = plan;
            this.engine = engine;
        }

        PipelinePlan plan() {
            return plan;
        }

        Engine engine() {
            return engine;
        }

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            release(spec);
        }
    }
}
