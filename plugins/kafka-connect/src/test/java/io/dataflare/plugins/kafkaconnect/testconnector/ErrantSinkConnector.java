package io.dataflare.plugins.kafkaconnect.testconnector;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * A sink connector for the tests, packed into a JAR of its own: it reports records whose {@code amount} is
 * negative through Connect's errant-record reporter and appends the others' ids to {@code file}.
 */
public class ErrantSinkConnector extends SinkConnector {
    private Map<String, String> config;

    @Override
    public void start(Map<String, String> props) {
        config = props;
    }

    @Override
    public Class<? extends Task> taskClass() {
        return ErrantTask.class;
    }

    @Override
    public List<Map<String, String>> taskConfigs(int maxTasks) {
        return List.of(config);
    }

    @Override
    public void stop() {}

    @Override
    public ConfigDef config() {
        return new ConfigDef().define("file", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "output file");
    }

    @Override
    public String version() {
        return "1";
    }

    /** The task. */
    public static class ErrantTask extends SinkTask {
        private Path file;

        @Override
        public String version() {
            return "1";
        }

        @Override
        public void start(Map<String, String> props) {
            file = Path.of(props.get("file"));
        }

        @Override
        public void put(Collection<SinkRecord> records) {
            for (SinkRecord r : records) {
                Struct s = (Struct) r.value();
                if (s.getInt64("amount") < 0) {
                    context.errantRecordReporter()
                            .report(r, new DataException("amount " + s.getInt64("amount") + " is negative"));
                    continue;
                }
                try {
                    Files.writeString(
                            file, s.getInt64("id") + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        public void stop() {}
    }
}
