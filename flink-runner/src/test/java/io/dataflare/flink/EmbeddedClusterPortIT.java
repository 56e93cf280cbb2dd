package io.dataflare.flink;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** An embedded run does not need Flink's default REST port 8081: it runs while something else listens there. */
@Timeout(120)
class EmbeddedClusterPortIT {
    @Test
    void runsWhilePort8081IsTaken(@TempDir Path dir) throws Exception {
        Fixtures.copy(dir, "examples/quickstart.yaml", "examples/data/orders.csv");
        ServerSocket taken = null;
        try {
            taken = new ServerSocket(8081);
        } catch (IOException alreadyTakenElsewhere) {
            // another process holds it: the condition under test holds all the same
        }
        try {
            PipelineResult r =
                    Fixtures.runOnFlink(dir.resolve("examples/quickstart.yaml"), List.of(Fixtures.BUILT_INS), null);
            assertThat(r.failure()).isNull();
            assertThat(r.state()).isEqualTo(PipelineState.COMPLETED);
        } finally {
            if (taken != null) taken.close();
        }
    }
}
