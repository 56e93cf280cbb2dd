package io.dataflare.engine.runtime;

import io.dataflare.api.policy.ErrorAction;
import io.dataflare.api.policy.ErrorPolicy;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import io.dataflare.engine.checkpoint.Checkpoint;
import io.dataflare.engine.pipeline.AdaptiveBatch;
import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.pipeline.ElasticParallelism;
import io.dataflare.engine.pipeline.PipelineDefinition;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.RuntimeSettings;
import io.dataflare.engine.pipeline.SinkBufferDefinition;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.pipeline.StageRef;
import io.dataflare.engine.pipeline.StageRole;
import io.dataflare.engine.runtime.scale.AdaptiveBatchSize;
import io.dataflare.engine.state.FileStateStore;
import io.dataflare.engine.state.KeyGroups;
import io.dataflare.engine.state.StateEncryption;
import io.dataflare.engine.state.StateStore;
import io.dataflare.engine.state.keyed.DirectorySnapshotFiles;
import io.dataflare.engine.state.keyed.RunStates;
import io.dataflare.engine.state.keyed.SnapshotEncryption;
import io.dataflare.engine.state.keyed.SnapshotFiles;
import io.dataflare.engine.state.keyed.StoreSnapshotFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds what a run is made of from its plan: a bounded input channel per processor and sink (a routed one
 * for a keyed parallel processor), the plugin instances (sources, processors, sinks, the retry and error
 * policies of every worker, key routers), one worker per stage instance, the dead-letter sink, the
 * checkpoint coordinator, and the metrics of every stage. A run that resumes has its sources seek and its
 * sinks restore to the checkpoint here. If anything fails the instances created so far are closed.
 */
final class StageAssembler {
    private static final Logger LOG = LoggerFactory.getLogger(StageAssembler.class);
    /** The name the dead-letter sink runs under. */
    static final String DEAD_LETTER_STAGE = "dead_letter";

    /**
     * What a run is made of.
     *
     * @param workers         one per stage instance, sinks last
     * @param inputs          the input channel of each processor and sink
     * @param deadLetterInput the dead-letter sink's input, or null when the pipeline has none
     * @param bindings        the version-switch slots of the processor stages
     * @param sinks           the sink workers by stage, the dead-letter sink's included
     * @param policyUsers     every worker's retry and error policies, for a version switch of a policy
     * @param checkpoints     the checkpoint coordinator, or null without checkpoints
     */
    record Stages(
            List<Worker> workers,
            Map<String, Channel> inputs,
            Channel deadLetterInput,
            Map<String, StageBinding> bindings,
            Map<String, SinkWorker> sinks,
            List<PolicyUser> policyUsers,
            CheckpointCoordinator checkpoints) {}

    /**
     * The policies of one worker.
     *
     * @param stage           the worker's stage
     * @param instance        its instance
     * @param instances       the stage's instances
     * @param handler         where its policies are
     * @param usesErrorPolicy whether it uses the pipeline's error policy (the dead-letter sink does not)
     */
    record PolicyUser(String stage, int instance, int instances, FailureHandler handler, boolean usesErrorPolicy) {}

    private final PipelineRun run;
    /** The pipeline as written (the plan's components are not kept: a version switch must not stay pinned). */
    private final PipelineDefinition definition;

    private final RunEnvironment env;
    private final SourceGate gate;
    private final RunBarrier barrier;
    private final RunCounters counters;
    private final InFlight inFlight;
    private final RunMetrics metrics;
    private final Map<String, StageStats> stats;
    private final Map<String, String> plugins;
    private final List<AutoCloseable> created = new ArrayList<>();
    /** The elastic processor stages of the run, filled by {@link #assemble}. */
    private final Map<String, ElasticStage> elasticStages = new ConcurrentHashMap<>();
    /** The plan being assembled (during {@link #assemble} only). */
    private PipelinePlan plan;

    private Checkpoint restoreFrom;
    /** {@code runtime.disk_mb}: shared by the run's spools (made with the first). */
    private DiskBudget runDisk;

    private Channel deadLetterInput;
    /** The run's keyed state (from {@link #assemble} on). */
    private RunStates states;

