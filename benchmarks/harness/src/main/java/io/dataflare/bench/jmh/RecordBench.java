package io.dataflare.bench.jmh;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Building and reading records: the per-record cost every plugin pays. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RecordBench {
    private final Fields fields = Fields.of("id", "key", "amount", "quantity", "name", "text");
    private final Record record =
            Record.of(fields, 7L, "k7", 12.5, 3L, "Ada Lovelace", "amber basalt cobalt delta ember fjord");
    private long id;

    @Benchmark
    public Record buildFromFields() {
        return Record.builder(fields)
                .set(0, id++)
                .set(1, "k7")
                .set(2, 12.5)
                .set(3, 3L)
                .set(4, "Ada")
                .set(5, "text")
                .build();
    }

    @Benchmark
    public Record addOneField() {
        return record.toBuilder().set("n2", 14L).build();
    }

    @Benchmark
    public Object readByName() {
        return record.get("name");
    }

    @Benchmark
    public Long readTyped() {
        return record.getLong("quantity");
    }
}
