package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StageSplitTest {
    @Test
    void splitsKeepTheirFileAndPositionThroughTheSerializer() throws IOException {
        StageSplit.Serializer s = new StageSplit.Serializer();
        for (StageSplit split : List.of(
                new StageSplit("in", null, null),
                new StageSplit("in", "/data/a.csv", null),
                new StageSplit("in", "/data/b.csv", "{\"file\":\"/data/b.csv\",\"line\":42}"))) {
            assertThat(s.deserialize(s.getVersion(), s.serialize(split))).isEqualTo(split);
        }
        assertThat(new StageSplit("in", "/data/a.csv", null).splitId())
                .isNotEqualTo(new StageSplit("in", "/data/b.csv", null).splitId());
    }

    @Test
    void aGlobExpandsToItsRegularFilesInPathOrder(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("in/sub"));
        Files.createDirectories(dir.resolve("in/dir.csv"));
        for (String f : List.of("in/b.csv", "in/a.csv", "in/c.txt", "in/sub/d.csv"))
            Files.writeString(dir.resolve(f), "x");

        assertThat(FileSplits.expand("in/*.csv", dir))
                .containsExactly(dir.resolve("in/a.csv"), dir.resolve("in/b.csv"));
        assertThat(FileSplits.expand("in/**.csv", dir))
                .containsExactly(dir.resolve("in/a.csv"), dir.resolve("in/b.csv"), dir.resolve("in/sub/d.csv"));
        assertThat(FileSplits.expand("none/*.csv", dir)).isEmpty();
    }
}