    /**
     * @param stats   filled with every stage's counters (before any instance is created, so that a run that
     *                cannot start still reports its stages)
     * @param plugins filled with the plugin ({@code id@version}) of every stage
     */
    StageAssembler(
            PipelineRun run,
            PipelineDefinition definition,
            RunEnvironment env,
            SourceGate gate,
            RunBarrier barrier,
            RunCounters counters,
            InFlight inFlight,
            RunMetrics metrics,
            Map<String, StageStats> stats,
            Map<String, String> plugins) {
        this.run = run;
        this.definition = definition;
        this.env = env;
        this.gate = gate;
        this.barrier = barrier;
        this.counters = counters;
        this.inFlight = inFlight;
        this.metrics = metrics;
        this.stats = stats;
        this.plugins = plugins;
    }

    /**
     * Builds the stages of {@code plan}; with {@code restoreFrom} (or null) the sources seek to its positions
     * and the sinks restore its states.
     *
     * @throws Exception saying which stage could not start; every instance created so far is closed
     */
    Stages assemble(PipelinePlan plan, RunOptions options, Checkpoint restoreFrom) throws Exception {
        this.plan = plan;
        this.restoreFrom = restoreFrom;
        try {
            return build(options);
        } catch (Exception e) {
            for (AutoCloseable c : created) closeQuietly(c);
            if (states != null) states.close();
            throw e;
        } finally {
            // holding the instances or the plan would pin plugin versions a switch replaces
            created.clear();
            this.plan = null;
        }
    }

