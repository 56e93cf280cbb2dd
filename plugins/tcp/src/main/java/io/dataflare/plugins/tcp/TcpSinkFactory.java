package io.dataflare.plugins.tcp;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import java.util.ArrayList;
import java.util.List;
import org.pf4j.Extension;

/** The {@code tcp} sink: {@code connect: "HOST:PORT"}, writing CSV or JSON lines, reconnecting with backoff. */
@Extension
public final class TcpSinkFactory implements SinkFactory {
    @Override
    public String name() {
        return "tcp";
    }

    @Override
    public String description() {
        return "Writes CSV or JSON lines to a TCP server, reconnecting with backoff (at-least-once)";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required(TcpOptions.CONNECT, ConfigType.STRING, "HOST:PORT to write to")
                .oneOf(
                        TcpOptions.FORMAT,
                        "jsonl",
                        TcpFormat.NAMES,
                        "csv (header line first on each connection) or jsonl")
                .optional(TcpSink.ATTEMPTS, ConfigType.LONG, 10L, "Failed attempts in a row before the write fails")
                .optional(TcpSink.INITIAL_MS, ConfigType.LONG, 100L, "First wait between attempts, doubling")
                .optional(TcpSink.MAX_MS, ConfigType.LONG, 5_000L, "Longest wait between attempts")
                .optional(TcpSink.TIMEOUT_MS, ConfigType.LONG, 5_000L, "Time limit of one connection attempt")
                .tuning(TcpSink.ATTEMPTS, TcpSink.INITIAL_MS, TcpSink.MAX_MS, TcpSink.TIMEOUT_MS)
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        List<ConfigError> errors = new ArrayList<>();
        TcpOptions.checkAddress(config, TcpOptions.CONNECT, false, errors);
        TcpSink.checkBackoff(config, errors);
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    @Override
    public Sink create(PluginContext ctx) {
        PluginConfig c = ctx.config();
        return new TcpSink(
                HostPort.parse(c.getString(TcpOptions.CONNECT)),
                new BatchEncoder(TcpFormat.of(c.getString(TcpOptions.FORMAT, "jsonl"))),
                TcpSink.backoff(c),
                c.getInt(TcpSink.TIMEOUT_MS, 5000),
                ctx.metrics(),
                ctx.logger());
    }
}
