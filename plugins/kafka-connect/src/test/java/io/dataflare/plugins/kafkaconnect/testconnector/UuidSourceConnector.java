package io.dataflare.plugins.kafkaconnect.testconnector;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;

/**
 * A connector for the bad-input tests, packed into a JAR of its own by the tests: every other record holds a
 * value no DataFlare type fits (a {@code UUID} in a schemaless map); with {@code fail=true} its task throws.
 */
public class UuidSourceConnector extends SourceConnector {
    private Map<String, String> config;

    @Override
    public void start(Map<String, String> props) {
        config = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return UuidTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(config);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return new ConfigDef()
                .define("count", ConfigDef.Type.INT, 4, ConfigDef.Importance.HIGH, "records to produce")
                .define("fail", ConfigDef.Type.BOOLEAN, false, ConfigDef.Importance.LOW, "throw from poll");
    }

    @Override
    public String version() {
        return "1";
    }

    /** The task. */
    public static class UuidTask extends SourceTask {
        private int count;
        private boolean fail;
        private int next;

        @Override
        public String version() {
            return "1";
        }

        @Override
        public void start(Map<String, String> props) {
            count = Integer.parseInt(props.getOrDefault("count", "4"));
            fail = Boolean.parseBoolean(props.getOrDefault("fail", "false"));
        }

        @Override
        public List<SourceRecord> poll() throws InterruptedException {
            if (fail) throw new IllegalStateException("the disk is on fire");
            if (next >= count) {
                Thread.sleep(50);
                return null;
            }
            int i = next++;
            Object value = i % 2 == 0 ? Map.of("n", i) : Map.of("n", i, "id", new UUID(0, i));
            return List.of(new SourceRecord(
                    Map.of("source", "uuid"), Map.of("n", (long) i), "uuids", null, null, null, null, value));
        }

        @Override
        public void stop() {}
    }
}