    private Stages build(RunOptions options) throws Exception {
        RuntimeSettings rt = plan.definition().runtime();
        states = keyedStates(options, rt);
        Map<String, Channel> inputs = new HashMap<>();
        Map<String, StageBinding> bindings = new HashMap<>();
        int producers = 0;
        for (StagePlan s : plan.stages()) producers += s.instances();
        if (plan.deadLetter() != null) deadLetterInput = new SharedChannel(rt.queueBatches(), 1, producers, inFlight);

        for (StagePlan s : plan.stages()) {
            stats.put(s.name(), new StageStats());
            plugins.put(s.name(), s.component().pluginLabel());
            if (s.role() == StageRole.SOURCE) continue;
            // each upstream instance ends its output once per channel, however many of its outputs this reads
            Set<String> upstreamStages = new LinkedHashSet<>();
            for (String f : s.definition().from()) upstreamStages.add(ref(f).stage());
            int upstream = 0;
            for (String u : upstreamStages) upstream += plan.stage(u).instances();
            Channel in;
            ElasticParallelism elastic = s.definition().elastic();
            if (elastic != null) {
                KeyGroupChannel kg = new KeyGroupChannel(
                        rt.queueBatches(),
                        s.instances(),
                        elastic.initial(),
                        upstream,
                        s.routing() == null ? null : s.routing().keyField(),
                        inFlight);
                elasticStages.put(s.name(), new ElasticStage(run, s.name(), elastic, kg, barrier));
                in = kg;
            } else if (s.instances() > 1 && s.routing() != null) {
                KeyRouter router = create(s.routing().router(), KeyRouter.class, s.name(), 0, 1);
                in = new RoutedChannel(
                        rt.queueBatches(),
                        s.instances(),
                        upstream,
                        router,
                        s.routing().keyField(),
                        inFlight);
            } else {
                in = new SharedChannel(rt.queueBatches() * s.instances(), s.instances(), upstream, inFlight);
            }
            inputs.put(s.name(), in);
        }

        Map<String, Channel> sinkInputs = new LinkedHashMap<>();
        for (StagePlan s : plan.stages()) {
            if (s.role() == StageRole.SINK) sinkInputs.put(s.name(), inputs.get(s.name()));
        }
        if (deadLetterInput != null) sinkInputs.put(DEAD_LETTER_STAGE, deadLetterInput);
        CheckpointCoordinator checkpoints = null;
        if (options.checkpoints() != null) {
            checkpoints = new CheckpointCoordinator(
                    run,
                    gate,
                    barrier,
                    options.checkpoints(),
                    options.key(),
                    ResumeCheck.origin(plan),
                    ResumeCheck.fingerprint(plan),
                    rt.checkpointIntervalMs(),
                    restoreFrom == null ? 1 : restoreFrom.id() + 1,
                    sinkInputs,
                    env.clock());
            checkpoints.keyedState(states);
        }

        ResourceBudget budget = rt.limits().boundsSources() ? budget(rt) : null;
        List<Worker> workers = new ArrayList<>();
        Map<String, SinkWorker> sinks = new HashMap<>();
        List<PolicyUser> policyUsers = new ArrayList<>();
        for (StagePlan s : plan.stages()) {
            StageStats st = stats.get(s.name());
            Map<String, List<Channel>> named = new LinkedHashMap<>();
            List<Channel> down = downstream(s, inputs, named);
            for (int i = 0; i < s.instances(); i++) {
                FailureHandler fh = failureHandler(
                        s.name(), s.component(), i, s.instances(), st, errorPolicy(s.name(), i, s.instances()));
                policyUsers.add(new PolicyUser(s.name(), i, s.instances(), fh, true));
                workers.add(
                        switch (s.role()) {
                            case SOURCE -> {
                                Source source = create(s.component(), Source.class, s.name(), i, 1);
                                Map<String, Object> position = restoreFrom == null
                                        ? null
                                        : restoreFrom.sources().get(s.name());
                                if (position != null) restore(s.name(), () -> source.seek(position));
                                SourceWorker w = new SourceWorker(
                                        run,
                                        gate,
                                        s.name(),
                                        st,
                                        fh,
                                        source,
                                        new Emitter(s.name(), down, named, st).budget(budget),
                                        deadLetterInput,
                                        rt.batchSize(),
                                        rt.maxWaitMs(),
                                        position);
                                if (budget != null) w.budget(budget);
                                AdaptiveBatch ab = rt.adaptiveBatch();
                                if (ab != null)
                                    w.adaptive(
                                            new AdaptiveBatchSize(rt.batchSize(), ab.min(), ab.max(), ab.increase()),
                                            ab.targetLatencyMs());
                                gate.add(w);
                                yield w;
                            }
                            case PROCESSOR -> {
                                ProcessorWorker w = new ProcessorWorker(
                                        run,
                                        s.name(),
                                        i,
                                        st,
                                        fh,
                                        create(s.component(), Processor.class, s.name(), i, s.instances()),
                                        bindings.computeIfAbsent(s.name(), k -> new StageBinding(k, s.instances())),
                                        inputs.get(s.name()),
                                        new Emitter(s.name(), down, named, st).budget(budget),
                                        deadLetterInput,
                                        inFlight,
                                        states,
                                        barrier);
                                ElasticStage es = elasticStages.get(s.name());
                                if (es != null) w.measure(es.load());
                                yield w;
                            }
                            case SINK -> {
                                SinkBuffer buffer = null;
                                if (s.definition().buffer() != null) {
                                    buffer = openBuffer(s.name(), s.definition().buffer());
                                    created.add(buffer);
                                }
                                SinkWorker w = new SinkWorker(
                                        run,
                                        s.name(),
                                        st,
                                        fh,
                                        restoredSink(
                                                s.name(), create(s.component(), Sink.class, s.name(), i, 1), buffer),
                                        inputs.get(s.name()),
                                        deadLetterInput,
                                        null,
                                        inFlight,
                                        checkpoints);
                                w.latency(counters.latency);
                                if (buffer != null) {
                                    w.buffer(buffer);
                                    metrics.buffer(plan.name(), buffer);
                                }
                                sinks.put(s.name(), w);
                                yield w;
                            }
                        });
            }
            metrics.stage(plan.name(), s.name(), s.component().pluginLabel(), st, inputs.get(s.name()));
            ElasticStage es = elasticStages.get(s.name());
            if (es != null) metrics.elastic(plan.name(), es);
            for (String o : named.keySet()) {
                metrics.output(plan.name(), s.name(), s.component().pluginLabel(), o, st.output(o));
            }
        }
        if (plan.deadLetter() != null) {
            StageStats st = new StageStats();
            stats.put(DEAD_LETTER_STAGE, st);
            plugins.put(DEAD_LETTER_STAGE, plan.deadLetter().pluginLabel());
            // The dead-letter sink has nowhere to send its own failures: they fail the pipeline.
            ErrorPolicy abort = f -> ErrorAction.ABORT;
            FailureHandler fh = failureHandler(DEAD_LETTER_STAGE, plan.deadLetter(), 0, 1, st, abort);
            policyUsers.add(new PolicyUser(DEAD_LETTER_STAGE, 0, 1, fh, false));
            SinkWorker dl = new SinkWorker(
                    run,
                    DEAD_LETTER_STAGE,
                    st,
                    fh,
                    restoredSink(
                            DEAD_LETTER_STAGE, create(plan.deadLetter(), Sink.class, DEAD_LETTER_STAGE, 0, 1), null),
                    deadLetterInput,
                    null,
                    counters.deadLettered,
                    inFlight,
                    checkpoints);
            sinks.put(DEAD_LETTER_STAGE, dl);
            workers.add(dl);
            metrics.stage(plan.name(), DEAD_LETTER_STAGE, plan.deadLetter().pluginLabel(), st, deadLetterInput);
        }
        if (restoreFrom != null && restoreFrom.state() != null) {
            // a rescaled stage resumes with its initial assignment of key groups: their state goes there too
            for (ElasticStage e : elasticStages.values()) {
                StagePlan sp = plan.stage(e.stage());
                int initial = sp.definition().elastic().initial();
                states.rehome(
                        e.stage(), sp.instances(), g -> KeyGroups.instanceOf(g, KeyGroups.DEFAULT_COUNT, initial));
            }
        }
        metrics.pipeline(plan.name(), counters);
        if (restoreFrom != null) {
            LOG.info(
                    "pipeline '{}' resumes from checkpoint {} of {}",
                    plan.name(),
                    restoreFrom.id(),
                    restoreFrom.createdAt());
        }
        return new Stages(workers, inputs, deadLetterInput, bindings, sinks, policyUsers, checkpoints);
    }

