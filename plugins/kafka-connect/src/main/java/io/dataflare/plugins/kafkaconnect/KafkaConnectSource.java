package io.dataflare.plugins.kafkaconnect;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.source.Source;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.PluginMetrics;
import org.apache.kafka.common.metrics.internals.PluginMetricsImpl;
import org.apache.kafka.connect.connector.ConnectorContext;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.SourceConnector;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.apache.kafka.connect.source.SourceTaskContext;
import org.apache.kafka.connect.storage.OffsetStorageReader;

/**
 * Runs a Kafka Connect source connector with one task. The connector and its task start at the first poll,
 * after {@link #seek}, so that the task's {@link OffsetStorageReader} answers with the checkpoint's offsets. The
 * task's own {@code poll()} may block (for seconds, in some connectors): it runs on a thread of its own that
 * hands batches over through a small queue, which also holds the task back when the pipeline is slower.
 * When a checkpoint commits, its offsets become what the task's offset reader answers, every record it covers is
 * acknowledged ({@code commitRecord}) and the task told to {@code commit()}: Debezium then reads the committed
 * offsets back and confirms their LSN to PostgreSQL, for instance.
 */
final class KafkaConnectSource implements Source {
    private static final Object END = new Object();

    private final String label;
    private final ClassLoader loader;
    private final Class<? extends SourceConnector> connectorClass;
    private final Map<String, String> config;
    private final io.dataflare.api.PluginMetrics metrics;
    private final BlockingQueue<Object> handOver = new ArrayBlockingQueue<>(4);
    private final Deque<Produced> uncommitted = new ArrayDeque<>();
    // what the task's OffsetStorageReader answers: the offsets of the last checkpoint (the one resumed from, then
    // each committed one), as a Connect worker's reader answers with the offsets it flushed
    private volatile SourceOffsets committed = new SourceOffsets();
    private final SourceOffsets latest = new SourceOffsets();
    private final Metrics kafkaMetrics = new Metrics();

    private SourceConnector connector;
    private SourceTask task;
    private Thread poller;
    private List<SourceRecord> pending = List.of();
    private int pendingIndex;
    private long seq;
    private volatile boolean stopping;
    private volatile Exception connectorError;
    private Throwable taskFailure;

    private record Produced(long seq, SourceRecord record) {}

    KafkaConnectSource(
            String label,
            ClassLoader loader,
            Class<? extends SourceConnector> connectorClass,
            Map<String, String> config,
            io.dataflare.api.PluginMetrics metrics) {
        this.label = label;
        this.loader = loader;
        this.connectorClass = connectorClass;
        this.config = Map.copyOf(config);
        this.metrics = metrics;
    }

    @Override
    public void seek(Map<String, Object> position) {
        committed = SourceOffsets.fromPosition(position);
        seq = SourceOffsets.seq(position);
        for (Map.Entry<String, Object> e : position.entrySet()) {
            if (!e.getKey().equals("offsets") && !e.getKey().equals("seq")) {
                throw new IllegalArgumentException(label + ": unexpected checkpoint entry " + e.getKey());
            }
        }
        // a resumed run's next checkpoint still covers the partitions that produce nothing new
        for (Object o : (List<?>) position.get("offsets")) {
            Map<?, ?> m = (Map<?, ?>) o;
            latest.put(stringMap(m.get("partition")), stringMap(m.get("offset")));
        }
    }

    private static Map<String, Object> stringMap(Object o) {
        Map<String, Object> out = new HashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
        return out;
    }

    private void start() throws Exception {
        Isolation.run(loader, () -> {
            connector = connectorClass.getDeclaredConstructor().newInstance();
            connector.initialize(new Context());
            connector.start(config);
            List<Map<String, String>> taskConfigs = connector.taskConfigs(1);
            if (taskConfigs == null || taskConfigs.isEmpty()) {
                throw new PluginException(ErrorClass.PLUGIN_ERROR, label + ": the connector configured no task");
            }
            Map<String, String> taskConfig = taskConfigs.get(0);
            Class<? extends Task> taskClass = connector.taskClass();
            task = (SourceTask) taskClass.getDeclaredConstructor().newInstance();
            task.initialize(new TaskContext(taskConfig));
            task.start(taskConfig);
        });
        poller = Thread.ofPlatform()
                .name("kafka-connect-source " + connectorClass.getSimpleName())
                .daemon()
                .unstarted(this::pollTask);
        poller.setContextClassLoader(loader);
        poller.start();
    }

    private void pollTask() {
        try {
            while (!stopping) {
                List<SourceRecord> records = task.poll();
                if (records != null && !records.isEmpty()) handOver.put(records);
            }
        } catch (InterruptedException e) {
            // stopping
        } catch (Exception | LinkageError e) {
            if (!stopping) handOver.offer(e);
        }
        handOver.offer(END);
    }

