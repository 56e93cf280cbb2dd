package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VersionInfoTest {
    @AfterEach
    void clear() {
        System.clearProperty("dataflare.graal.jit");
        System.clearProperty("dataflare.graal.jit.available");
    }

    @Test
    void saysJitIsOnWhenTheLauncherGaveThisJvmTheCompiler() {
        System.setProperty("dataflare.graal.jit", "true");
        assertThat(new VersionInfo().getVersion()[2])
                .isEqualTo("GraalVM JIT for scripts: on (Graal compiler on the module path)");
    }

    @Test
    void saysWhichCommandsGetTheCompilerWhenThisOneDidNot() {
        System.setProperty("dataflare.graal.jit.available", "true");
        assertThat(new VersionInfo().getVersion()[2])
                .contains("off for this short one")
                .contains("run, replay, serve");
    }

    @Test
    void saysOffWithoutTheCompiler() {
        assertThat(new VersionInfo().getVersion()[2]).startsWith("GraalVM JIT for scripts: off");
    }
}
