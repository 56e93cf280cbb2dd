package io.dataflare.engine.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.ConfigReader;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.engine.testing.TestEngines;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the pipeline-file reader, parser and validator: whatever the text, the only acceptable outcome
 * besides a valid plan is an {@link InvalidConfigException} (located problems); any other exception or a
 * hang is a bug. {@code mvn verify} replays the corpus and fuzzes briefly; see the README for a long run.
 */
class PipelineFileFuzzTest {
    private static final Engine ENGINE =
            TestEngines.withPlugins(new InProcessPlugins().processor("identity", () -> b -> b));
    private static final ConfigReader.Format[] FORMATS = ConfigReader.Format.values();

    @AfterAll
    static void close() {
        ENGINE.close();
    }

    @FuzzTest(maxDuration = "20s")
    void pipelineFilesNeverFailUnexplained(FuzzedDataProvider data) {
        ConfigReader.Format format = FORMATS[data.consumeInt(0, FORMATS.length - 1)];
        String text = data.consumeRemainingAsString();
        try {
            ENGINE.load(text, "fuzz." + format.name().toLowerCase(java.util.Locale.ROOT), format, Path.of("."));
        } catch (InvalidConfigException expected) {
            if (expected.problems().isEmpty()) throw new AssertionError("an invalid pipeline must say why");
        }
    }
}
