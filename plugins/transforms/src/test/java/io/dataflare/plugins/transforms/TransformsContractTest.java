package io.dataflare.plugins.transforms;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.engine.host.LoadedPlugin;
import io.dataflare.plugins.transforms.cast.CastFactory;
import io.dataflare.plugins.transforms.dedupe.DedupeFactory;
import io.dataflare.plugins.transforms.fields.DropFactory;
import io.dataflare.plugins.transforms.fields.RenameFactory;
import io.dataflare.plugins.transforms.fields.SelectFactory;
import io.dataflare.plugins.transforms.filter.FilterFactory;
import io.dataflare.plugins.transforms.map.MapFactory;
import io.dataflare.plugins.transforms.route.SwitchFactory;
import io.dataflare.tck.ComponentCase;
import io.dataflare.tck.PluginContractTest;
import io.dataflare.tck.PluginLoaders;
import io.dataflare.tck.Shape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The plugin contract (plugin-tck) for every transforms component. */
class TransformsContractTest extends PluginContractTest {
    private static final RecordBatch SAMPLE =
            RecordBatch.of(order(1, "12.5", "DE"), order(2, "abc", "FR"), order(3, "7", "DE"));

    private static Record order(long id, String amount, String country) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("amount", amount);
        m.put("country", country);
        return Record.fromMap(m);
    }

    @Override
    protected LoadedPlugin loadPlugin() {
        return PluginLoaders.inProcess(
                "dataflare-transforms",
                "1.0.0",
                new FilterFactory(),
                new MapFactory(),
                new SelectFactory(),
                new DropFactory(),
                new RenameFactory(),
                new CastFactory(),
                new SwitchFactory(),
                new DedupeFactory());
    }

    @Override
    protected List<ComponentCase> components() {
        return List.of(
                ComponentCase.processor("filter")
                        .config(Map.of("expr", "country == 'DE'"))
                        .rejects(Map.of("expr", "country =="), "expr")
                        .rejects(Map.of("expr", "country == 'DE'", "strict", "maybe"), "strict")
                        .input(SAMPLE)
                        .shape(Shape.FILTERS),
                ComponentCase.processor("filter")
                        .config(Map.of("expr", "missing == null", "strict", true))
                        .input(SAMPLE)
                        .shape(Shape.FILTERS),
                ComponentCase.processor("map")
                        .config(Map.of("set", Map.of("tag", "'x'")))
                        .rejects(Map.of("set", "not a map"), "set")
                        .rejects(Map.of("set", Map.of("tag", "'x'"), "strict", 3), "strict")
                        .input(SAMPLE),
                ComponentCase.processor("map")
                        .config(Map.of("set", Map.of("tag", "missing"), "strict", true))
                        .input(SAMPLE),
                ComponentCase.processor("select")
                        .config(Map.of("fields", List.of("id")))
                        .rejects(Map.of("fields", 3), "fields")
                        .input(SAMPLE),
                ComponentCase.processor("drop")
                        .config(Map.of("fields", List.of("amount")))
                        .input(SAMPLE),
                ComponentCase.processor("rename")
                        .config(Map.of("fields", Map.of("id", "order_id")))
                        .rejects(Map.of("fields", List.of("id")), "fields")
                        .input(SAMPLE),
                ComponentCase.processor("cast")
                        .config(Map.of("schema", Map.of("amount", "double")))
                        .rejects(Map.of("schema", Map.of("amount", "money")), "amount")
                        .input(SAMPLE),
                // first match wins and there is no default: records go to one output or none
                ComponentCase.processor("switch")
                        .config(Map.of("cases", List.of(Map.of("output", "de", "when", "country == 'DE'"))))
                        .rejects(Map.of("cases", List.of(Map.of("output", "de", "when", "country =="))), "cases.0.when")
                        .rejects(Map.of("cases", List.of()), "cases")
                        .input(SAMPLE)
                        .shape(Shape.FILTERS),
                ComponentCase.processor("dedupe")
                        .config(Map.of("key", List.of("country")))
                        .rejects(Map.of("ttl_ms", 0), "ttl_ms")
                        .input(SAMPLE)
                        .shape(Shape.FILTERS));
    }
}
