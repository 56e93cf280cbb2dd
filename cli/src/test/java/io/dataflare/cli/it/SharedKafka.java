package io.dataflare.cli.it;

import io.dataflare.plugins.kafka.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * One real in-process Kafka broker for all the integration tests of this JVM, started on first use and
 * closed when the JVM exits: a second in-process broker started in a JVM where another one ran was seen
 * to leave a partition of a new topic without a reachable leader. Tests use their own topics.
 */
final class SharedKafka {
    private static KafkaBroker broker;

    private SharedKafka() {}

    static synchronized String bootstrapServers() {
        if (broker == null) {
            try {
                KafkaBroker b = KafkaBroker.start(Files.createTempDirectory("dataflare-it-kafka"));
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        b.close();
                    } catch (IOException e) {
                        // the JVM is exiting: a left-over temporary folder is all that is lost
                    }
                }));
                broker = b;
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the test Kafka broker", e);
            }
        }
        return broker.bootstrapServers();
    }
}
