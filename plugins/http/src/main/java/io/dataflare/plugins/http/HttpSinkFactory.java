package io.dataflare.plugins.http;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import java.util.List;
import org.pf4j.Extension;

/** The {@code http} sink: sends records as JSON to a URL, per batch or per record. */
@Extension
public final class HttpSinkFactory implements SinkFactory {
    @Override
    public String name() {
        return "http";
    }

    @Override
    public String description() {
        return "Sends records to an HTTP endpoint as a JSON array, JSON lines or one request per record;"
                + " {field} placeholders in the url split records by value";
    }

    @Override
    public ConfigSpec configSpec() {
        return HttpOptions.declare(ConfigSpec.builder()
                        .required("url", ConfigType.STRING, "Where to send; may contain {field} placeholders")
                        .oneOf("method", "POST", List.of("POST", "PUT", "PATCH"), "HTTP method")
                        .oneOf(
                                "format",
                                "json",
                                List.of("json", "jsonl", "record"),
                                "json: a batch as a JSON array; jsonl: a batch as JSON lines; record: one request per"
                                        + " record"))
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        UrlTemplate t;
        try {
            t = UrlTemplate.parse(config.getString("url"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("url", e.getMessage());
        }
        HttpOptions.httpUri("url", t.sample());
        HttpOptions.validate(config);
    }

    @Override
    public Sink create(PluginContext ctx) {
        PluginConfig c = ctx.config();
        return new HttpSink(
                HttpOptions.client(ctx, "http sink"),
                UrlTemplate.parse(c.getString("url")),
                c.getString("method"),
                HttpSink.Format.valueOf(c.getString("format").toUpperCase(java.util.Locale.ROOT)),
                ctx.metrics());
    }
}
