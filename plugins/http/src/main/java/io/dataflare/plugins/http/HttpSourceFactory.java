package io.dataflare.plugins.http;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import java.util.List;
import org.pf4j.Extension;

/** The {@code http} source: polls a URL, following {@code Link: rel=next} pages or a cursor field. */
@Extension
public final class HttpSourceFactory implements SourceFactory {
    @Override
    public String name() {
        return "http";
    }

    @Override
    public String description() {
        return "Polls an HTTP endpoint for a JSON array or JSON lines, paging by Link header or cursor field";
    }

    @Override
    public ConfigSpec configSpec() {
        return HttpOptions.declare(ConfigSpec.builder()
                        .required("url", ConfigType.STRING, "The first page to read")
                        .oneOf("format", "json", List.of("json", "jsonl"), "json: a JSON array; jsonl: JSON lines")
                        .optional(
                                "interval_ms",
                                ConfigType.LONG,
                                5_000L,
                                "Wait before asking again once everything is read; 0 ends the source there")
                        .optional(
                                "cursor_field",
                                ConfigType.STRING,
                                null,
                                "Page by cursor: the field of the last record whose value asks for the next page")
                        .optional(
                                "cursor_param",
                                ConfigType.STRING,
                                null,
                                "The query parameter that carries the cursor (with cursor_field)"))
                .tuning("interval_ms")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        HttpOptions.httpUri("url", config.getString("url"));
        HttpOptions.validate(config);
        HttpOptions.notNegative(config, "interval_ms");
        boolean field = config.getString("cursor_field") != null;
        boolean param = config.getString("cursor_param") != null;
        if (field != param) {
            throw new ConfigException(
                    field ? "cursor_param" : "cursor_field",
                    "is required when " + (field ? "cursor_field" : "cursor_param") + " is set");
        }
    }

    @Override
    public Source create(PluginContext ctx) {
        PluginConfig c = ctx.config();
        return new HttpPollSource(
                HttpOptions.client(ctx, "http source"),
                c.getString("url"),
                c.getString("format").equals("jsonl"),
                c.getLong("interval_ms", 5_000),
                c.getString("cursor_field"),
                c.getString("cursor_param"),
                ctx.metrics());
    }
}
