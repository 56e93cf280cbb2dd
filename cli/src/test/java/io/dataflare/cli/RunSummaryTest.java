package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.runtime.PipelineResult;
import io.dataflare.engine.runtime.PipelineState;
import io.dataflare.engine.runtime.StatsSnapshot;
import io.dataflare.engine.runtime.SwitchResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The end-of-run summary lists the plugin version switches of the run with their pauses. */
class RunSummaryTest {
    private static final StatsSnapshot STATS = new StatsSnapshot(10, 10, 0, 0, 0, 0, 0, 0, 0, 1000, List.of());

    private static PipelineResult result(List<SwitchResult> switches) {
        return new PipelineResult("p", PipelineState.STOPPED, STATS, null, switches);
    }

    private static String text(PipelineResult r) {
        StringWriter w = new StringWriter();
        RunSummary.printText(r, new PrintWriter(w, true));
        return w.toString();
    }

    @Test
    void switchesAreListedWithTheirPause() {
        PipelineResult r = result(List.of(
                new SwitchResult("in", "seqs@1.0.0", "seqs@1.1.0", 1, 14_600_000, "source"),
                new SwitchResult("p", "stamp@1.0.0", "stamp@1.1.0", 2, 1_500, "processor")));
        assertThat(text(r))
                .contains("  switched source 'in': seqs@1.0.0 -> seqs@1.1.0, pipeline paused at a barrier 14.6 ms\n")
                .contains("  switched processor 'p': stamp@1.0.0 -> stamp@1.1.0, longest worker pause 0.0 ms\n");
        StringWriter json = new StringWriter();
        RunSummary.printJson(r, new PrintWriter(json, true));
        assertThat(json.toString())
                .contains("\"switches\":[{\"stage\":\"in\",\"kind\":\"source\",\"from\":\"seqs@1.0.0\","
                        + "\"to\":\"seqs@1.1.0\",\"pause_ms\":14.6},");
    }

    @Test
    void aRunWithoutSwitchesSaysNothingAboutThem() {
        PipelineResult r = result(List.of());
        assertThat(text(r)).doesNotContain("switched");
        StringWriter json = new StringWriter();
        RunSummary.printJson(r, new PrintWriter(json, true));
        assertThat(json.toString()).doesNotContain("switches");
    }
}
