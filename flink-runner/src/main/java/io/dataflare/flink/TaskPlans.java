package io.dataflare.flink;

import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.pipeline.PipelinePlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The pipeline plans of the jobs running in this JVM (a task manager), one engine each: the first operator of a
 * job to open unpacks the job's plugin bundle (from the job's class loader, i.e. its user JARs), loads the plugins
 * into their class loaders and validates the pipeline; the other operators of that job share it, and the last to
 * close unloads the plugins and deletes the unpacked files.
 */
final class TaskPlans {
    private static final Map<JobSpec, Shared> SHARED = new HashMap<>();

    private TaskPlans() {}

    /** A lease on the plan of {@code spec}, its plugins taken from {@code jobClassLoader}: close it when done. */
    static synchronized Lease acquire(JobSpec spec, ClassLoader jobClassLoader) {
        Shared s = SHARED.get(spec);
        if (s == null) {
            Path root;
            List<Path> dirs;
            try {
                root = Files.createTempDirectory(
                        "dataflare-plugins-" + spec.bundle().substring(0, 16) + "-");
                dirs = PluginBundle.unpack(jobClassLoader, spec.bundle(), spec.folders(), root);
            } catch (IOException e) {
                throw new UncheckedIOException("could not unpack the job's plugins", e);
            }
            Engine.Builder b = Engine.builder();
            for (Path dir : dirs) b.pluginDirectory(dir);
            Engine engine = b.build();
            try {
                PipelinePlan plan = engine.load(
                        spec.pipelineText(),
                        spec.source(),
                        ConfigReader.Format.forFile(spec.source()),
                        Path.of(spec.baseDir()));
                s = new Shared(engine, plan, root);
            } catch (RuntimeException e) {
                engine.close();
                delete(root);
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
            delete(s.unpacked);
        }
    }

    private static void delete(Path root) {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete the job's unpacked plugins in " + root, e);
        }
    }

    /** How many jobs have plans loaded here (for tests: every plan is released when its job ends). */
    static synchronized int loaded() {
        return SHARED.size();
    }

    private static final class Shared {
        final Engine engine;
        final PipelinePlan plan;
        final Path unpacked;
        int users;

        Shared(Engine engine, PipelinePlan plan, Path unpacked) {
            this.engine = engine;
            this.plan = plan;
            this.unpacked = unpacked;
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
