package io.dataflare.engine.runtime;

import io.dataflare.engine.runtime.scale.RescaleEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/** Registers a run's stage counters and queue depths as Micrometer meters, and removes them at the end. */
final class RunMetrics {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();

    RunMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void stage(String pipeline, String stage, String plugin, StageStats s, Channel input) {
        Tags tags = Tags.of("pipeline", pipeline, "stage", stage, "plugin", plugin);
        counter("dataflare.stage.records.in", tags, s.recordsIn);
        counter("dataflare.stage.records.out", tags, s.recordsOut);
        counter("dataflare.stage.records.failed", tags, s.failed);
        counter("dataflare.stage.records.filtered", tags, s.filtered);
        counter("dataflare.stage.errors", tags, s.errors);
        counter("dataflare.stage.retries", tags, s.retries);
        counter("dataflare.stage.batches", tags, s.batches);
        forgetEarlier("dataflare.stage.busy.seconds", tags);
        meters.add(FunctionCounter.builder("dataflare.stage.busy.seconds", s.busyNanos, a -> a.sum() / 1e9)
                .tags(tags)
                .register(registry));
        if (input != null) {
            forgetEarlier("dataflare.stage.queue.batches", tags);
            meters.add(
                    Gauge.builder("dataflare.stage.queue.batches", input, (ToDoubleFunction<Channel>) Channel::queued)
                            .tags(tags)
                            .register(registry));
        }
    }

    /**
     * An elastic stage's instances in use ({@code dataflare_stage_instances}), its load rate
     * ({@code dataflare_stage_load_rate}) and, as it rescales, {@code dataflare_rescales_total} by direction.
     */
    void elastic(String pipeline, ElasticStage e) {
        Tags tags = Tags.of("pipeline", pipeline, "stage", e.stage());
        gauge("dataflare.stage.instances", tags, e, ElasticStage::instances, "instances of the stage in use");
        gauge(
                "dataflare.stage.load_rate",
                tags,
                e,
                ElasticStage::loadRate,
                "0.5 x busy/total + 0.3 x min(queued rows/1000, 1) + 0.2 x min(latency/100 ms, 1)");
        for (String direction : List.of("up", "down")) {
            Tags t = tags.and("direction", direction);
            forgetEarlier("dataflare.rescales", t);
            meters.add(Counter.builder("dataflare.rescales")
                    .description("rescales of an elastic stage")
                    .tags(t)
                    .register(registry));
        }
    }

    /** An elastic stage rescaled. */
    void rescaled(String pipeline, RescaleEvent e) {
        registry.counter(
                        "dataflare.rescales",
                        Tags.of(
                                "pipeline",
                                pipeline,
                                "stage",
                                e.stage(),
                                "direction",
                                e.to() > e.from() ? "up" : "down"))
                .increment();
    }

    /** Records a stage emitted to one of its named outputs ({@code dataflare_stage_output_records_total}). */
    void output(String pipeline, String stage, String plugin, String output, LongAdder records) {
        counter(
                "dataflare.stage.output.records",
                Tags.of("pipeline", pipeline, "stage", stage, "plugin", plugin, "output", output),
                records);
    }

    /**
     * A sink's offline buffer: records, bytes and batches in its spool, the age of the oldest, whether it is full
     * (the sink holds the pipeline back), records spooled and drained, and how often the spool filled up.
     */
    void buffer(String pipeline, SinkBuffer b) {
        Tags tags = Tags.of("pipeline", pipeline, "stage", b.stage);
        gauge("dataflare.sink.buffer.records", tags, b, x -> x.spool.records(), "records waiting in the spool");
        gauge("dataflare.sink.buffer.bytes", tags, b, x -> x.spool.bytes(), "bytes of the spool on disk");
        gauge("dataflare.sink.buffer.oldest.age.seconds", tags, b, SinkBuffer::oldestAgeSeconds, "age of the oldest");
        gauge("dataflare.sink.buffer.full", tags, b, x -> x.full() ? 1 : 0, "1 while the spool holds the input back");
        gauge("dataflare.sink.buffer.sink.down", tags, b, x -> x.sinkDown() ? 1 : 0, "1 while the sink fails");
        counter("dataflare.sink.buffer.spooled.records", tags, b.spooledRecords);
        counter("dataflare.sink.buffer.drained.records", tags, b.drainedRecords);
        counter("dataflare.sink.buffer.backpressure", tags, b.backpressureWaits);
        counter("dataflare.sink.buffer.drain.writes", tags, b.drainWrites);
    }

