package io.dataflare.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineRun;
import io.dataflare.engine.runtime.PipelineState;
import java.time.Duration;

/** Ending a test's pipeline run. */
public final class Runs {
    private Runs() {}

    /** Stops {@code run}, waits up to {@code wait} for it to end, and checks that it stopped cleanly. */
    public static PipelineResult stopCleanly(PipelineRun run, Duration wait) throws Exception {
        run.stop();
        PipelineResult r = run.await(wait);
        assertThat(r.state()).as(r.failure()).isEqualTo(PipelineState.STOPPED);
        return r;
    }
}
