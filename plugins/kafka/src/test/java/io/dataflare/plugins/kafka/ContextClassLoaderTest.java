package io.dataflare.plugins.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import io.dataflare.tck.SimplePluginContext;
import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In the engine the thread's context class loader is the engine's, which cannot see the kafka-clients inside
 * the plugin. The clients' classes are loaded afresh here, in a class loader of their own, with a context
 * class loader that sees no Kafka class: creating the source and the sink must still work.
 */
public class ContextClassLoaderTest {
    @TempDir
    static Path dir;

    @Test
    void sourceAndSinkStartWhenTheContextClassLoaderCannotSeeKafka() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir);
                URLClassLoader isolated = new URLClassLoader(classPath(), ClassLoader.getPlatformClassLoader())) {
            Thread t = Thread.currentThread();
            ClassLoader before = t.getContextClassLoader();
            t.setContextClassLoader(ClassLoader.getPlatformClassLoader());
            try {
                Object read = isolated.loadClass(ContextClassLoaderTest.class.getName())
                        .getDeclaredMethod("roundTrip", String.class, Path.class)
                        .invoke(null, broker.bootstrapServers(), dir);
                assertThat(read).isEqualTo(List.of(0L, 1L, 2L));
            } finally {
                t.setContextClassLoader(before);
            }
        }
    }

    /** Writes three records with the sink and reads them back with the source (run in the isolated loader). */
    public static List<Long> roundTrip(String bootstrap, Path baseDir) throws Exception {
        KafkaSinkFactory sinks = new KafkaSinkFactory();
        KafkaSourceFactory sources = new KafkaSourceFactory();
        Map<String, Object> config = Map.of("bootstrap_servers", bootstrap, "topic", "isolated");
        RecordBatch.Builder batch = RecordBatch.builder();
        for (long i = 0; i < 3; i++) batch.add(Record.builder().set("id", i).build());
        try (Sink sink = sinks.create(SimplePluginContext.of(sinks, config, baseDir))) {
            sink.write(batch.build(), new Rejections() {
                @Override
                public void reject(Record record, String reason) {
                    throw new AssertionError(reason);
                }

                @Override
                public void reject(Record record, Throwable error) {
                    throw new AssertionError(error);
                }
            });
        }
        List<Long> ids = new ArrayList<>();
        try (Source source = sources.create(SimplePluginContext.of(sources, config, baseDir))) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (ids.size() < 3 && System.currentTimeMillis() < deadline) {
                for (Record r : source.poll(100)) ids.add(r.getLong("id"));
            }
        }
        return ids;
    }

    private static URL[] classPath() throws Exception {
        String[] entries = System.getProperty("java.class.path").split(File.pathSeparator);
        URL[] urls = new URL[entries.length];
        for (int i = 0; i < entries.length; i++)
            urls[i] = Path.of(entries[i]).toUri().toURL();
        return urls;
    }
}
