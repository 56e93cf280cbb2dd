package io.dataflare.plugins.transforms.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.processor.Processor;
import io.dataflare.tck.SimplePluginContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JoinTest {
    private final JoinFactory factory = new JoinFactory();
    private static final Fields ORDER = Fields.of("order_id", "customer_id", "amount");
    private static final Fields CUSTOMER = Fields.of("id", "name", "country", "op");

    private static Record order(long id, long customer) {
        return Record.of(ORDER, id, customer, 10.0).toBuilder()
                .header("input", "orders")
                .build();
    }

    private static Record customer(long id, String name, String country, String op) {
        return Record.of(CUSTOMER, id, name, country, op).toBuilder()
                .header("input", "customers")
                .build();
    }

    private Processor join(String missing) {
        Map<String, Object> cfg = new HashMap<>(Map.of(
                "stream",
                "orders",
                "table",
                "customers",
                "on",
                Map.of("customer_id", "id"),
                "fields",
                List.of("name", "country")));
        if (missing != null) cfg.put("missing", missing);
        return factory.create(SimplePluginContext.of(factory, cfg, null));
    }

    @Test
    void streamRecordsGetTheRowAsItIsWhenTheyArrive() throws Exception {
        Processor p = join(null);
        RecordBatch out = p.process(RecordBatch.of(
                customer(7, "Ann", "FR", "c"),
                order(1, 7),
                customer(7, "Ann", "DE", "u"), // an update: later orders see DE
                order(2, 7)));
        assertThat(out.records())
                .extracting(r -> r.get("order_id") + ":" + r.get("name") + ":" + r.get("country"))
                .containsExactly("1:Ann:FR", "2:Ann:DE");
        // the table survives across batches
        assertThat(p.process(RecordBatch.of(order(3, 7))).get(0).get("country")).isEqualTo("DE");
    }

    @Test
    void aDeleteRemovesTheRowAndMissingDecidesWhatHappensToLaterOrders() throws Exception {
        for (String missing : List.of("keep", "drop", "dead-letter")) {
            Processor p = join(missing);
            RecordBatch out = p.process(
                    RecordBatch.of(customer(7, "Ann", "FR", null), customer(7, null, null, "d"), order(1, 7)));
            switch (missing) {
                case "keep" -> {
                    assertThat(out.records()).singleElement().satisfies(r -> {
                        assertThat(r.get("order_id")).isEqualTo(1L);
                        assertThat(r.has("name")).isTrue();
                        assertThat(r.get("name")).isNull();
                    });
                }
                case "drop" -> assertThat(out.size()).isZero();
                default ->
                    assertThat(out.rejections())
                            .extracting(Rejection::reason)
                            .containsExactly("join: no 'customers' row for customer_id = 7");
            }
        }
    }

    @Test
    void aRecordFromNeitherInputIsRejectedNamingTheHeader() throws Exception {
        Record stray = Record.of(ORDER, 1L, 7L, 1.0);
        RecordBatch out = join(null).process(RecordBatch.of(stray));
        assertThat(out.rejections())
                .singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("header 'input' is missing"));
    }

    @Test
    void badConfigNamesTheField() {
        assertThatThrownBy(() -> factory.validate(new PluginConfig(
                        Map.of("stream", "orders", "table", "customers", "on", Map.of("a", "b", "c", "d")))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("on");
        assertThatThrownBy(() -> factory.validate(new PluginConfig(
                        Map.of("stream", "orders", "table", "customers", "on", Map.of("a", "b"), "missing", "ignore"))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("missing")
                .hasMessageContaining("keep, drop, dead-letter");
        assertThatThrownBy(() ->
                        factory.validate(new PluginConfig(Map.of("stream", "x", "table", "x", "on", Map.of("a", "b")))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("table");
    }
}