    /** The run's elastic stages by name (empty before {@link #assemble}). */
    Map<String, ElasticStage> elasticStages() {
        return elasticStages;
    }

    /** What the {@code from:} entry {@code written} reads, among the plan's stages. */
    private StageRef ref(String written) {
        return StageRef.of(written, n -> plan.stage(n) != null);
    }

    /**
     * The input channels of the stages reading the main output of {@code s}; those reading its named outputs
     * go into {@code named}, by output.
     */
    private List<Channel> downstream(StagePlan s, Map<String, Channel> inputs, Map<String, List<Channel>> named) {
        List<Channel> main = new ArrayList<>();
        for (StagePlan t : plan.stages()) {
            for (String f : t.definition().from()) {
                StageRef r = ref(f);
                if (!r.stage().equals(s.name())) continue;
                Channel c = inputs.get(t.name());
                if (r.output() == null) main.add(c);
                else named.computeIfAbsent(r.output(), k -> new ArrayList<>()).add(c);
            }
        }
        return main;
    }

    /** The run's keyed state (null before {@link #assemble}). */
    RunStates states() {
        return states;
    }

    /**
     * The run's keyed state: with a file store, snapshots go to {@code keyed-state/<key>/} in its directory (a
     * disk-based backend works in {@code keyed-state-work/<key>/}); with another store (memory, JDBC), into its
     * namespace {@code keyed-state}, beside the checkpoints. Without checkpoints state lives as long as the run.
     */
    private RunStates keyedStates(RunOptions options, RuntimeSettings rt) throws Exception {
        SnapshotFiles files = null;
        Path work;
        if (options.checkpoints() != null) {
            StateStore store = options.checkpoints().store();
            String dirName = safeName(options.key());
            if (StateEncryption.unwrap(store) instanceof FileStateStore f) {
                // encrypted like the store itself when it encrypts (the working copy of a disk-based backend is not)
                files = SnapshotEncryption.protect(
                        new DirectorySnapshotFiles(
                                f.directory().resolve("keyed-state").resolve(dirName)),
                        store);
                work = f.directory().resolve("keyed-state-work").resolve(dirName);
            } else {
                files = new StoreSnapshotFiles(store, "keyed-state", options.key());
                work = null; // a temporary directory, if a disk-based backend needs one
            }
        } else {
            work = null;
        }
        if (restoreFrom != null && restoreFrom.state() != null) checkStateInstances(restoreFrom.state());
        return new RunStates(rt.state(), files, restoreFrom == null ? null : restoreFrom.state(), work, env.clock());
    }

