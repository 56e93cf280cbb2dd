package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated stream several times larger than the heap goes through a deliberately slow sink in a child
 * JVM with a small heap: it completes only because the queues hold the source back. The 5 GB version is
 * examples/backpressure-5gb.yaml with a 256 MB heap (see README).
 */
class BackpressureIT {
    @TempDir
    Path dir;

    @Test
    void streamLargerThanTheHeapCompletesThroughASlowSink() throws Exception {
        // 200,000 records of ~1.3 KB of text: ~260 MB through a 48 MB heap
        Path p = Files.writeString(dir.resolve("bp.yaml"), """
                sources: { gen: { use: generator, with: { count: 200000, words: 200 } } }
                sinks: { slow: { use: discard, from: gen, with: { delay_ms: 2 } } }
                runtime: { batch_size: 1000, queue_batches: 4 }
                """);
        Distribution.Cli r =
                Distribution.childJvm(List.of("-Xmx48m", "-XX:+UseSerialGC"), "run", p.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode s = r.json();
        assertThat(s.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(s.get("records_out").asLong()).isEqualTo(200000);
    }
}
