package io.dataflare.plugins.http;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import java.net.InetSocketAddress;
import java.util.List;
import org.pf4j.Extension;

/** The {@code webhook} source: listens for POSTed records and acknowledges them once they are safe. */
@Extension
public final class WebhookSourceFactory implements SourceFactory {
    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public String description() {
        return "Listens for POSTed JSON arrays or JSON lines; answers 202 once the records are durably queued";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("listen", ConfigType.STRING, "HOST:PORT to listen on (port 0: any free port)")
                .optional("path", ConfigType.STRING, "/", "The path records are POSTed to")
                .optional("max_body_bytes", ConfigType.LONG, 10L * 1024 * 1024, "Larger bodies are answered 413")
                .optional("capacity", ConfigType.LONG, 10_000L, "Records queued and not yet read; beyond it: 429")
                .oneOf(
                        "ack",
                        "checkpoint",
                        List.of("checkpoint", "read"),
                        "checkpoint: answer 202 once a durable checkpoint covers the records; read: once the pipeline"
                                + " has read them")
                .optional(
                        "ack_timeout_ms",
                        ConfigType.LONG,
                        60_000L,
                        "How long a request waits for its acknowledgement before it is answered 503")
                .tuning("max_body_bytes", "capacity", "ack", "ack_timeout_ms")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        address(config.getString("listen"));
        String path = config.getString("path");
        if (!path.startsWith("/")) throw new ConfigException("path", "must start with '/', got \"" + path + "\"");
        HttpOptions.positive(config, "max_body_bytes");
        HttpOptions.positive(config, "capacity");
        HttpOptions.positive(config, "ack_timeout_ms");
    }

    static InetSocketAddress address(String listen) {
        int colon = listen.lastIndexOf(':');
        if (colon <= 0) throw new ConfigException("listen", "must be HOST:PORT, got \"" + listen + "\"");
        String host = listen.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        int port;
        try {
            port = Integer.parseInt(listen.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new ConfigException("listen", "has no port number: \"" + listen + "\"");
        }
        if (port < 0 || port > 65535) throw new ConfigException("listen", "port must be 0 to 65535, got " + port);
        return new InetSocketAddress(host, port);
    }

    @Override
    public Source create(PluginContext ctx) throws Exception {
        PluginConfig c = ctx.config();
        return WebhookSource.start(
                address(c.getString("listen")),
                c.getString("path"),
                c.getLong("max_body_bytes", 10L * 1024 * 1024),
                c.getInt("capacity", 10_000),
                c.getString("ack").equals("checkpoint"),
                c.getLong("ack_timeout_ms", 60_000),
                ctx.metrics());
    }
}
