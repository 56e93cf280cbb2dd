package io.dataflare.wasm.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class CallGuardTest {
    private final Watchdog watchdog = new Watchdog();

    @AfterEach
    void close() {
        watchdog.close();
        Thread.interrupted();
    }

    /** What Chicory does: run until the thread is interrupted, then throw. */
    private static Object spin() {
        while (!Thread.currentThread().isInterrupted()) Thread.onSpinWait();
        throw new ChicoryInterruptedException("Thread interrupted");
    }

    @Test
    void aTimeoutIsReportedAndItsInterruptDoesNotLeak() {
        CallGuard guard = new CallGuard(watchdog, 50, "spin@1.0.0");
        WasmPluginException e = catchThrowableOfType(
                WasmPluginException.class, () -> guard.call("df_process", null, CallGuardTest::spin));
        assertThat(e.errorClass()).isEqualTo("timeout");
        assertThat(e.plugin()).isEqualTo("spin@1.0.0");
        assertThat(e.getMessage()).startsWith("wasm plugin spin@1.0.0: df_process exceeded the time limit of 50 ms");
        assertThat(Thread.currentThread().isInterrupted())
                .as("the watchdog's interrupt is cleared")
                .isFalse();
        assertThat(guard.call("df_process", null, () -> "fine")).isEqualTo("fine");
    }

    @Test
    void anInterruptFromTheEngineIsKept() throws Exception {
        CallGuard guard = new CallGuard(watchdog, 10_000, "spin@1.0.0");
        Thread caller = Thread.currentThread();
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException ignored) {
                return;
            }
            caller.interrupt();
        });
        canceller.start();
        WasmPluginException e = catchThrowableOfType(
                WasmPluginException.class, () -> guard.call("df_process", null, CallGuardTest::spin));
        canceller.join();
        assertThat(e.errorClass()).isEqualTo("plugin_error");
        assertThat(Thread.currentThread().isInterrupted())
                .as("the engine still sees it is being stopped")
                .isTrue();
    }

    @Test
    void aCallThatEndsInTimeIsNeverInterruptedLater() throws Exception {
        CallGuard guard = new CallGuard(watchdog, 30, "quick@1.0.0");
        for (int i = 0; i < 1000; i++) guard.call("df_process", null, () -> null);
        Thread.sleep(100);
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
