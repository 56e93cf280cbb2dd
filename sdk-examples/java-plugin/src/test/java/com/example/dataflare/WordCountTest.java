package com.example.dataflare;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dataflare.tck.SimplePluginContext;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.processor.Processor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A plain unit test: the factory with a context built the way the engine builds it. */
class WordCountTest {
    @Test
    void countsWordsAndRejectsRecordsWithoutText() throws Exception {
        WordCountFactory f = new WordCountFactory();
        try (Processor p = f.create(SimplePluginContext.of(f, Map.of("field", "text"), null))) {
            RecordBatch out = p.process(RecordBatch.of(Record.fromMap(Map.of("text", " a quick  fox ")), Record.fromMap(Map.of("n", 1L))));
            assertEquals(3L, out.get(0).get("words"));
            assertEquals(1, out.rejections().size());
            assertEquals("field 'text' is missing or not text", out.rejections().get(0).reason());
        }
    }
}
