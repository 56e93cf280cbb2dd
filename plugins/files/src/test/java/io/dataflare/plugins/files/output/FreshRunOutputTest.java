package io.dataflare.plugins.files.output;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.plugins.files.Batches;
import io.dataflare.plugins.files.csv.CsvFileSinkFactory;
import io.dataflare.plugins.files.jsonl.JsonlFileSinkFactory;
import io.dataflare.tck.SimplePluginContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that does not resume owns its outputs: the previous run's file never survives a clean run. */
class FreshRunOutputTest {
    private static final Fields F = Fields.of("id", "country");

    @TempDir
    Path dir;

    private Sink sink(SinkFactory f, Map<String, ?> config) throws Exception {
        return f.create(SimplePluginContext.of(f, config, dir));
    }

    /** What the engine does with a sink at the end of a run's input: flush with a checkpoint, close. */
    private static void endOfInput(Sink s) throws Exception {
        s.checkpoint();
        s.close();
    }

    @Test
    void aSinkThatReceivesNoRecordReplacesThePreviousRunsFile() throws Exception {
        Path dlq = dir.resolve("out/dead-letters.jsonl");
        Files.createDirectories(dlq.getParent());
        Files.writeString(dlq, "{\"error\":\"last run's failure\"}\n");
        endOfInput(sink(new JsonlFileSinkFactory(), Map.of("path", "out/dead-letters.jsonl")));
        assertThat(dlq).exists().isEmptyFile();
    }

    @Test
    void aCsvSinkThatReceivesNoRecordReplacesThePreviousRunsFileToo() throws Exception {
        Path out = dir.resolve("out.csv");
        Files.writeString(out, "id,country\n1,de\n");
        endOfInput(sink(new CsvFileSinkFactory(), Map.of("path", "out.csv")));
        assertThat(Files.readAllLines(out)).doesNotContain("1,de");
    }

    @Test
    void appendKeepsThePreviousRunsFile() throws Exception {
        Path out = dir.resolve("out.jsonl");
        Files.writeString(out, "{\"id\":1}\n");
        endOfInput(sink(new JsonlFileSinkFactory(), Map.of("path", "out.jsonl", "append", true)));
        assertThat(Files.readAllLines(out)).containsExactly("{\"id\":1}");
    }

    @Test
    void aResumedRunContinuesItsFileEvenWithoutNewRecords() throws Exception {
        Sink first = sink(new JsonlFileSinkFactory(), Map.of("path", "out.jsonl"));
        first.write(RecordBatch.of(Record.of(F, 1L, "de")), new Batches.Collected());
        Map<String, Object> state = first.checkpoint();
        first.close();

        Sink resumed = sink(new JsonlFileSinkFactory(), Map.of("path", "out.jsonl"));
        resumed.restore(state);
        endOfInput(resumed);
        assertThat(Files.readAllLines(dir.resolve("out.jsonl")))
                .hasSize(1)
                .first()
                .asString()
                .contains("\"id\":1");
    }

    @Test
    void aSinkClosedWithoutEverRunningLeavesTheFileAlone() throws Exception {
        Path out = dir.resolve("out.jsonl");
        Files.writeString(out, "{\"id\":1}\n");
        sink(new JsonlFileSinkFactory(), Map.of("path", "out.jsonl")).close(); // another stage failed to start
        assertThat(Files.readAllLines(out)).containsExactly("{\"id\":1}");
    }
}
