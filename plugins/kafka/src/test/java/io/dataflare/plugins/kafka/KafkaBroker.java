package io.dataflare.plugins.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka (KRaft, broker and controller in one process) in this JVM, on free loopback
 * ports with its log in a temporary folder: the storage is formatted as {@code kafka-storage format} does,
 * then {@link KafkaRaftServer} starts as {@code kafka-server-start} would. {@link #stop()} and
 * {@link #start()} again keep the log, so a test can take the broker away and bring it back.
 */
public final class KafkaBroker implements AutoCloseable {
    private final Path logDir;
    private final int brokerPort;
    private final int controllerPort;
    private KafkaRaftServer server;

    private KafkaBroker(Path logDir, int brokerPort, int controllerPort) {
        this.logDir = logDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
    }

    /** Formats a fresh log folder and starts the broker. */
    public static KafkaBroker start(Path tempDir) throws IOException {
        Path logDir = Files.createDirectories(tempDir.resolve("kafka-logs"));
        KafkaBroker broker = new KafkaBroker(logDir, freePort(), freePort());
        broker.format();
        broker.start();
        return broker;
    }

    /** host:port for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public synchronized void start() {
        if (server != null) return;
        server = new KafkaRaftServer(KafkaConfig.fromProps(properties(), false), Time.SYSTEM);
        server.startup();
    }

    /** Stops the broker (as a clean shutdown) and keeps its log for a later {@link #start()}. */
    public synchronized void stop() {
        if (server == null) return;
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    @Override
    public void close() throws IOException {
        stop();
        try (Stream<Path> files = Files.walk(logDir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        // one broker: the internal topics (offsets, transactions) cannot have more replicas than that
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        return p;
    }

    private void format() throws IOException {
        Path config = logDir.getParent().resolve("server.properties");
        try (OutputStream out = Files.newOutputStream(config)) {
            properties().store(out, "single-node KRaft broker for the kafka plugin's tests");
        }
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit;
        try (PrintStream print = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            exit = StorageTool.execute(
                    new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()}, print);
        }
        if (exit != 0) {
            throw new IOException("formatting the Kafka log folder failed (exit " + exit + "): "
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
