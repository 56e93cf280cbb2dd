package io.dataflare.plugins.transforms.fields;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.Fields;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.plugins.transforms.shape.Reshaper;
import io.dataflare.plugins.transforms.shape.ShapePlan;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.pf4j.Extension;

/**
 * The {@code rename} processor: renames fields in place, all at once (so {@code a: b, b: a} swaps
 * them). A renamed field replaces an unrenamed field that had its new name. The output {@code Fields}
 * is computed once per input shape and shared by all its records.
 */
@Extension
public final class RenameFactory implements ProcessorFactory {
    private static final String FIELDS = "fields";

    @Override
    public String name() {
        return "rename";
    }

    @Override
    public String description() {
        return "Renames fields (old: new), keeping their positions";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required(FIELDS, ConfigType.MAP, "Old name -> new name")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        List<ConfigError> errors = new ArrayList<>();
        Set<String> targets = new HashSet<>();
        for (Map.Entry<String, Object> e : config.getMap(FIELDS).entrySet()) {
            Object to = e.getValue();
            String path = FIELDS + "." + e.getKey();
            if (!(to instanceof String s) || s.isEmpty()) {
                errors.add(new ConfigError(path, "must be the new field name, got " + to));
            } else if (!targets.add(s)) {
                errors.add(new ConfigError(path, "renames to '" + s + "', as another field does"));
            }
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    @Override
    public Processor create(PluginContext ctx) {
        Map<String, String> renames = new LinkedHashMap<>();
        ctx.config().getMap(FIELDS).forEach((k, v) -> renames.put(k, (String) v));
        Map<String, String> fixed = Map.copyOf(renames);
        return Processor.mapping(new Reshaper(in -> plan(in, fixed)));
    }

    static ShapePlan plan(Fields in, Map<String, String> renames) {
        Set<String> renamedTo = new HashSet<>();
        for (int i = 0; i < in.size(); i++) {
            String to = renames.get(in.name(i));
            if (to != null) renamedTo.add(to);
        }
        if (renamedTo.isEmpty()) return ShapePlan.identity(in);
        List<String> names = new ArrayList<>(in.size());
        int[] from = new int[in.size()];
        for (int i = 0; i < in.size(); i++) {
            String name = in.name(i);
            String to = renames.get(name);
            // An unrenamed field whose name a renamed one takes is overwritten by it.
            if (to == null && renamedTo.contains(name)) continue;
            from[names.size()] = i;
            names.add(to == null ? name : to);
        }
        return ShapePlan.of(in, Fields.of(names), Arrays.copyOf(from, names.size()));
    }
}
