package io.dataflare.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChildJvmRowTest {
    private static EngineRow job(String language) {
        return new EngineRow("engine-" + language, null, "p", "", false, language);
    }

    @Test
    void onlyScriptRowsOnGraalsJitWarmUpLonger() {
        assertThat(ChildJvmRow.isolated(job("javascript")).warmUpFactor()).isEqualTo(4);
        assertThat(ChildJvmRow.isolated(job("python")).warmUpFactor()).isEqualTo(4);
        assertThat(ChildJvmRow.interpreted("engine-js-interpreted", job("javascript"))
                        .warmUpFactor())
                .isEqualTo(1);
        assertThat(ChildJvmRow.isolated(job("java")).warmUpFactor()).isEqualTo(1);
        assertThat(ChildJvmRow.isolated(job("wasm")).warmUpFactor()).isEqualTo(1);
    }

    @Test
    void onlyPythonOnGraalsJitWarmsUpForAtLeastAHundredRuns() {
        assertThat(ChildJvmRow.isolated(job("python")).minWarmUpRuns()).isEqualTo(100);
        assertThat(ChildJvmRow.interpreted("engine-python-interpreted", job("python"))
                        .minWarmUpRuns())
                .isEqualTo(1);
        assertThat(ChildJvmRow.isolated(job("javascript")).minWarmUpRuns()).isEqualTo(1);
        assertThat(ChildJvmRow.isolated(job("java")).minWarmUpRuns()).isEqualTo(1);
    }
}
