package io.dataflare.plugins.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.source.Source;
import io.dataflare.tck.SimplePluginContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GeneratorSourceTest {
    private final GeneratorSourceFactory factory = new GeneratorSourceFactory();

    private Source open(Map<String, ?> config) {
        return factory.create(SimplePluginContext.of(factory, config, null));
    }

    private static List<Record> drain(Source s, int batch) throws Exception {
        List<Record> out = new ArrayList<>();
        RecordBatch b;
        while ((b = s.poll(batch)) != null) out.addAll(b.records());
        return out;
    }

    @Test
    void producesCountRecordsInOrderWithTheDocumentedFields() throws Exception {
        List<Record> r = drain(open(Map.of("count", 250, "keys", 7, "words", 3)), 100);
        assertThat(r).hasSize(250);
        assertThat(r).extracting(x -> x.get("id")).startsWith(0L, 1L, 2L).endsWith(249L);
        Record x = r.get(10);
        assertThat(x.fields().names()).containsExactly("id", "key", "amount", "name", "text");
        assertThat(x.get("key")).isEqualTo("k3");
        assertThat(x.key()).isEqualTo("k3");
        assertThat(x.getString("text").split(" ")).hasSize(3);
        assertThat(x.getString("name")).matches("[A-Z][a-z]+ [A-Z][a-z]+");
        assertThat(r).allSatisfy(y -> {
            double a = y.getDouble("amount");
            assertThat(a).isBetween(0.0, 1000.0);
            assertThat(Math.round(a * 100) / 100.0).isEqualTo(a);
        });
        assertThat(r.stream().map(y -> y.get("amount")).distinct().count()).isGreaterThan(200);
        assertThat(r.get(0).fields()).isSameAs(r.get(249).fields());
    }

    @Test
    void sameSeedSameRecordsWhateverTheBatchSizes() throws Exception {
        List<Record> a = drain(open(Map.of("count", 500, "seed", 7)), 1);
        List<Record> b = drain(open(Map.of("count", 500, "seed", 7)), 333);
        List<Record> c = drain(open(Map.of("count", 500, "seed", 8)), 333);
        assertThat(a).isEqualTo(b);
        assertThat(c).isNotEqualTo(a);
        assertThat(c)
                .extracting(x -> x.get("id"))
                .isEqualTo(a.stream().map(x -> x.get("id")).toList());
    }

    @Test
    void seekResumesAtThePosition() throws Exception {
        List<Record> all = drain(open(Map.of("count", 100)), 100);
        Source s = open(Map.of("count", 100));
        Map<String, Object> position = s.poll(37).position();
        assertThat(position).isEqualTo(Map.of("next", 37L));
        Source resumed = open(Map.of("count", 100));
        resumed.seek(new HashMap<>(position));
        assertThat(drain(resumed, 10)).isEqualTo(all.subList(37, 100));
    }

    @Test
    void startShiftsTheIdsAndMinusOneNeverEnds() throws Exception {
        assertThat(drain(open(Map.of("count", 3, "start", 10)), 10))
                .extracting(x -> x.get("id"))
                .containsExactly(10L, 11L, 12L);
        Source endless = open(Map.of("count", -1));
        for (int i = 0; i < 50; i++) assertThat(endless.poll(1000)).isNotNull();
        assertThat(drain(open(Map.of("count", 0)), 10)).isEmpty();
    }

    @Test
    void rejectsImpossibleOptions() {
        assertThatThrownBy(() -> SimplePluginContext.of(factory, Map.of("keys", 0), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("keys");
        assertThatThrownBy(() -> SimplePluginContext.of(factory, Map.of("count", -5), null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("count");
    }
}
