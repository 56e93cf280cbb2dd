package io.dataflare.flink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.runtime.state.StateInitializationContext;

/**
 * The counters of one operator instance, as Flink accumulators named {@code dataflare|STAGE|METRIC} (summed over
 * the instances by Flink, read into the run's summary by {@link RunSummaries}). They are kept in the operator's
 * checkpointed state too: after a failover an instance starts from the counts of the checkpoint it resumes from,
 * so that records replayed since are not counted twice and the summary means what a local run's does.
 */
final class StageCounters {
    static final String PREFIX = "dataflare|";

    private final Map<String, LongCounter> counters = new LinkedHashMap<>();
    private final Map<String, Long> restored = new LinkedHashMap<>();
    private RuntimeContext context;
    private ListState<Tuple2<String, Long>> state;

    /** Reads the counts of the checkpoint the instance resumes from (called before {@link #open}). */
    void initialize(StateInitializationContext ctx) throws Exception {
        state = ctx.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("dataflare-counters", Types.TUPLE(Types.STRING, Types.LONG)));
        if (ctx.isRestored()) {
            for (Tuple2<String, Long> t : state.get()) restored.merge(t.f0, t.f1, Long::sum);
        }
    }

    /** Registers the accumulators, starting from the restored counts. */
    void open(RuntimeContext ctx) {
        this.context = ctx;
        for (Map.Entry<String, Long> e : restored.entrySet())
            counter(e.getKey()).add(e.getValue());
    }

    void add(String stage, String metric, long n) {
        if (n != 0) counter(PREFIX + stage + "|" + metric).add(n);
    }

    void increment(String stage, String metric) {
        add(stage, metric, 1);
    }

    /** Saves the counts so far in the checkpoint being taken. */
    void snapshot() throws Exception {
        List<Tuple2<String, Long>> all = new ArrayList<>();
        for (Map.Entry<String, LongCounter> e : counters.entrySet()) {
            all.add(Tuple2.of(e.getKey(), e.getValue().getLocalValue()));
        }
        state.update(all);
    }

    private LongCounter counter(String name) {
        return counters.computeIfAbsent(name, n -> {
            LongCounter c = new LongCounter();
            context.addAccumulator(n, c);
            return c;
        });
    }
}