    /**
     * A run's resource budget: {@code dataflare_memory_budget_bytes}, the measured record size, the batch size the
     * budget allows now, and the seconds the sources waited for the rate limit.
     */
    void budget(String pipeline, ResourceBudget b) {
        Tags tags = Tags.of("pipeline", pipeline);
        gauge(
                "dataflare.memory.budget.bytes",
                tags,
                b,
                ResourceBudget::memoryBytes,
                "runtime.memory_mb in bytes (0: none)");
        gauge(
                "dataflare.memory.record.bytes",
                tags,
                b,
                ResourceBudget::recordBytes,
                "estimated heap bytes of a record");
        gauge(
                "dataflare.memory.batch.limit",
                tags,
                b,
                ResourceBudget::batchLimit,
                "the largest batch the budget allows the sources now");
        forgetEarlier("dataflare.rate.limit.wait.seconds", tags);
        meters.add(FunctionCounter.builder("dataflare.rate.limit.wait.seconds", b, ResourceBudget::rateWaitSeconds)
                .description("time the sources waited for runtime.max_records_per_second")
                .tags(tags)
                .register(registry));
    }

    /** A run's disk budget over its spools: {@code dataflare_disk_budget_bytes}, {@code dataflare_disk_used_bytes}. */
    void disk(String pipeline, DiskBudget d) {
        Tags tags = Tags.of("pipeline", pipeline);
        gauge("dataflare.disk.budget.bytes", tags, d, DiskBudget::limitBytes, "runtime.disk_mb in bytes");
        gauge("dataflare.disk.used.bytes", tags, d, DiskBudget::used, "bytes the run's spools hold");
    }

    /** A budget was reached ({@code dataflare_budget_hits_total}, tags {@code pipeline}, {@code budget}). */
    void budgetHit(String pipeline, BudgetEvent e) {
        Counter c = Counter.builder("dataflare.budget.hits")
                .description("times a budget held a run back")
                .tags(Tags.of("pipeline", pipeline, "budget", e.budget()))
                .register(registry);
        synchronized (meters) {
            if (!meters.contains(c)) meters.add(c);
        }
        c.increment();
    }

    /** A gauge of this run that replaces an earlier run's of the same name and tags. */
    private <T> void gauge(String name, Tags tags, T source, ToDoubleFunction<T> f, String description) {
        forgetEarlier(name, tags);
        meters.add(Gauge.builder(name, source, f)
                .description(description)
                .tags(tags)
                .register(registry));
    }

    void pipeline(String pipeline, RunCounters c) {
        Tags tags = Tags.of("pipeline", pipeline);
        counter("dataflare.pipeline.records.skipped", tags, c.skipped);
        counter("dataflare.pipeline.records.dead_lettered", tags, c.deadLettered);
        // end-to-end record latency over the run, as gauges of its percentiles (the histogram is the run's own)
        for (String q : List.of("p50", "p99", "max")) {
            Tags t = tags.and("quantile", q);
            forgetEarlier("dataflare.pipeline.latency.seconds", t);
            meters.add(Gauge.builder("dataflare.pipeline.latency.seconds", c.latency, l -> {
                        LatencySnapshot s = l.snapshot();
                        return (q.equals("p50") ? s.p50Ms() : q.equals("p99") ? s.p99Ms() : s.maxMs()) / 1000.0;
                    })
                    .description("end-to-end record latency, source read to sink acknowledgement, over the run")
                    .tags(t)
                    .register(registry));
        }
    }

    /**
     * A stage switched plugin versions: how long it held the run ({@code dataflare_swap_pause_seconds} in
     * Prometheus; {@code kind} processor: the longest pause of one worker, other kinds: the whole pipeline's
     * pause at the barrier).
     */
    void switched(String pipeline, String stage, String kind, long pauseNanos) {
        Timer t = Timer.builder("dataflare.swap.pause")
                .description("pause of a running pipeline while a stage switched plugin versions")
                .tags(Tags.of("pipeline", pipeline, "stage", stage, "kind", kind))
                .register(registry);
        synchronized (meters) {
            if (!meters.contains(t)) meters.add(t);
        }
        t.record(pauseNanos, TimeUnit.NANOSECONDS);
    }

    private void counter(String name, Tags tags, LongAdder adder) {
        forgetEarlier(name, tags);
        meters.add(
                FunctionCounter.builder(name, adder, LongAdder::sum).tags(tags).register(registry));
    }

    /** A new run of a pipeline replaces the meters an earlier run of it left (Micrometer would keep the old ones). */
    private void forgetEarlier(String name, Tags tags) {
        for (Meter m : registry.find(name).tags(tags).meters()) registry.remove(m);
    }

    void remove() {
        synchronized (meters) {
            for (Meter m : meters) registry.remove(m);
            meters.clear();
        }
    }
}
