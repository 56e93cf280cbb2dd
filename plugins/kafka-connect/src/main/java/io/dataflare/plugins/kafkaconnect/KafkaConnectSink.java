package io.dataflare.plugins.kafkaconnect;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.json.RecordJson;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.apache.kafka.connect.sink.SinkTaskContext;

/**
 * Runs a Kafka Connect sink connector with one task. Each batch becomes {@code SinkRecord}s of one topic
 * (the {@code topic} option, else the record's {@code connect.topic} header, else the stage's name), partition
 * 0, with offsets counting up from 0 in each run; the value as {@link ValueForm} says, the key likewise. A
 * checkpoint hands the task those offsets with {@code preCommit} (which by default flushes), so everything put
 * so far is written: the sink is at-least-once (a resumed run may put again what came after the last
 * checkpoint). Records the task reports through its errant-record reporter go to the dead letters.
 */
final class KafkaConnectSink implements Sink {
    /** How a record's fields are handed to the connector. */
    enum ValueForm {
        /** A {@code Struct} with a schema inferred from the values. */
        STRUCT,
        /** A schemaless {@code Map} (schema null), as Connect's JsonConverter without schemas produces. */
        MAP,
        /** The record as one JSON object text, with the {@code STRING} schema. */
        JSON
    }

    private final String label;
    private final ClassLoader loader;
    private final String topic;
    private final String defaultTopic;
    private final ValueForm form;
    private final io.dataflare.api.PluginMetrics metrics;
    private final Metrics kafkaMetrics = new Metrics();
    private final SinkConnector connector;
    private final SinkTask task;
    private final Set<TopicPartition> assignment = new LinkedHashSet<>();
    private final Map<TopicPartition, Long> nextOffset = new HashMap<>();
    // during one put: the record behind each SinkRecord, for the errant-record reporter
    private final Map<SinkRecord, Record> inFlight = new IdentityHashMap<>();
    private Rejections currentRejections;

    KafkaConnectSink(
            String label,
            ClassLoader loader,
            Class<? extends SinkConnector> connectorClass,
            Map<String, String> config,
            String topic,
            String defaultTopic,
            ValueForm form,
            io.dataflare.api.PluginMetrics metrics)
            throws Exception {
        this.label = label;
        this.loader = loader;
        this.topic = topic;
        this.defaultTopic = defaultTopic;
        this.form = form;
        this.metrics = metrics;
        SinkConnector c = null;
        SinkTask t = null;
        try {
            c = Isolation.call(
                    loader, () -> connectorClass.getDeclaredConstructor().newInstance());
            SinkConnector started = c;
            Map<String, String> withTopics = new LinkedHashMap<>(config);
            if (topic != null) withTopics.putIfAbsent(SinkTask.TOPICS_CONFIG, topic);
            t = Isolation.call(loader, () -> {
                started.initialize(new Context());
                started.start(withTopics);
                List<Map<String, String>> taskConfigs = started.taskConfigs(1);
                if (taskConfigs == null || taskConfigs.isEmpty()) {
                    throw new PluginException(ErrorClass.PLUGIN_ERROR, label + ": the connector configured no task");
                }
                Class<? extends Task> taskClass = started.taskClass();
                SinkTask task = (SinkTask) taskClass.getDeclaredConstructor().newInstance();
                task.initialize(new TaskContext(taskConfigs.get(0)));
                task.start(taskConfigs.get(0));
                return task;
            });
        } catch (PluginException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw failure("cannot start", e);
        }
        this.connector = c;
        this.task = t;
    }

    @Override
    public void write(RecordBatch batch, Rejections rejections) throws Exception {
        List<SinkRecord> out = new ArrayList<>(batch.size());
        List<TopicPartition> opened = new ArrayList<>();
        inFlight.clear();
        for (Record r : batch) {
            try {
                SinkRecord s = toSinkRecord(r);
                TopicPartition tp = new TopicPartition(s.topic(), s.kafkaPartition());
                if (assignment.add(tp)) opened.add(tp);
                out.add(s);
                inFlight.put(s, r);
            } catch (IllegalArgumentException | org.apache.kafka.connect.errors.DataException e) {
                rejections.reject(r, label + ": cannot convert the record to a Connect record: " + e.getMessage());
            }
        }
        if (out.isEmpty()) return;
        currentRejections = rejections;
        try {
            Isolation.run(loader, () -> {
                if (!opened.isEmpty()) task.open(opened);
                task.put(out);
            });
        } catch (RetriableException e) {
            throw new PluginException(ErrorClass.IO, label + ": put failed, may succeed again: " + e.getMessage(), e);
        } catch (Exception | LinkageError e) {
            throw failure("put failed", e);
        } finally {
            currentRejections = null;
            inFlight.clear();
        }
        metrics.increment("connect_records", out.size());
    }

