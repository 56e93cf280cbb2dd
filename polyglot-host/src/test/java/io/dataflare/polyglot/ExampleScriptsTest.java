package io.dataflare.polyglot;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.FieldType;
import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import io.dataflare.engine.host.HostContext;
import io.dataflare.engine.host.LoadedPlugin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scripts of examples/js-processor.yaml and examples/python-processor.yaml on the rows of
 * examples/data/orders.csv as the csv-file source reads them (schema applied, broken rows left out): the
 * same six orders the quickstart keeps.
 */
@Timeout(120)
class ExampleScriptsTest {
    static final Path EXAMPLES = Path.of("..", "examples");

    @Test
    void javascriptExample() throws Exception {
        try (JavaScriptHost host = new JavaScriptHost()) {
            check(host, EXAMPLES.resolve("scripts/enrich-orders.js"), "enrich-orders@1.0.0");
        }
    }

    @Test
    void pythonExample() throws Exception {
        try (PythonHost host = new PythonHost()) {
            check(host, EXAMPLES.resolve("scripts/enrich_orders.py"), "enrich-orders-py@1.0.0");
        }
    }

    private static void check(ScriptHost host, Path script, String label) throws Exception {
        LoadedPlugin p = host.load(script, new HostContext("1.0.0"));
        assertThat(p.manifest().label()).isEqualTo(label);
        try (Processor proc = Scripts.open(p, Map.of("min_amount", 20))) {
            RecordBatch out = proc.process(orders());
            assertThat(out.stream().map(r -> r.getLong("order_id")))
                    .containsExactly(1002L, 1003L, 1005L, 1007L, 1009L, 1010L);
            Record first = out.get(0);
            assertThat(first.getDouble("total")).isEqualTo(240.0); // JavaScript: 240 (one number type), Python: 240.0
            assertThat(first.get("amount")).isEqualTo(120.0);
            assertThat(out.get(1).get("email")).isEqualTo("ann.lee@example.com");
            assertThat(out.get(4).getDouble("total")).isEqualTo(600.2, org.assertj.core.data.Offset.offset(1e-9));
        } finally {
            p.close();
        }
    }

    /** The good rows of orders.csv with the examples' schema (order_id, quantity: long; amount: double). */
    static RecordBatch orders() throws Exception {
        List<String> lines = Files.readAllLines(EXAMPLES.resolve("data/orders.csv"));
        Fields fields = Fields.of(lines.get(0).split(","));
        List<Record> out = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",", -1);
            if (v.length != fields.size()) continue;
            try {
                out.add(Record.of(
                        fields,
                        FieldType.LONG.convert(v[0]),
                        v[1],
                        v[2],
                        FieldType.DOUBLE.convert(v[3]),
                        FieldType.LONG.convert(v[4]),
                        v[5]));
            } catch (IllegalArgumentException e) {
                // a row the csv-file source rejects
            }
        }
        return RecordBatch.of(out);
    }
}
