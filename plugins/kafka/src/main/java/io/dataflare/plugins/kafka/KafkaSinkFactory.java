package io.dataflare.plugins.kafka;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The {@code kafka} sink: each record as a JSON message, idempotent producer; with {@code delivery:
 * exactly-once} one transaction per checkpoint interval, committed when the checkpoint is saved.
 */
@org.pf4j.Extension
public final class KafkaSinkFactory implements SinkFactory {
    private static final String NAME = "kafka sink";
    static final String AT_LEAST_ONCE = "at-least-once";
    static final String EXACTLY_ONCE = "exactly-once";
    /**
     * Longer than the producer's one minute: a transaction stays open for a checkpoint interval and, after a
     * crash, until the next run commits it; this is the broker's default transaction.max.timeout.ms.
     */
    static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "900000";

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String description() {
        return "Writes each record as a JSON message to a Kafka topic (or a {field} topic template)";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("bootstrap_servers", ConfigType.STRING, "Kafka brokers, host:port[,host:port...]")
                .required("topic", ConfigType.STRING, "The topic, or a template such as orders-{country}")
                .optional("key_field", ConfigType.STRING, null, "The field whose value is the message key")
                .optional(
                        "headers",
                        ConfigType.MAP,
                        null,
                        "Message headers to add: name -> text with optional {field} placeholders")
                .oneOf(
                        "compression",
                        "none",
                        List.of("none", "gzip", "snappy", "lz4", "zstd"),
                        "How the producer compresses batches")
                .oneOf(
                        "delivery",
                        AT_LEAST_ONCE,
                        List.of(AT_LEAST_ONCE, EXACTLY_ONCE),
                        "exactly-once: the messages of each checkpoint interval in one Kafka transaction, committed"
                                + " when the checkpoint is saved (read them with isolation.level=read_committed)")
                .optional(
                        "transactional_id",
                        ConfigType.STRING,
                        null,
                        "exactly-once: the transactional id prefix (default dataflare-<pipeline>-<stage>); the"
                                + " ids <prefix>-0 and <prefix>-1 are used")
                .optional("properties", ConfigType.MAP, null, "More Kafka producer properties, as Kafka names them")
                .tuning("compression", "properties")
                .build();
    }

    @Override
    public void validate(PluginConfig c) {
        List<ConfigError> errors = new ArrayList<>();
        try {
            KafkaTemplate.parse(c.getString("topic"), true);
        } catch (IllegalArgumentException e) {
            errors.add(new ConfigError("topic", NAME + ": \"" + c.getString("topic") + "\" " + e.getMessage()));
        }
        if (c.has("headers")) {
            for (Map.Entry<String, Object> h : c.getMap("headers").entrySet()) {
                try {
                    KafkaTemplate.parse(String.valueOf(h.getValue()), false);
                } catch (IllegalArgumentException e) {
                    errors.add(new ConfigError(
                            "headers." + h.getKey(), NAME + ": \"" + h.getValue() + "\" " + e.getMessage()));
                }
            }
        }
        boolean exactlyOnce = EXACTLY_ONCE.equals(c.getString("delivery", AT_LEAST_ONCE));
        if (c.has("transactional_id") && !exactlyOnce) {
            errors.add(new ConfigError(
                    "transactional_id", NAME + ": transactional_id is only used with delivery: exactly-once"));
        }
        if (c.has("properties") && c.getMap("properties").containsKey(ProducerConfig.TRANSACTIONAL_ID_CONFIG)) {
            errors.add(new ConfigError(
                    "properties." + ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                    NAME + ": set transactional.id with delivery: exactly-once and transactional_id instead"));
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    @Override
    public Sink create(PluginContext ctx) {
        PluginConfig c = ctx.config();
        Properties p = new Properties();
        if (c.has("properties")) {
            for (Map.Entry<String, Object> e : c.getMap("properties").entrySet()) {
                p.put(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, c.getString("bootstrap_servers"));
        // no duplicates or reordering from the producer's own retries
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, c.getString("compression", "none"));
        p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "dataflare-" + ctx.pipeline() + "-" + ctx.stage());
        Map<String, KafkaTemplate> headers = new LinkedHashMap<>();
        if (c.has("headers")) {
            for (Map.Entry<String, Object> h : c.getMap("headers").entrySet()) {
                headers.put(h.getKey(), KafkaTemplate.parse(String.valueOf(h.getValue()), false));
            }
        }
        KafkaTemplate topic = KafkaTemplate.parse(c.getString("topic"), true);
        if (EXACTLY_ONCE.equals(c.getString("delivery", AT_LEAST_ONCE))) {
            PreparedTransaction.check(); // a kafka-clients without the internals fails now, not at the first restart
            p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, DEFAULT_TRANSACTION_TIMEOUT_MS);
            String base = c.getString("transactional_id", "dataflare-" + ctx.pipeline() + "-" + ctx.stage());
            CheckpointTransactions transactions = new CheckpointTransactions(
                    base,
                    id -> {
                        Properties tp = new Properties();
                        tp.putAll(p);
                        tp.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id);
                        tp.put(
                                ProducerConfig.CLIENT_ID_CONFIG,
                                p.getProperty(ProducerConfig.CLIENT_ID_CONFIG) + "-" + id);
                        return PluginClassLoader.call(
                                () -> new KafkaProducer<>(tp, new ByteArraySerializer(), new ByteArraySerializer()));
                    },
                    ctx.logger());
            return new KafkaSink(null, transactions, topic, c.getString("key_field"), headers, ctx.metrics());
        }
        return new KafkaSink(
                PluginClassLoader.call(
                        () -> new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())),
                null,
                topic,
                c.getString("key_field"),
                headers,
                ctx.metrics());
    }
}