    /**
     * State is restored per instance, and a key's instance depends on how many there are: a stage whose
     * checkpoint holds state of another number of instances cannot resume (its keys would meet other state).
     */
    private void checkStateInstances(Map<String, List<String>> state) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (String id : state.keySet()) {
            int slash = id.lastIndexOf('/');
            counts.merge(id.substring(0, slash), Integer.parseInt(id.substring(slash + 1)) + 1, Math::max);
        }
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            StagePlan s = plan.stage(e.getKey());
            // an elastic stage has its most instances from the start; those that never kept state have no files
            boolean fits = s == null
                    || s.instances() == e.getValue()
                    || s.definition().elastic() != null && e.getValue() <= s.instances();
            if (!fits) {
                throw new Exception("stage '" + e.getKey() + "' cannot resume from checkpoint " + restoreFrom.id()
                        + ": its keyed state was taken with " + e.getValue() + " instances and it now has "
                        + s.instances() + " (run it with parallelism " + e.getValue()
                        + ", or with --from-start to start over)");
            }
        }
    }

    /** A key as a directory name: other characters than letters, digits, '.', '_' and '-' as {@code %hex}. */
    private static String safeName(String key) {
        StringBuilder b = new StringBuilder();
        for (char c : key.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128 || c == '.' && b.length() > 0 || c == '_' || c == '-')
                b.append(c);
            else b.append('%').append(String.format("%04x", (int) c));
        }
        return b.toString();
    }

    /** A step of going back to the checkpoint. */
    private interface RestoreStep {
        void run() throws Exception;
    }

    private void restore(String stage, RestoreStep step) throws Exception {
        try {
            step.run();
        } catch (Exception e) {
            throw new Exception(
                    "stage '" + stage + "' cannot resume from checkpoint " + restoreFrom.id() + ": "
                            + ErrorClassifier.message(e) + " (run with --from-start to start over)",
                    e);
        }
    }

    private Sink restoredSink(String stage, Sink sink, SinkBuffer buffer) throws Exception {
        Map<String, Object> saved =
                restoreFrom == null ? null : restoreFrom.sinks().get(stage);
        Map<String, Object> state = buffer == null || saved == null ? saved : buffer.restore(saved);
        if (state != null) restore(stage, () -> sink.restore(state));
        return sink;
    }

    /**
     * The run's resource budget over the batches it can hold at once: each source's batch, and for every other
     * stage its queues plus the batch each instance works on (processors: and the one they build).
     */
    private ResourceBudget budget(RuntimeSettings rt) {
        long slots = 0;
        for (StagePlan s : plan.stages()) {
            long n = s.instances();
            slots += s.role() == StageRole.SOURCE ? n : rt.queueBatches() * n + 2 * n;
        }
        if (plan.deadLetter() != null) slots += rt.queueBatches() + 1;
        int batch =
                rt.adaptiveBatch() == null ? rt.batchSize() : rt.adaptiveBatch().max();
        ResourceBudget b = new ResourceBudget(plan.name(), rt.limits(), slots, batch, run::budget);
        metrics.budget(plan.name(), b);
        return b;
    }

    private SinkBuffer openBuffer(String stage, SinkBufferDefinition definition) throws Exception {
        try {
            List<DiskBudget> budgets = new ArrayList<>(2);
            long diskBytes = plan.definition().runtime().limits().diskBytes();
            if (runDisk == null && diskBytes > 0) {
                runDisk = new DiskBudget("disk", diskBytes);
                metrics.disk(plan.name(), runDisk);
            }
            if (runDisk != null) budgets.add(runDisk);
            if (env.disk() != null) budgets.add(env.disk());
            SinkBuffer b = new SinkBuffer(stage, definition, env, budgets, run::budget);
            b.memoryBudget(plan.definition().runtime().limits().memoryBytes());
            return b;
        } catch (java.io.IOException e) {
            throw new Exception(
                    "sink '" + stage + "': buffer: cannot open the spool " + definition.path() + ": "
                            + ErrorClassifier.message(e),
                    e);
        }
    }

    private FailureHandler failureHandler(
            String stage, ComponentPlan component, int instance, int instances, StageStats st, ErrorPolicy errors)
            throws Exception {
        RetryPolicy retry = plan.retry() == null
                ? RetryPolicy.none()
                : create(plan.retry(), RetryPolicy.class, stage, instance, instances);
        return new FailureHandler(
                retry,
                errors,
                deadLetterInput,
                counters,
                st,
                plan.name(),
                stage,
                component.pluginLabel(),
                env.clock(),
                plan.definition().redactor());
    }

    private ErrorPolicy errorPolicy(String stage, int instance, int instances) throws Exception {
        if (plan.errorPolicy() == null) return f -> ErrorAction.ABORT;
        return create(plan.errorPolicy(), ErrorPolicy.class, stage, instance, instances);
    }

    private <T> T create(ComponentPlan c, Class<T> type, String stage, int instance, int instances) throws Exception {
        T o = instantiate(c, type, stage, instance, instances);
        if (o instanceof AutoCloseable ac) created.add(ac);
        return o;
    }

    /**
     * A new instance of {@code c} for instance {@code instance} of {@code stage} (also for a version switch).
     *
     * @throws Exception naming the stage and the component when the factory fails or makes something else
     */
    <T> T instantiate(ComponentPlan c, Class<T> type, String stage, int instance, int instances) throws Exception {
        return HostedPlugins.create(
                c,
                type,
                new StageContext(c, definition, stage, instance, instances, env.clock(), env.meters(), states, true));
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            LOG.debug("close failed", e);
        }
    }
}
