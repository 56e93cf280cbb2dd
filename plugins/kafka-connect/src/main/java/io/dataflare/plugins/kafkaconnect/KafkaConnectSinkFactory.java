package io.dataflare.plugins.kafkaconnect;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.connect.sink.SinkConnector;

/** {@code kafka-connect-sink}: a Kafka Connect sink connector, unchanged, from a connector folder. */
@org.pf4j.Extension
public final class KafkaConnectSinkFactory implements SinkFactory {
    private static final ConnectorSetup<SinkConnector> SETUP =
            new ConnectorSetup<>("kafka-connect-sink", SinkConnector.class);

    @Override
    public String name() {
        return "kafka-connect-sink";
    }

    @Override
    public String description() {
        return "Runs a Kafka Connect sink connector (one task) from the plugins' connect folder; flushed at checkpoints";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConnectorSetup.spec("sink")
                .optional(
                        "topic",
                        ConfigType.STRING,
                        null,
                        "The topic the connector sees (default: the record's connect.topic header, else the stage name)")
                .oneOf(
                        "value",
                        "struct",
                        List.of("struct", "map", "json"),
                        "How a record reaches the connector: a Struct with an inferred schema, a schemaless map, or a JSON string")
                .build();
    }

    @Override
    public void validate(PluginConfig config) {
        SETUP.validate(config);
    }

    @Override
    public void preflight(PluginContext ctx) {
        SETUP.checkDefinitions(SETUP.locate(ctx), ConnectorSetup.connectorConfig(ctx));
    }

    @Override
    public Sink create(PluginContext ctx) throws Exception {
        ConnectorSetup.Located<SinkConnector> located = SETUP.locate(ctx);
        PluginConfig c = ctx.config();
        Map<String, String> config = ConnectorSetup.connectorConfig(ctx);
        // Kafka Connect hands a sink its topics; a connector may read them
        config.putIfAbsent("topics", c.has("topic") ? c.getString("topic") : ctx.stage());
        SETUP.validateWithConnector(
                located.loader(),
                Isolation.call(
                        located.loader(),
                        () -> located.connectorClass().getDeclaredConstructor().newInstance()),
                config);
        return new KafkaConnectSink(
                SETUP.label(c),
                located.loader(),
                located.connectorClass(),
                config,
                c.getString("topic"),
                ctx.stage(),
                KafkaConnectSink.ValueForm.valueOf(
                        c.getString("value", "struct").toUpperCase(Locale.ROOT)),
                ctx.metrics());
    }
}
