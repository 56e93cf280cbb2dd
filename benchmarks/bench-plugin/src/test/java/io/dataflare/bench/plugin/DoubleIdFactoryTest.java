package io.dataflare.bench.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.tck.SimplePluginContext;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The benchmark compares its rows by their output: this plugin must compute exactly n2 = id * 2. */
class DoubleIdFactoryTest {
    private static RecordBatch process(RecordBatch batch) throws Exception {
        DoubleIdFactory f = new DoubleIdFactory();
        return f.create(SimplePluginContext.of(f, Map.of(), null)).process(batch);
    }

    @Test
    void addsTwiceTheIdToEveryRecord() throws Exception {
        Fields f = Fields.of("id", "name");
        RecordBatch out = process(RecordBatch.of(Record.of(f, 1L, "a"), Record.of(f, 21L, "b")));
        assertThat(out.records()).extracting(r -> r.get("n2")).containsExactly(2L, 42L);
        assertThat(out.records()).extracting(r -> r.get("name")).containsExactly("a", "b");
    }

    @Test
    void passesRecordsWithoutALongIdThroughUnchanged() throws Exception {
        Record noId = Record.of(Fields.of("name"), "a");
        Record textId = Record.of(Fields.of("id"), "7");
        RecordBatch out = process(RecordBatch.of(noId, textId, Record.of(Fields.of("id"), 3L)));
        assertThat(out.records()).hasSize(3);
        assertThat(out.get(0)).isEqualTo(noId);
        assertThat(out.get(1)).isEqualTo(textId);
        assertThat(out.get(2).get("n2")).isEqualTo(6L);
    }
}
