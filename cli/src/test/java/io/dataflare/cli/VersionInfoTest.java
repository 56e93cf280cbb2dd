package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
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

    @Test
    void versionPrintsWhatPicocliPrintsFromTheSameProvider() {
        System.setProperty("dataflare.graal.jit.available", "true");
        StringWriter picocli = new StringWriter();
        Main.commandLine("--version").printVersionHelp(new PrintWriter(picocli, true));

        for (String flag : new String[] {"--version", "-V"}) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int exit = Main.execute(new PrintWriter(out), new PrintWriter(err), flag);

            assertThat(exit).isZero();
            assertThat(err.toString()).isEmpty();
            assertThat(out.toString()).isEqualTo(picocli.toString()).startsWith("DataFlare ");
        }
    }

    @Test
    void onlyALoneVersionFlagIsAskingForTheVersion() {
        assertThat(VersionInfo.asked("--version")).isTrue();
        assertThat(VersionInfo.asked("-V")).isTrue();
        assertThat(VersionInfo.asked()).isFalse();
        assertThat(VersionInfo.asked("run", "--version")).isFalse();
        assertThat(VersionInfo.asked("--version", "extra")).isFalse();
    }
}
