package io.dataflare.plugins.kafkaconnect;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import java.util.Map;
import org.apache.kafka.connect.source.SourceConnector;

/** {@code kafka-connect-source}: a Kafka Connect source connector, unchanged, from a connector folder. */
@org.pf4j.Extension
public final class KafkaConnectSourceFactory implements SourceFactory {
    private static final ConnectorSetup<SourceConnector> SETUP =
            new ConnectorSetup<>("kafka-connect-source", SourceConnector.class);

    @Override
    public String name() {
        return "kafka-connect-source";
    }

    @Override
    public String description() {
        return "Runs a Kafka Connect source connector (one task) from the plugins' connect folder; offsets in the checkpoint";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConnectorSetup.spec("source").build();
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
    public Source create(PluginContext ctx) throws Exception {
        ConnectorSetup.Located<SourceConnector> located = SETUP.locate(ctx);
        Map<String, String> config = ConnectorSetup.connectorConfig(ctx);
        SETUP.validateWithConnector(
                located.loader(),
                Isolation.call(
                        located.loader(),
                        () -> located.connectorClass().getDeclaredConstructor().newInstance()),
                config);
        return new KafkaConnectSource(
                SETUP.label(ctx.config()), located.loader(), located.connectorClass(), config, ctx.metrics());
    }
}
