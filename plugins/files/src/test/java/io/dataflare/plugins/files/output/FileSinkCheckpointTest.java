package io.dataflare.plugins.files.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resumed file sink cuts its files back to the checkpoint, so replayed records are written once; the same
 * protocol lets a new version of a running sink continue the files the old one writes (hot swap).
 */
class FileSinkCheckpointTest {
    private static final Fields F = Fields.of("id", "country");

    @TempDir
    Path dir;

    private Sink sink(SinkFactory f, Map<String, ?> config) throws Exception {
        return f.create(SimplePluginContext.of(f, config, dir));
    }

    private static RecordBatch batch(int from, int to) {
        RecordBatch.Builder b = RecordBatch.builder();
        for (int i = from; i < to; i++) b.add(Record.of(F, (long) i, i % 2 == 0 ? "de" : "fr"));
        return b.build();
    }

    @Test
    void jsonlTemplatedFilesAreCutBackToTheCheckpoint() throws Exception {
        Map<String, ?> config = Map.of("path", "out/{country}.jsonl");
        Sink crashed = sink(new JsonlFileSinkFactory(), config);
        crashed.write(batch(0, 10), new Batches.Collected());
        Map<String, Object> state = crashed.checkpoint();
        crashed.write(batch(10, 20), new Batches.Collected()); // written after the checkpoint, then the process dies
        crashed.flush();

        Sink resumed = sink(new JsonlFileSinkFactory(), config);
        resumed.restore(state);
        resumed.write(batch(10, 20), new Batches.Collected()); // the source replays from its checkpointed position
        resumed.close();
        assertThat(Files.readAllLines(dir.resolve("out/de.jsonl")))
                .hasSize(10)
                .first()
                .asString()
                .contains("\"id\":0");
        assertThat(Files.readAllLines(dir.resolve("out/fr.jsonl")))
                .hasSize(10)
                .last()
                .asString()
                .contains("\"id\":19");
    }

    @Test
    void aFileCreatedAfterTheCheckpointStartsOverAndCsvHeadersAreNotRepeated() throws Exception {
        Map<String, ?> config = Map.of("path", "out/{country}.csv");
        Sink crashed = sink(new CsvFileSinkFactory(), config);
        crashed.write(RecordBatch.of(Record.of(F, 0L, "de")), new Batches.Collected());
        Map<String, Object> state = crashed.checkpoint();
        crashed.write(RecordBatch.of(Record.of(F, 1L, "fr"), Record.of(F, 2L, "de")), new Batches.Collected());
        crashed.flush();

        Sink resumed = sink(new CsvFileSinkFactory(), config);
        resumed.restore(state);
        resumed.write(RecordBatch.of(Record.of(F, 1L, "fr"), Record.of(F, 2L, "de")), new Batches.Collected());
        resumed.close();
        assertThat(Files.readAllLines(dir.resolve("out/de.csv"))).containsExactly("id,country", "0,de", "2,de");
        assertThat(Files.readAllLines(dir.resolve("out/fr.csv"))).containsExactly("id,country", "1,fr");
    }

    @Test
    void aFileShorterThanAtTheCheckpointCannotBeResumedExactly() throws Exception {
        Sink crashed = sink(new JsonlFileSinkFactory(), Map.of("path", "out.jsonl"));
        crashed.write(batch(0, 5), new Batches.Collected());
        Map<String, Object> state = crashed.checkpoint();
        crashed.close();
        Files.writeString(dir.resolve("out.jsonl"), "{}\n");
        Sink resumed = sink(new JsonlFileSinkFactory(), Map.of("path", "out.jsonl"));
        assertThatThrownBy(() -> resumed.restore(state))
                .hasMessageContaining("at the checkpoint: cannot resume it exactly");
    }

    /**
     * What the engine does when a running file sink switches versions: the old one flushes and reports its
     * lengths, the new one restores them while the old one still holds its files open, then the old one is
     * closed and the new one appends: no record lost, none doubled, no second CSV header.
     */
    @Test
    void aNewInstanceRestoredFromARunningOnesStateContinuesItsFiles() throws Exception {
        Map<String, ?> config = Map.of("path", "out/{country}.csv");
        Sink old = sink(new CsvFileSinkFactory(), config);
        old.write(batch(0, 4), new Batches.Collected());
        Map<String, Object> state = old.checkpoint();
        Sink next = sink(new CsvFileSinkFactory(), config);
        next.restore(state);
        old.close();
        next.write(batch(4, 8), new Batches.Collected());
        next.close();
        assertThat(Files.readAllLines(dir.resolve("out/de.csv")))
                .containsExactly("id,country", "0,de", "2,de", "4,de", "6,de");
        assertThat(Files.readAllLines(dir.resolve("out/fr.csv")))
                .containsExactly("id,country", "1,fr", "3,fr", "5,fr", "7,fr");
    }

    @Test
    void aNewInstanceRestoredFromARunningOnesStateContinuesAConstantPath() throws Exception {
        Map<String, ?> config = Map.of("path", "out.jsonl");
        Sink old = sink(new JsonlFileSinkFactory(), config);
        old.write(batch(0, 5), new Batches.Collected());
        Map<String, Object> state = old.checkpoint();
        Sink next = sink(new JsonlFileSinkFactory(), config);
        next.restore(state);
        old.close();
        next.flush(); // a new instance that did not resume would replace the file here
        next.write(batch(5, 10), new Batches.Collected());
        next.close();
        List<String> lines = Files.readAllLines(dir.resolve("out.jsonl"));
        assertThat(lines).hasSize(10);
        for (int i = 0; i < 10; i++) assertThat(lines.get(i)).startsWith("{\"id\":" + i + ",");
    }
}
