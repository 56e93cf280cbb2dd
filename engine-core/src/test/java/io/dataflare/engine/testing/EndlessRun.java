package io.dataflare.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.dataflare.api.data.Record;
import io.dataflare.engine.Engine;
import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineRun;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import java.util.function.LongPredicate;

/**
 * A pipeline that runs until stopped ({@code seq} -> one processor -> a slow {@code collect} sink), for
 * watching a plugin change under it: which value of a field the sink sees last, the values it went
 * through in order, and whether every record arrived exactly once, in order.
 */
public final class EndlessRun implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final InProcessPlugins plugins;
    private final PipelineRun run;

    private EndlessRun(InProcessPlugins plugins, PipelineRun run) {
        this.plugins = plugins;
        this.run = run;
    }

    /** Starts {@code seq -> use (with: processorWith) -> collect 'out'} in batches of 100. */
    public static EndlessRun start(Engine engine, InProcessPlugins plugins, String use, String processorWith) {
        return new EndlessRun(plugins, engine.start(TestEngines.plan(engine, """
                sources: { in: { use: seq, with: { count: 1000000000 } } }
                processors: { p: { use: "%s", from: in, with: { %s } } }
                sinks: { out: { use: collect, from: p, with: { name: out, delay_ms: 2 } } }
                runtime: { batch_size: 100 }
                """.formatted(use, processorWith))));
    }

    public PipelineRun run() {
        return run;
    }

    /** What the sink received so far. */
    public List<Record> out() {
        return plugins.collected("out");
    }

    /** {@code field} of the last record the sink received, or null. */
    public Object last(String field) {
        return last(r -> r.get(field));
    }

    /** What {@code stamp} reads from the last record the sink received, or null. */
    public Object last(Function<Record, Object> stamp) {
        List<Record> l = out();
        synchronized (l) {
            return l.isEmpty() ? null : stamp.apply(l.get(l.size() - 1));
        }
    }

    /** Waits until the last record's {@code field} is {@code value}. */
    public void awaitLast(String field, Object value) {
        awaitLast(r -> r.get(field), value);
    }

    /** Waits until {@code stamp} reads {@code value} from the last record. */
    public void awaitLast(Function<Record, Object> stamp, Object value) {
        await().atMost(WAIT).until(() -> value.equals(last(stamp)));
    }

    /** Waits until the sink has received {@code n} more records. */
    public void awaitMore(int n) {
        long before = out().size();
        await().atMost(WAIT).until(() -> out().size() >= before + n);
    }

    /** Stops the run and checks that it stopped cleanly. */
    public PipelineResult stop() throws Exception {
        return Runs.stopCleanly(run, WAIT);
    }

    /** The values of {@code field} the sink saw, in order, without repeats: the versions a run went through. */
    public List<Object> valuesInOrder(String field) {
        return valuesInOrder(r -> r.get(field));
    }

    /** What {@code stamp} read from the records the sink saw, in order, without repeats. */
    public List<Object> valuesInOrder(Function<Record, Object> stamp) {
        synchronized (out()) {
            return OutputOrder.valuesInOrder(out(), stamp);
        }
    }

    /** Checks that the ids the sink received are exactly the ids {@code kept} accepts, from 0 up, each once, in order. */
    public void assertEveryRecordOnceInOrder(LongPredicate kept) {
        synchronized (out()) {
            long id = 0;
            for (Record r : out()) {
                while (!kept.test(id)) id++;
                assertThat(r.get("id")).as("record %d of %d", id, out().size()).isEqualTo(id);
                id++;
            }
        }
    }

    @Override
    public void close() throws Exception {
        run.close();
    }
}
