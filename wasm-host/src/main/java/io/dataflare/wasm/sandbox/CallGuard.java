package io.dataflare.wasm.sandbox;

import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.wasm.ChicoryException;
import io.dataflare.api.error.ErrorClass;
import java.util.function.BooleanSupplier;

/**
 * Runs one call into a module under the time limit and turns whatever goes wrong into a
 * {@link WasmPluginException} of the right error class: {@code timeout} (the watchdog fired),
 * {@code limit} (stack, memory or output exhausted) or {@code plugin_error} (a trap). The caller then
 * discards the instance: its state after a trap is unknown.
 */
public final class CallGuard {
    /** The work of one call. */
    @FunctionalInterface
    public interface Body<T> {
        T run() throws Exception;
    }

    private final Watchdog watchdog;
    private final long timeoutMs;
    private final String plugin;

    public CallGuard(Watchdog watchdog, long timeoutMs, String plugin) {
        this.watchdog = watchdog;
        this.timeoutMs = timeoutMs;
        this.plugin = plugin;
    }

    /** The plugin as {@code id@version}. */
    public String plugin() {
        return plugin;
    }

    /**
     * Runs {@code body} within the time limit.
     *
     * @param what          what is called, for messages ({@code df_process})
     * @param memoryAtLimit whether the module's memory reached its cap (a trap then counts as {@code limit})
     */
    public <T> T call(String what, BooleanSupplier memoryAtLimit, Body<T> body) {
        Watchdog.Ticket ticket = watchdog.arm(timeoutMs);
        try {
            return body.run();
        } catch (WasmPluginException e) {
            if (ticket.fired()) throw timeout(what, e);
            throw e;
        } catch (StackOverflowError e) {
            throw new WasmPluginException(
                    ErrorClass.LIMIT, plugin, what + ": call stack exhausted (unbounded recursion?)", null);
        } catch (Exception e) {
            throw translate(what, e, ticket, memoryAtLimit);
        } finally {
            ticket.close();
        }
    }

    private WasmPluginException translate(
            String what, Exception e, Watchdog.Ticket ticket, BooleanSupplier memoryAtLimit) {
        if (ticket.fired()) return timeout(what, e);
        if (e instanceof ChicoryInterruptedException) {
            // not our watchdog: the engine is stopping this worker; keep the flag so it sees that
            Thread.currentThread().interrupt();
            return new WasmPluginException(ErrorClass.PLUGIN_ERROR, plugin, what + " interrupted", e);
        }
        if (e instanceof LimitExceededException)
            return new WasmPluginException(ErrorClass.LIMIT, plugin, what + ": " + e.getMessage(), e);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (message.contains("call stack exhausted")) {
            return new WasmPluginException(
                    ErrorClass.LIMIT, plugin, what + ": call stack exhausted (unbounded recursion?)", e);
        }
        if (e instanceof TrapException || e instanceof ChicoryException) {
            if (memoryAtLimit != null && memoryAtLimit.getAsBoolean()) {
                return new WasmPluginException(
                        ErrorClass.LIMIT, plugin, what + " trapped with its memory at the limit (" + message + ")", e);
            }
            return new WasmPluginException(ErrorClass.PLUGIN_ERROR, plugin, what + " trapped: " + message, e);
        }
        return new WasmPluginException(ErrorClass.PLUGIN_ERROR, plugin, what + " failed: " + message, e);
    }

    private WasmPluginException timeout(String what, Exception e) {
        return new WasmPluginException(
                ErrorClass.TIMEOUT, plugin, what + " exceeded the time limit of " + timeoutMs + " ms", e);
    }
}
