package io.dataflare.server.task;

import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.pipeline.ComponentPlan;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.pipeline.StageRole;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.StatsSnapshot;
import io.dataflare.server.io.MemorySinkFactory;
import io.dataflare.server.io.OutputBuffer;
import io.dataflare.server.io.PushInput;
import io.dataflare.server.io.PushSourceFactory;
import io.dataflare.server.io.PushSpool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * One task: its pipeline (as submitted and as compiled), its state, its current or last run, the queues of
 * its push sources, the output of its memory sinks, and its subscribers. Guarded by its own monitor; never
 * wait for a run while holding it (the run's threads report back through it).
 */
public final class Task {
    /** The name of the memory sink keeping a task's dead letters (the engine's dead-letter stage). */
    public static final String DEAD_LETTER_STAGE = "dead_letter";

    private final String id;
    private final Instant createdAt;
    private final TaskEvents events = new TaskEvents();
    private final Map<String, PushInput> inputs = new LinkedHashMap<>();
    private final Map<String, OutputBuffer> outputs = new LinkedHashMap<>();
    private final List<Attachment> attachments = new ArrayList<>();
    private final BiFunction<String, String, PushSpool> spools;
    private TaskSpec spec;
    private TaskCompiler.Compiled compiled;
    private com.fasterxml.jackson.databind.JsonNode pipeline;
    private TaskState state;
    private String error;
    private Instant updatedAt;
    private PipelineRun run;
    private TaskStateListener observer;
    /** Read without the monitor: plugin events are masked with it on threads that must not wait for a task. */
    private volatile Redactor redactor;

    Task(
            TaskSpec spec,
            TaskCompiler.Compiled compiled,
            TaskState state,
            String error,
            Instant createdAt,
            Instant updatedAt,
            BiFunction<String, String, PushSpool> spools) {
        this.id = spec.id();
        this.spools = spools;
        this.createdAt = createdAt;
        this.updatedAt = updatedAt;
        this.state = state;
        this.error = error;
        define(spec, compiled);
    }

    public String id() {
        return id;
    }

    public TaskEvents events() {
        return events;
    }

    public synchronized TaskSpec spec() {
        return spec;
    }

    /** The pipeline as submitted ({@code ${...}} references unresolved), as a tree. */
    public synchronized com.fasterxml.jackson.databind.JsonNode pipeline() {
        return pipeline;
    }

    /** The compiled pipeline, or null when it does not validate (the task is then in ERROR). */
    public synchronized TaskCompiler.Compiled compiled() {
        return compiled;
    }

    public synchronized TaskState state() {
        return state;
    }

    /** Why the task is in ERROR (masked), or null. */
    public synchronized String error() {
        return error;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public synchronized Instant updatedAt() {
        return updatedAt;
    }

    /** The current run, or the last one, or null. */
    public synchronized PipelineRun run() {
        return run;
    }

    /** The counters of the current or last run, or null before the first run. */
    public StatsSnapshot stats() {
        PipelineRun r = run();
        return r == null ? null : r.stats();
    }

    /** The masker of this task's secrets. */
    public Redactor redactor() {
        return redactor;
    }

    public synchronized Map<String, PushInput> inputs() {
        return new LinkedHashMap<>(inputs);
    }

    public synchronized Map<String, OutputBuffer> outputs() {
        return new LinkedHashMap<>(outputs);
    }

    public synchronized PushInput input(String stage) {
        return inputs.get(stage);
    }

    public synchronized OutputBuffer output(String stage) {
        return outputs.get(stage);
    }

    public synchronized List<Attachment> attachments() {
        return new ArrayList<>(attachments);
    }

    synchronized void addAttachment(Attachment a) {
        attachments.add(a);
    }

    synchronized int nextAttachmentId() {
        return attachments.stream().mapToInt(Attachment::id).max().orElse(0) + 1;
    }

    /** Sets the pipeline: push sources and memory sinks keep their queued records and output where the stage remains. */
    synchronized void define(TaskSpec newSpec, TaskCompiler.Compiled newCompiled) {
        this.spec = newSpec;
        this.compiled = newCompiled;
        this.redactor = newCompiled == null
                ? new Redactor()
                : newCompiled.plan().definition().redactor();
        this.pipeline = RawPipeline.tree(newSpec.text(), newSpec.format());
        Map<String, PushInput> oldInputs = new LinkedHashMap<>(inputs);
        Map<String, OutputBuffer> oldOutputs = new LinkedHashMap<>(outputs);
        inputs.clear();
        outputs.clear();
        if (newCompiled == null) return;
        PipelinePlan plan = newCompiled.plan();
        for (StagePlan s : plan.stages()) {
            if (isPushSource(s)) {
                PushInput in = PushInput.of(s.name(), s.component().config());
                PushInput old = oldInputs.get(s.name());
                if (old != null) carryOver(old, in);
                else in.queue().spoolTo(spools.apply(id, s.name())); // what a crash left there comes back
                inputs.put(s.name(), in);
            }
            if (s.role() == StageRole.SINK) addOutput(s.name(), s.component(), oldOutputs);
        }
        if (plan.deadLetter() != null) addOutput(DEAD_LETTER_STAGE, plan.deadLetter(), oldOutputs);
    }

    /** The names of the push sources of {@code compiled} (none when it is null). */
    static java.util.Set<String> pushSources(TaskCompiler.Compiled compiled) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        if (compiled == null) return out;
        for (StagePlan s : compiled.plan().stages()) {
            if (isPushSource(s)) out.add(s.name());
        }
        return out;
    }

    private static boolean isPushSource(StagePlan s) {
        return s.role() == StageRole.SOURCE && s.component().component().factory() instanceof PushSourceFactory;
    }

    private void addOutput(String stage, ComponentPlan c, Map<String, OutputBuffer> old) {
        if (!(c.component().factory() instanceof MemorySinkFactory)) return;
        int capacity = MemorySinkFactory.capacity(c.config());
        OutputBuffer prior = old.get(stage);
        outputs.put(
                stage,
                prior != null && prior.capacity() == capacity
                        ? prior
                        : new OutputBuffer(stage, capacity, events::output));
    }

    /** The new queue takes over everything the old one holds, even beyond a smaller capacity: nothing acknowledged is dropped. */
    private static void carryOver(PushInput from, PushInput to) {
        to.queue().takeOver(from.queue());
    }

    synchronized void state(TaskState newState, String newError) {
        TaskState from = this.state;
        this.state = newState;
        this.error = newError;
        this.updatedAt = Instant.now();
        if (observer != null && from != newState) observer.changed(id, from, newState, newError);
    }

    /** Tells {@code listener} of every state change from now on. */
    synchronized void observe(TaskStateListener listener) {
        this.observer = listener;
    }

    synchronized void run(PipelineRun newRun) {
        this.run = newRun;
    }

    synchronized StoredTask stored() {
        List<StoredTask.AttachmentRecord> a = new ArrayList<>();
        for (Attachment at : attachments) a.add(at.record());
        return new StoredTask(spec, state, error, createdAt, updatedAt, a);
    }
}
