package io.dataflare.plugins.kafka;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigError;
import io.dataflare.api.config.ConfigException;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.ConfigType;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.data.Fields;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** The {@code kafka} source: messages of topics or a topic pattern, offsets kept in DataFlare's checkpoint. */
@org.pf4j.Extension
public final class KafkaSourceFactory implements SourceFactory {
    private static final String NAME = "kafka source";

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String description() {
        return "Reads Kafka topics (or a topic pattern); a resumed run continues at the checkpoint's offsets";
    }

    @Override
    public ConfigSpec configSpec() {
        return ConfigSpec.builder()
                .required("bootstrap_servers", ConfigType.STRING, "Kafka brokers, host:port[,host:port...]")
                .optional("topic", ConfigType.STRING, null, "The topic to read (or topics, or pattern)")
                .optional("topics", ConfigType.STRING_LIST, null, "Topics to read (or topic, or pattern)")
                .optional("pattern", ConfigType.STRING, null, "A regular expression for the topics (needs group_id)")
                .optional(
                        "group_id",
                        ConfigType.STRING,
                        null,
                        "Consumer group: shares partitions among consumers; checkpointed offsets are committed to it")
                .optional("partitions", ConfigType.LIST, null, "Read only these partitions (of one topic, no group)")
                .optional("start", ConfigType.STRING, "earliest", "earliest | latest | timestamp:<epoch ms>")
                .oneOf(
                        "format",
                        "json",
                        List.of("json", "string", "bytes", "csv"),
                        "How a message value becomes fields")
                .optional("columns", ConfigType.STRING_LIST, null, "csv: the names of a row's fields, in order")
                .optional("properties", ConfigType.MAP, null, "More Kafka consumer properties, as Kafka names them")
                .tuning("properties")
                .build();
    }

    @Override
    public void validate(PluginConfig c) {
        List<ConfigError> errors = new ArrayList<>();
        int given = (c.has("topic") ? 1 : 0) + (c.has("topics") ? 1 : 0) + (c.has("pattern") ? 1 : 0);
        if (given != 1) {
            errors.add(new ConfigError(
                    c.has("topic") ? "topics" : "topic",
                    NAME + ": set exactly one of 'topic', 'topics' and 'pattern', got " + given));
        }
        if (c.has("pattern")) {
            try {
                Pattern.compile(c.getString("pattern"));
            } catch (PatternSyntaxException e) {
                errors.add(new ConfigError(
                        "pattern", NAME + ": not a regular expression: \"" + c.getString("pattern") + "\""));
            }
            if (!c.has("group_id")) {
                errors.add(new ConfigError("pattern", NAME + ": a topic pattern needs 'group_id'"));
            }
        }
        if (c.has("partitions")) {
            if (!c.has("topic")) errors.add(new ConfigError("partitions", NAME + ": 'partitions' needs one 'topic'"));
            if (c.has("group_id")) {
                errors.add(new ConfigError(
                        "partitions", NAME + ": 'partitions' and 'group_id' exclude each other (the group assigns)"));
            }
            for (Object p : c.getList("partitions")) {
                if (!(p instanceof Number n) || n.longValue() < 0 || n.longValue() > Integer.MAX_VALUE) {
                    errors.add(
                            new ConfigError("partitions", NAME + ": partitions are numbers from 0, got \"" + p + "\""));
                }
            }
        }
        if (StartPosition.parse(c.getString("start", "earliest")) == null) {
            errors.add(new ConfigError(
                    "start",
                    NAME + ": must be earliest, latest or timestamp:<epoch ms>, got \"" + c.getString("start") + "\""));
        }
        if ("csv".equals(c.getString("format")) != c.has("columns")) {
            errors.add(new ConfigError(
                    "columns",
                    NAME
                            + (c.has("columns")
                                    ? ": 'columns' is for format csv only"
                                    : ": format csv needs 'columns' (the messages have no header)")));
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
    }

    @Override
    public Source create(PluginContext ctx) {
        PluginConfig c = ctx.config();
        String group = c.getString("group_id");
        KafkaSource.Subscription subscription;
        if (c.has("pattern")) {
            subscription = new KafkaSource.Subscription.GroupPattern(Pattern.compile(c.getString("pattern")));
        } else {
            List<String> topics = c.has("topic") ? List.of(c.getString("topic")) : c.<String>getList("topics");
            if (group != null) {
                subscription = new KafkaSource.Subscription.GroupTopics(topics);
            } else {
                List<Integer> partitions = c.has("partitions")
                        ? c.<Object>getList("partitions").stream()
                                .map(p -> ((Number) p).intValue())
                                .toList()
                        : null;
                subscription = new KafkaSource.Subscription.Topics(topics, partitions);
            }
        }
        Properties p = new Properties();
        if (c.has("properties")) {
            for (Map.Entry<String, Object> e : c.getMap("properties").entrySet()) {
                p.put(e.getKey(), String.valueOf(e.getValue()));
            }
        }
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, c.getString("bootstrap_servers"));
        if (group != null) p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        // positions come from DataFlare's checkpoint; the group's offsets are committed only once it holds them
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "dataflare-" + ctx.pipeline() + "-" + ctx.stage());
        KafkaConsumer<byte[], byte[]> consumer = PluginClassLoader.call(
                () -> new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()));
        return new KafkaSource(
                consumer,
                subscription,
                StartPosition.parse(c.getString("start", "earliest")),
                ValueFormat.parse(c.getString("format", "json")),
                c.has("columns") ? Fields.of(c.<String>getList("columns")) : null,
                group != null,
                ctx.metrics());
    }
}