    private SinkRecord toSinkRecord(Record r) {
        String t = topic != null ? topic : r.header(FromConnect.TOPIC_HEADER);
        if (t == null) t = defaultTopic;
        TopicPartition tp = new TopicPartition(t, 0);
        long offset = nextOffset.merge(tp, 1L, Long::sum) - 1;
        SchemaAndValue value = switch (form) {
            case STRUCT -> ToConnect.struct(r);
            case MAP -> new SchemaAndValue(null, ToConnect.map(r));
            case JSON -> new SchemaAndValue(Schema.STRING_SCHEMA, RecordJson.toJson(r.asMap()));
        };
        SchemaAndValue key = r.key() == null
                ? new SchemaAndValue(null, null)
                : form == ValueForm.MAP ? new SchemaAndValue(null, r.key()) : ToConnect.value(r.key(), "key");
        ConnectHeaders headers = new ConnectHeaders();
        for (Map.Entry<String, String> h : r.headers().entrySet()) headers.addString(h.getKey(), h.getValue());
        Long ts = r.eventTime() == null ? null : r.eventTime().toEpochMilli();
        return new SinkRecord(
                t,
                0,
                key.schema(),
                key.value(),
                value.schema(),
                value.value(),
                offset,
                ts,
                ts == null ? TimestampType.NO_TIMESTAMP_TYPE : TimestampType.CREATE_TIME,
                headers);
    }

    @Override
    public void flush() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (Map.Entry<TopicPartition, Long> e : nextOffset.entrySet()) {
            offsets.put(e.getKey(), new OffsetAndMetadata(e.getValue()));
        }
        try {
            Isolation.run(loader, () -> task.preCommit(offsets));
        } catch (RetriableException e) {
            throw new PluginException(ErrorClass.IO, label + ": flush failed, may succeed again: " + e.getMessage(), e);
        } catch (Exception | LinkageError e) {
            throw failure("flush failed", e);
        }
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        try {
            flush();
        } catch (Exception e) {
            first = e;
        }
        try {
            Isolation.run(loader, () -> {
                try {
                    task.close(new ArrayList<>(assignment));
                } finally {
                    try {
                        task.stop();
                    } finally {
                        connector.stop();
                    }
                }
            });
        } catch (Exception e) {
            if (first == null) first = failure("stopping failed", e);
        }
        kafkaMetrics.close();
        if (first != null) throw first;
    }

    private PluginException failure(String what, Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return new PluginException(ErrorClass.PLUGIN_ERROR, label + ": " + what + ": " + msg, e);
    }

    private final class Context implements ConnectorContext {
        @Override
        public void requestTaskReconfiguration() {
            // one task with the configuration it started with
        }

        @Override
        public void raiseError(Exception e) {
            System.getLogger(KafkaConnectSink.class.getName())
                    .log(System.Logger.Level.ERROR, label + ": the connector raised an error", e);
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return new PluginMetricsImpl(kafkaMetrics, Map.of("connector", label));
        }
    }

    private final class TaskContext implements SinkTaskContext {
        private final Map<String, String> configs;

        TaskContext(Map<String, String> configs) {
            this.configs = Map.copyOf(configs);
        }

        @Override
        public Map<String, String> configs() {
            return configs;
        }

        @Override
        public void offset(Map<TopicPartition, Long> offsets) {
            // DataFlare's checkpoint, not the task, decides where a resumed run starts
        }

        @Override
        public void offset(TopicPartition tp, long offset) {
            // as above
        }

        @Override
        public void timeout(long timeoutMs) {
            // a RetriableException from put is retried per the pipeline's retry policy
        }

        @Override
        public Set<TopicPartition> assignment() {
            return Set.copyOf(assignment);
        }

        @Override
        public void pause(TopicPartition... partitions) {
            // the engine's backpressure holds the pipeline while put blocks
        }

        @Override
        public void resume(TopicPartition... partitions) {
            // see pause
        }

        @Override
        public void requestCommit() {
            // commits follow DataFlare's checkpoints
        }

        @Override
        public ErrantRecordReporter errantRecordReporter() {
            return KafkaConnectSink.this::report;
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return new PluginMetricsImpl(kafkaMetrics, Map.of("task", label));
        }
    }

    private Future<Void> report(SinkRecord record, Throwable error) {
        Record original = inFlight.get(record);
        Rejections r = currentRejections;
        if (original == null || r == null) {
            throw new PluginException(
                    ErrorClass.PLUGIN_ERROR,
                    label + ": the task reported a record outside put: " + error.getMessage(),
                    error);
        }
        r.reject(original, label + ": the connector rejected the record: " + error.getMessage());
        return CompletableFuture.completedFuture(null);
    }
}
