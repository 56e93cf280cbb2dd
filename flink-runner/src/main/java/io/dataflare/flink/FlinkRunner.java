package io.dataflare.flink;

import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Problem;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.runtime.PipelineResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.JobID;
import org.apache.flink.client.deployment.StandaloneClusterId;
import org.apache.flink.client.program.rest.RestClusterClient;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.OptionalFailure;
import org.apache.flink.util.SerializedValue;

/**
 * Runs a pipeline as an Apache Flink job ("cloud mode"): {@link #run} on an embedded MiniCluster, {@link #runOn}
 * on a session cluster over REST; the plugins travel with the job (see {@link PluginBundle}). The plan must pass {@link FlinkSupport#problems} first.
 */
public final class FlinkRunner {
    private final PipelinePlan plan;
    private final JobSpec spec;
    private final Integer parallelism;
    private final Path staging;
    private final PluginBundle.Packed bundle;

    /**
     * @param plan        the validated plan (its pipeline file's text travels with the job)
     * @param pluginDirs  the plugin folders the plan was resolved from
     * @param parallelism the instances of every processor that sets no {@code parallelism} of its own, or null
     * @throws InvalidConfigException when the pipeline cannot run on Flink ({@link FlinkSupport#problems})
     */
    public FlinkRunner(PipelinePlan plan, List<Path> pluginDirs, Integer parallelism) {
        List<Problem> problems = FlinkSupport.problems(plan);
        if (!problems.isEmpty()) throw new InvalidConfigException(problems);
        this.plan = plan;
        Path baseDir = plan.definition().baseDir().toAbsolutePath().normalize();
        Path file = baseDir.resolve(Path.of(plan.definition().source()).getFileName());
        try {
            this.staging = Files.createTempDirectory("dataflare-job-");
            staging.toFile().deleteOnExit();
            List<Path> dirs = new ArrayList<>();
            for (Path p : pluginDirs) dirs.add(p.toAbsolutePath().normalize());
            this.bundle = PluginBundle.pack(dirs, staging);
            bundle.jar().toFile().deleteOnExit();
            this.spec = new JobSpec(
                    Files.readString(file),
                    file.getFileName().toString(),
                    baseDir.toString(),
                    bundle.hash(),
                    bundle.folders(),
                    plan.definition().runtime().batchSize(),
                    plan.definition().runtime().maxWaitMs());
        } catch (IOException e) {
            throw new UncheckedIOException("could not pack the pipeline's plugins for Flink", e);
        }
        this.parallelism = parallelism;
    }

