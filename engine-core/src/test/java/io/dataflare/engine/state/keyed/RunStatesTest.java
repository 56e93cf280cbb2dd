package io.dataflare.engine.state.keyed;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.api.state.StateType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run's keyed state leaves no working directory behind that the run created for itself. */
class RunStatesTest {
    @TempDir
    Path dir;

    private static RunStates states(String backend, Path workDir) {
        return new RunStates(new StateSettings(backend, 0), null, null, workDir, Clock.systemUTC());
    }

    private static void count(RunStates states, String stage) {
        states.access(stage, 0).value("count", StateType.longs()).put("k", 1L);
    }

    @Test
    void inMemoryStateCreatesNoWorkingDirectory() {
        try (RunStates states = states(StateSettings.MEMORY, null)) {
            count(states, "s");
            assertThat(states.workingDirectory()).isNull();
        }
    }

    @Test
    void aTemporaryWorkingDirectoryIsCreatedOnFirstUseAndDeletedWhenTheStatesClose() {
        RunStates states = states(StateSettings.ROCKSDB, null);
        assertThat(states.workingDirectory()).isNull();
        count(states, "s");
        count(states, "t");
        Path work = states.workingDirectory();
        assertThat(work).isDirectory();
        assertThat(work.resolve("s")).isDirectory();

        states.close();

        assertThat(work).doesNotExist();
    }

    @Test
    void aWorkingDirectoryGivenToTheRunIsKept() throws Exception {
        Path work = Files.createDirectory(dir.resolve("work"));
        try (RunStates states = states(StateSettings.ROCKSDB, work)) {
            count(states, "s");
            assertThat(states.workingDirectory()).isEqualTo(work);
        }
        assertThat(work).isDirectory();
    }
}
