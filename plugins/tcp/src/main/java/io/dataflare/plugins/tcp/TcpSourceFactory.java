package io.dataflare.plugins.tcp;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/**
 * The {@code tcp} source: {@code listen: "HOST:PORT"} accepts any number of clients at once (or
 * {@code connect: "HOST:PORT"} connects out), each sending CSV (its own header line first) or JSON lines.
 */
@Extension
public final class TcpSourceFactory implements SourceFactory {
    static final String MAX_LINE = "max_line_chars";
    static final String QUEUE = "queue_records";

    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public String description() {
        return "Reads CSV or JSON lines from TCP clients (listen) or a TCP server (connect)";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .optional(TcpOptions.LISTEN, ConfigType.STRING, null, "HOST:PORT to accept clients on")
                .optional(TcpOptions.CONNECT, ConfigType.STRING, null, "HOST:PORT to connect to instead of listening")
                .oneOf(
                        TcpOptions.FORMAT,
                        "jsonl",
                        TcpFormat.NAMES,
                        "csv (header line first on each connection) or jsonl")
                .optional(MAX_LINE, ConfigType.LONG, 1_048_576L, "Longer lines go to the dead letters")
                .optional(QUEUE, ConfigType.LONG, 10_000L, "Records read ahead of the pipeline before clients wait")
                .optional(
                        TcpSink.ATTEMPTS,
                        ConfigType.LONG,
                        10L,
                        "connect: failed attempts in a row before the source fails")
                .optional(TcpSink.INITIAL_MS, ConfigType.LONG, 100L, "connect: first wait between attempts, doubling")
                .optional(TcpSink.MAX_MS, ConfigType.LONG, 5_000L, "connect: longest wait between attempts")
                .optional(TcpSink.TIMEOUT_MS, ConfigType.LONG, 5_000L, "connect: time limit of one attempt")
                .tuning(MAX_LINE, QUEUE, TcpSink.ATTEMPTS, TcpSink.INITIAL_MS, TcpSink.MAX_MS, TcpSink.TIMEOUT_MS)
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        List<ConfigError> errors = new ArrayList<>();
        boolean listen = config.has(TcpOptions.LISTEN);
        boolean connect = config.has(TcpOptions.CONNECT);
        if (listen == connect)
            errors.add(new ConfigError(
                    listen ? TcpOptions.CONNECT : TcpOptions.LISTEN,
                    listen ? "cannot be set with 'listen': give one of them" : "is required (or 'connect')"));
        TcpOptions.checkAddress(config, TcpOptions.LISTEN, true, errors);
        TcpOptions.checkAddress(config, TcpOptions.CONNECT, false, errors);
        TcpOptions.checkAtLeast(config, MAX_LINE, 1, errors);
        TcpOptions.checkAtLeast(config, QUEUE, 1, errors);
        TcpSink.checkBackoff(config, errors);
        if (config.getLong(MAX_LINE, 1) > Integer.MAX_VALUE - 8)
            errors.add(new ConfigError(MAX_LINE, "must be at most " + (Integer.MAX_VALUE - 8)));
        if (config.getLong(QUEUE, 1) > 10_000_000)
            errors.add(new ConfigError(QUEUE, "must be at most 10000000, got " + config.getLong(QUEUE, 1)));
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    @Override
    public Source create(PluginContext ctx) throws IOException {
        PluginConfig c = ctx.config();
        TcpSource source = new TcpSource(
                TcpFormat.of(c.getString(TcpOptions.FORMAT, "jsonl")),
                ctx.metrics(),
                ctx.logger(),
                c.getInt(MAX_LINE, 1_048_576),
                c.getInt(QUEUE, 10_000));
        if (c.has(TcpOptions.CONNECT)) {
            return source.connect(
                    HostPort.parse(c.getString(TcpOptions.CONNECT)),
                    TcpSink.backoff(c),
                    c.getInt(TcpSink.TIMEOUT_MS, 5000));
        }
        HostPort at = HostPort.parse(c.getString(TcpOptions.LISTEN));
        try {
            return source.listen(at);
        } catch (IOException e) {
            throw new IOException("tcp source cannot listen on " + at + ": " + e.getMessage(), e);
        }
    }
}
