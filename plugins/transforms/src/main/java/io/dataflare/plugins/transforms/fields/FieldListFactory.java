package io.dataflare.plugins.transforms.fields;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.Fields;
import io.dataflare.api.processor.Processor;
import io.dataflare.api.processor.ProcessorFactory;
import io.dataflare.plugins.transforms.shape.Reshaper;
import io.dataflare.plugins.transforms.shape.ShapePlan;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A processor configured by one list of distinct field names ({@code fields}) that only rearranges fields. */
abstract class FieldListFactory implements ProcessorFactory {
    static final String FIELDS = "fields";

    private final String name;
    private final String description;
    private final String fieldsDescription;

    FieldListFactory(String name, String description, String fieldsDescription) {
        this.name = name;
        this.description = description;
        this.fieldsDescription = fieldsDescription;
    }

    /** The output shape for records of shape {@code in}. */
    abstract ShapePlan plan(Fields in, List<String> fields);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final String description() {
        return description;
    }

    @Override
    public final ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required(FIELDS, ConfigType.STRING_LIST, fieldsDescription)
                .build();
    }

    @Override
    public final void validate(PluginConfig config) {
        Set<String> seen = new HashSet<>();
        for (String n : config.<String>getList(FIELDS)) {
            if (n.isEmpty()) throw new ConfigException(FIELDS, "has an empty field name");
            if (!seen.add(n)) throw new ConfigException(FIELDS, "names '" + n + "' twice");
        }
    }

    @Override
    public final Processor create(PluginContext ctx) {
        List<String> fields = List.copyOf(ctx.config().getList(FIELDS));
        return Processor.mapping(new Reshaper(in -> plan(in, fields)));
    }
}
