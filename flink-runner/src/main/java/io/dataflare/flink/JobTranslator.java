package io.dataflare.flink;

import io.dataflare.api.data.Record;
import io.dataflare.engine.pipeline.PipelinePlan;
import io.dataflare.engine.pipeline.StagePlan;
import io.dataflare.engine.pipeline.StageRef;
import io.dataflare.engine.state.KeyGroups;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Translates a pipeline plan into a Flink DataStream job:
 *
 * <ul>
 *   <li>a source stage: a Flink source ({@link StageSource}: one split, or one per file of a file source's glob read
 *       by up to as many readers, each split's position in its state) and the operator that counts its records and
 *       sends its rejected lines to the error policy;
 *   <li>a processor stage: an operator hosting the plugin ({@link ProcessorOperator}) with the stage's
 *       parallelism; with {@code routing} and more than one instance, {@code hash} and {@code sticky} become
 *       {@code keyBy} on the routing key and {@code round_robin} becomes {@code rebalance};
 *   <li>{@code from:} with several stages: a union (fan-in); a stage read by several: each reads the same stream
 *       (fan-out); {@code stage.output}: that named output's side output;
 *   <li>a sink stage: an operator hosting the plugin's sink with its checkpoint protocol ({@link SinkOperator},
 *       parallelism 1 as in a local run);
 *   <li>dead letters: every operator's dead-letter side output, united into the dead-letter sink.
 * </ul>
 */
final class JobTranslator {
    private final PipelinePlan plan;
    private final JobSpec spec;
    private final Integer parallelism;
    private final Map<String, SingleOutputStreamOperator<Record>> built = new HashMap<>();
    private final List<DataStream<Record>> deadLetters = new ArrayList<>();

    /**
     * @param parallelism the instances of every processor that does not set its own {@code parallelism}, or
     *                    null for the plan's
     */
    JobTranslator(PipelinePlan plan, JobSpec spec, Integer parallelism) {
        this.plan = plan;
        this.spec = spec;
        this.parallelism = parallelism;
    }

    void translate(StreamExecutionEnvironment env) {
        // Flink's key groups are DataFlare's (see RoutingKey): plugins' keyed state is saved per key group
        env.setMaxParallelism(KeyGroups.DEFAULT_COUNT);
        List<StagePlan> left = new ArrayList<>(plan.stages());
        while (!left.isEmpty()) {
            boolean progress = false;
            for (var it = left.iterator(); it.hasNext(); ) {
                StagePlan s = it.next();
                if (!inputsBuilt(s)) continue;
                built.put(s.name(), build(env, s));
                it.remove();
                progress = true;
            }
            if (!progress) throw new IllegalStateException("the pipeline's stages form a cycle: " + left);
        }
        if (plan.deadLetter() != null && !deadLetters.isEmpty()) {
            union(deadLetters)
                    .transform(
                            Names.DEAD_LETTER_STAGE,
                            RecordTypeInfo.INSTANCE,
                            new SinkOperator(spec, Names.DEAD_LETTER_STAGE, true))
                    .name("dead_letter (sink)")
                    .uid("dataflare-dead-letter")
                    .setParallelism(1);
        }
    }

    private boolean inputsBuilt(StagePlan s) {
        for (String f : s.definition().from()) {
            if (!built.containsKey(ref(f).stage())) return false;
        }
        return true;
    }

    private SingleOutputStreamOperator<Record> build(StreamExecutionEnvironment env, StagePlan s) {
        SingleOutputStreamOperator<Record> op = switch (s.role()) {
            case SOURCE -> source(env, s);
            case PROCESSOR -> processor(s);
            case SINK ->
                input(s).transform(s.name(), RecordTypeInfo.INSTANCE, new SinkOperator(spec, s.name(), false))
                        .name(s.name() + " (sink)")
                        .uid("dataflare-sink-" + s.name())
                        .setParallelism(1);
        };
        deadLetters.add(op.getSideOutput(StageOperator.DEAD_LETTERS));
        return op;
    }

    /**
     * A source stage: one reader, or for a file source's glob one split per file and as many readers as files, up
     * to the job's widest stage (the slots it has anyway).
     */
    private SingleOutputStreamOperator<Record> source(StreamExecutionEnvironment env, StagePlan s) {
        List<String> files = FileSplits.of(s, plan.definition().baseDir());
        int readers = Math.max(1, Math.min(files.size(), widest(plan, parallelism)));
        return env.fromSource(
                        new StageSource(spec, s.name(), files),
                        WatermarkStrategy.noWatermarks(),
                        s.name(),
                        new SourceItemSerializer.TypeInfo())
                .uid("dataflare-source-" + s.name())
                .setParallelism(readers)
                .transform(
                        s.name(),
                        RecordTypeInfo.INSTANCE,
                        new SourceStageOperator(spec, s.name(), readers(s.name(), null)))
                .name(s.name() + " (source)")
                .uid("dataflare-source-out-" + s.name())
                .setParallelism(readers);
    }

    /** The most instances of any stage: the slots the job needs. */
    static int widest(PipelinePlan plan, Integer parallelism) {
        int max = 1;
        for (StagePlan s : plan.stages()) {
            if (s.role() == io.dataflare.engine.pipeline.StageRole.PROCESSOR) {
                max = Math.max(
                        max, s.definition().parallelism() == null && parallelism != null ? parallelism : s.instances());
            }
        }
        return max;
    }

    private SingleOutputStreamOperator<Record> processor(StagePlan s) {
        int instances = s.definition().parallelism() == null && parallelism != null ? parallelism : s.instances();
        DataStream<Record> in = input(s);
        if (s.routing() != null && instances > 1) {
            String how = FlinkSupport.routing(s.routing().router());
            if ("keyBy".equals(how)) in = in.keyBy(new RoutingKey(s.routing().keyField()));
            else if ("rebalance".equals(how)) in = in.rebalance();
            else throw new IllegalStateException("processor '" + s.name() + "': routing cannot run on Flink");
        }
        Map<String, Integer> named = new LinkedHashMap<>();
        for (String o : s.component().outputs()) named.put(o, readers(s.name(), o));
        return in.transform(
                        s.name(),
                        RecordTypeInfo.INSTANCE,
                        new ProcessorOperator(spec, s.name(), readers(s.name(), null), named))
                .name(s.name() + " (processor)")
                .uid("dataflare-processor-" + s.name())
                .setParallelism(instances);
    }

    /** The stream a stage reads: its one input, or the union of several (fan-in). */
    private DataStream<Record> input(StagePlan s) {
        List<DataStream<Record>> ins = new ArrayList<>();
        for (String f : s.definition().from()) {
            StageRef r = ref(f);
            SingleOutputStreamOperator<Record> up = built.get(r.stage());
            ins.add(r.output() == null ? up : up.getSideOutput(StageOperator.outputTag(r.output())));
        }
        return union(ins);
    }

    private static DataStream<Record> union(List<DataStream<Record>> streams) {
        DataStream<Record> u = streams.getFirst();
        for (DataStream<Record> s : streams.subList(1, streams.size())) u = u.union(s);
        return u;
    }

    /** How many stages read {@code stage}'s main output ({@code output} null) or its named output. */
    private int readers(String stage, String output) {
        int n = 0;
        for (StagePlan t : plan.stages()) {
            for (String f : t.definition().from()) {
                StageRef r = ref(f);
                if (r.stage().equals(stage) && java.util.Objects.equals(r.output(), output)) n++;
            }
        }
        return n;
    }

    private StageRef ref(String written) {
        return StageRef.of(written, n -> plan.stage(n) != null);
    }
}