    @Override
    public RecordBatch poll(int maxRecords) throws Exception {
        if (task == null) {
            try {
                start();
            } catch (PluginException e) {
                throw e;
            } catch (Exception | LinkageError e) {
                throw failure("cannot start", e);
            }
        }
        if (connectorError != null) throw failure("the connector raised an error", connectorError);
        // a failed task stays failed (as in a Connect worker): every later poll reports it again, never idles
        if (taskFailure != null) throw failure("the task failed", taskFailure);
        if (pendingIndex >= pending.size()) {
            Object next = handOver.poll(100, TimeUnit.MILLISECONDS);
            if (next == null || next == END) return RecordBatch.EMPTY;
            if (next instanceof Throwable t) {
                taskFailure = t;
                throw failure("the task failed", t);
            }
            @SuppressWarnings("unchecked")
            List<SourceRecord> records = (List<SourceRecord>) next;
            pending = records;
            pendingIndex = 0;
        }
        RecordBatch.Builder out = RecordBatch.builder(Math.min(maxRecords, pending.size() - pendingIndex));
        int n = 0;
        synchronized (uncommitted) {
            while (pendingIndex < pending.size() && n < maxRecords) {
                SourceRecord r = pending.get(pendingIndex++);
                n++;
                try {
                    out.add(FromConnect.record(r));
                } catch (IllegalArgumentException | ClassCastException e) {
                    out.reject(
                            rejected(r),
                            label + ": cannot convert a record of topic " + r.topic() + " at " + r.sourceOffset() + ": "
                                    + e.getMessage());
                }
                if (r.sourcePartition() != null && r.sourceOffset() != null) {
                    latest.put(r.sourcePartition(), r.sourceOffset());
                }
                uncommitted.add(new Produced(++seq, r));
            }
        }
        metrics.increment("connect_records", n);
        if (!latest.isEmpty()) out.position(latest.toPosition(seq));
        return out.build();
    }

    private static Record rejected(SourceRecord r) {
        Record.Builder b = Record.builder().set("key", String.valueOf(r.key())).set("value", String.valueOf(r.value()));
        if (r.topic() != null) b.header(FromConnect.TOPIC_HEADER, r.topic());
        if (r.sourcePartition() != null) b.header("connect.source_partition", String.valueOf(r.sourcePartition()));
        if (r.sourceOffset() != null) b.header("connect.source_offset", String.valueOf(r.sourceOffset()));
        return b.build();
    }

    private PluginException failure(String what, Throwable e) {
        String msg = e.getMessage() == null ? e.getClass().getName() : e.getMessage();
        return new PluginException(ErrorClass.PLUGIN_ERROR, label + ": " + what + ": " + msg, e);
    }

    @Override
    public void commit(Map<String, Object> position) throws Exception {
        long upTo = SourceOffsets.seq(position);
        if (task == null) return;
        // before commit(): connectors such as Debezium read what to confirm upstream from the offset reader
        committed = SourceOffsets.fromPosition(position);
        try {
            Isolation.run(loader, () -> {
                synchronized (uncommitted) {
                    while (!uncommitted.isEmpty() && uncommitted.peekFirst().seq() <= upTo) {
                        task.commitRecord(uncommitted.pollFirst().record(), null);
                    }
                }
                task.commit();
            });
        } catch (Exception | LinkageError e) {
            throw failure("commit failed", e);
        }
    }

    @Override
    public void close() throws Exception {
        stopping = true;
        Exception first = null;
        try {
            if (task != null) Isolation.run(loader, task::stop);
        } catch (Exception e) {
            first = e;
        }
        if (poller != null) {
            poller.interrupt();
            poller.join(TimeUnit.SECONDS.toMillis(30));
        }
        try {
            if (connector != null) Isolation.run(loader, connector::stop);
        } catch (Exception e) {
            if (first == null) first = e;
        }
        kafkaMetrics.close();
        if (first != null) throw failure("stopping failed", first);
    }

    private final class Context implements ConnectorContext {
        @Override
        public void requestTaskReconfiguration() {
            // one task with the configuration it started with: a change of the connector's input needs a new run
        }

        @Override
        public void raiseError(Exception e) {
            connectorError = e;
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return new PluginMetricsImpl(kafkaMetrics, Map.of("connector", connectorClass.getSimpleName()));
        }
    }

    private final class TaskContext implements SourceTaskContext {
        private final Map<String, String> configs;

        TaskContext(Map<String, String> configs) {
            this.configs = Map.copyOf(configs);
        }

        @Override
        public Map<String, String> configs() {
            return configs;
        }

        @Override
        public OffsetStorageReader offsetStorageReader() {
            return new OffsetStorageReader() {
                @Override
                public <T> Map<String, Object> offset(Map<String, T> partition) {
                    return committed.get(partition);
                }

                @Override
                public <T> Map<Map<String, T>, Map<String, Object>> offsets(Collection<Map<String, T>> partitions) {
                    Map<Map<String, T>, Map<String, Object>> out = new HashMap<>();
                    SourceOffsets now = committed;
                    for (Map<String, T> p : partitions) out.put(p, now.get(p));
                    return out;
                }
            };
        }

        @Override
        public PluginMetrics pluginMetrics() {
            return new PluginMetricsImpl(kafkaMetrics, Map.of("task", connectorClass.getSimpleName()));
        }
    }
}