    /** The Flink configuration of the job: checkpoints, restarts, and no generic (Kryo) types. */
    Configuration jobConfiguration() {
        Configuration c = new Configuration();
        // every type has its own serializer; a type that would fall back to Kryo fails the job's translation
        c.set(PipelineOptions.GENERIC_TYPES, false);
        long interval = plan.definition().runtime().checkpointIntervalMs();
        if (interval > 0) c.set(CheckpointingOptions.CHECKPOINTING_INTERVAL, Duration.ofMillis(interval));
        // a task that has finished (a source at its end) would otherwise hold the job open until the next
        // periodic checkpoint; sinks commit their final output at the end of their input, as in a local run
        c.set(CheckpointingOptions.ENABLE_CHECKPOINTS_AFTER_TASKS_FINISH, false);
        c.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 5);
        c.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        return c;
    }

    /** The job graph of the pipeline, its plugins packed into a user JAR (the cluster's blob store ships it). */
    public JobGraph jobGraph() {
        return jobGraph(List.of());
    }

    /** The job graph, shipping {@code jars} (DataFlare's own classes) beside the plugins as user JARs. */
    JobGraph jobGraph(List<Path> jars) {
        StreamExecutionEnvironment env = new StreamExecutionEnvironment(jobConfiguration());
        new JobTranslator(plan, spec, parallelism).translate(env);
        var graph = env.getStreamGraph();
        graph.setJobName("dataflare: " + plan.name());
        JobGraph job = graph.getJobGraph();
        job.addJar(new org.apache.flink.core.fs.Path(bundle.jar().toUri()));
        for (Path jar : jars) job.addJar(new org.apache.flink.core.fs.Path(jar.toUri()));
        return job;
    }

    /** The slots the job needs: its widest stage. */
    public int slots() {
        int max = 1;
        for (StagePlan s : plan.stages()) max = Math.max(max, instances(s));
        return max;
    }

    private int instances(StagePlan s) {
        return switch (s.role()) {
            case PROCESSOR -> s.definition().parallelism() == null && parallelism != null ? parallelism : s.instances();
            default -> 1;
        };
    }

    /** Runs the pipeline on an embedded MiniCluster (one task manager with the slots it needs) to its end. */
    public PipelineResult run() throws Exception {
        Configuration cluster = new Configuration();
        // any free port for the MiniCluster's REST endpoint: Flink's default 8081 would fail a second run on the
        // same machine, or a run beside anything else that listens there
        cluster.set(RestOptions.BIND_PORT, "0");
        MiniClusterConfiguration config = new MiniClusterConfiguration.Builder()
                .setConfiguration(cluster)
                .setNumTaskManagers(1)
                .setNumSlotsPerTaskManager(slots())
                .build();
        try (MiniCluster mini = new MiniCluster(config)) {
            mini.start();
            return run(mini);
        }
    }

    /** Runs the pipeline on {@code cluster} to its end. */
    public PipelineResult run(MiniCluster cluster) throws Exception {
        JobID id = submit(cluster);
        return await(cluster, id);
    }

    /** Submits the job to {@code cluster}; {@link #await} its result. */
    public JobID submit(MiniCluster cluster) throws Exception {
        return cluster.submitJob(jobGraph()).get().getJobID();
    }

    /**
     * Submits the job over REST to the Flink session cluster at {@code restAddress} ({@code host:port} or
     * {@code http://host:port}), follows it to its end and sums up its run. The job ships the plugins and
     * DataFlare's own JARs (those on this JVM's class path) as user JARs; the task managers need Flink and the
     * third-party libraries DataFlare uses, and must see the pipeline's data paths (sources and sinks).
     */
    public PipelineResult runOn(String restAddress) throws Exception {
        URI uri = restAddress(restAddress);
        Configuration c = new Configuration();
        c.set(RestOptions.ADDRESS, uri.getHost());
        c.set(RestOptions.PORT, uri.getPort());
        try (RestClusterClient<StandaloneClusterId> client =
                new RestClusterClient<>(c, StandaloneClusterId.getInstance())) {
            JobID id = client.submitJob(jobGraph(DataFlareJars.onClassPath(staging)))
                    .get();
            return summary(client.requestJobResult(id).get());
        }
    }

    /**
     * The REST address of a Flink cluster, written {@code HOST:PORT} or {@code http://HOST:PORT}.
     *
     * @throws IllegalArgumentException when it is not one
     */
    public static URI restAddress(String written) {
        URI uri;
        try {
            uri = URI.create(written.contains("://") ? written : "http://" + written);
        } catch (IllegalArgumentException e) {
            uri = null;
        }
        if (uri == null || uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException(
                    "--flink takes the REST address of a Flink cluster as HOST:PORT, not '" + written + "'");
        }
        return uri;
    }

    /** Waits for job {@code id} on {@code cluster} to end and sums up its run. */
    public PipelineResult await(MiniCluster cluster, JobID id) throws Exception {
        JobResult result = cluster.requestJobResult(id).get();
        return summary(result);
    }

    private PipelineResult summary(JobResult result) throws Exception {
        ClassLoader cl = FlinkRunner.class.getClassLoader();
        Map<String, Object> accumulators = new HashMap<>();
        for (Map.Entry<String, SerializedValue<OptionalFailure<Object>>> e :
                result.getAccumulatorResults().entrySet()) {
            OptionalFailure<Object> v = e.getValue().deserializeValue(cl);
            if (!v.isFailure()) accumulators.put(e.getKey(), v.getUnchecked());
        }
        Map<String, Integer> instances = new HashMap<>();
        for (StagePlan s : plan.stages()) instances.put(s.name(), instances(s));
        String failure = null;
        if (!result.isSuccess()) {
            Throwable t = result.getSerializedThrowable()
                    .map(st -> st.deserializeError(cl))
                    .orElse(null);
            failure = t == null ? "the Flink job " + result.getJobStatus().orElse(null) : JobFailures.message(t);
        }
        return RunSummaries.result(plan, accumulators, instances, result.isSuccess(), failure, result.getNetRuntime());
    }
}
