package io.dataflare.plugins.files.std;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.source.Source;
import io.dataflare.plugins.files.Batches;
import io.dataflare.tck.SimplePluginContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class StdStreamsTest {
    @TempDir
    Path dir;

    private final InputStream originalIn = System.in;
    private final PrintStream originalOut = System.out;

    @AfterEach
    void restore() {
        System.setIn(originalIn);
        System.setOut(originalOut);
    }

    private Source stdin(Map<String, ?> config) throws Exception {
        StdinSourceFactory f = new StdinSourceFactory();
        return f.create(SimplePluginContext.of(f, config, dir));
    }

    private Sink stdout(Map<String, ?> config) throws Exception {
        StdoutSinkFactory f = new StdoutSinkFactory();
        return f.create(SimplePluginContext.of(f, config, dir));
    }

    @Test
    void stdinReadsJsonLinesUntilEndOfInput() throws Exception {
        System.setIn(new ByteArrayInputStream("{\"a\":1}\nnot json\n{\"a\":2}\n".getBytes(StandardCharsets.UTF_8)));
        try (Source s = stdin(Map.of())) {
            List<RecordBatch> batches = Batches.drain(s, 10);
            assertThat(Batches.records(batches)).extracting(r -> r.get("a")).containsExactly(1L, 2L);
            assertThat(Batches.rejections(batches))
                    .singleElement()
                    .satisfies(x -> assertThat(x.reason()).startsWith("stdin line 2: "));
            assertThat(batches.get(0).position()).isNull();
        }
    }

    @Test
    void stdinReadsCsvWithTheCsvOptions() throws Exception {
        System.setIn(new ByteArrayInputStream("x|y\n1|2\n".getBytes(StandardCharsets.UTF_8)));
        try (Source s = stdin(Map.of("format", "csv", "delimiter", "|"))) {
            assertThat(Batches.records(Batches.drain(s, 10)).get(0).asMap())
                    .containsExactly(Map.entry("x", "1"), Map.entry("y", "2"));
        }
    }

    @Test
    @Timeout(10)
    void stdinHandsOverWhatHasArrivedWithoutWaitingForAFullBatch() throws Exception {
        PipedOutputStream writer = new PipedOutputStream();
        System.setIn(new PipedInputStream(writer, 1 << 16));
        try (Source s = stdin(Map.of())) {
            writer.write("{\"n\":1}\n{\"n\":2}\n".getBytes(StandardCharsets.UTF_8));
            writer.flush();
            RecordBatch first = s.poll(1000);
            assertThat(first.records()).extracting(r -> r.get("n")).containsExactly(1L, 2L);
            writer.write("{\"n\":3}\n".getBytes(StandardCharsets.UTF_8));
            writer.close();
            assertThat(Batches.records(Batches.drain(s, 1000)))
                    .extracting(r -> r.get("n"))
                    .containsExactly(3L);
        }
    }

    @Test
    @Timeout(20)
    void stdinGivesUpWaitingForTheNextLineSoThatWhatCameCanGoOn() throws Exception {
        // the source worker holds a partial batch between two polls: a poll must not wait for the next line
        PipedOutputStream writer = new PipedOutputStream();
        System.setIn(new PipedInputStream(writer, 1 << 16));
        try (Source s = stdin(Map.of())) {
            writer.write("{\"n\":1}\n".getBytes(StandardCharsets.UTF_8));
            writer.flush();
            RecordBatch first = s.poll(1000);
            while (first.isEmpty()) first = s.poll(1000);
            assertThat(first.records()).extracting(r -> r.get("n")).containsExactly(1L);
            assertThat(s.poll(1000).isEmpty())
                    .as("nothing more came: an empty batch, not a wait")
                    .isTrue();
            writer.write("{\"n\":2}\n".getBytes(StandardCharsets.UTF_8));
            writer.close();
            RecordBatch second = s.poll(1000);
            while (second.isEmpty()) second = s.poll(1000);
            assertThat(second.records()).extracting(r -> r.get("n")).containsExactly(2L);
            RecordBatch end = s.poll(1000);
            while (end != null && end.isEmpty()) end = s.poll(1000);
            assertThat(end).isNull();
        }
    }

    @Test
    void stdoutWritesJsonLinesOrCsvAndFlushes() throws Exception {
        Fields f = Fields.of("a", "b");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, false, StandardCharsets.UTF_8));
        try (Sink s = stdout(Map.of())) {
            s.write(RecordBatch.of(Record.of(f, 1L, "x")), new Batches.Collected());
            s.flush();
            assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1,\"b\":\"x\"}\n");
        }
        captured.reset();
        try (Sink s = stdout(Map.of("format", "csv"))) {
            s.write(RecordBatch.of(Record.of(f, 1L, "x,y")), new Batches.Collected());
        }
        assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("a,b\n1,\"x,y\"\n");
    }

    @Test
    void stdoutPassesEachBatchOnWithoutWaitingForAFlush() throws Exception {
        // a slowly fed run has no checkpoint to flush at: what it wrote must not wait for the end
        Fields f = Fields.of("a");
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, false, StandardCharsets.UTF_8));
        try (Sink s = stdout(Map.of())) {
            s.write(RecordBatch.of(Record.of(f, 1L)), new Batches.Collected());
            assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\n");
            s.write(RecordBatch.of(Record.of(f, 2L)), new Batches.Collected());
            assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}\n{\"a\":2}\n");
        }
    }
}
