package io.dataflare.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class JvmSignalsTest {
    @Test
    void aRegisteredHandlerRunsOnTheRealSignalUntilRestored() throws Exception {
        CountDownLatch received = new CountDownLatch(1);
        // SIGWINCH: ignored by default, so a signal arriving after the restore harms nothing
        Object previous = JvmSignals.register("WINCH", received::countDown);
        try {
            assertThat(previous).as("the handler it replaced").isNotNull();
            kill("-WINCH");
            assertThat(received.await(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            JvmSignals.restore("WINCH", previous);
        }
        Object ours = JvmSignals.register("WINCH", () -> {});
        JvmSignals.restore("WINCH", ours);
        assertThat(ours).as("what the restore put back").isSameAs(previous);
    }

    @Test
    void aSignalThisPlatformDoesNotHaveIsNotRegistered() {
        assertThat(JvmSignals.register("NOSUCHSIGNAL", () -> {})).isNull();
    }

    private static void kill(String signal) throws Exception {
        Process kill = new ProcessBuilder(
                        "kill", signal, Long.toString(ProcessHandle.current().pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).isZero();
    }
}
