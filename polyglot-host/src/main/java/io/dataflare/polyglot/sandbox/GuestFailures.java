package io.dataflare.polyglot.sandbox;

import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.GuestException;
import io.dataflare.api.error.PluginException;
import io.dataflare.polyglot.runtime.ScriptLanguage;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;

/**
 * Turns what a guest call threw into a {@link PluginException} the engine's retry and error policies
 * understand: {@code timeout} (the watchdog stopped it), {@code limit} (statement limit, stack or memory
 * exhausted), {@code plugin_error} (the script threw, or did something the sandbox forbids). The message
 * names the plugin and, when known, the script line.
 */
public final class GuestFailures {
    private GuestFailures() {}

    /** The failure of a call that threw {@code e}; {@code guard} is the call's watchdog guard (or null). */
    public static PluginException of(String plugin, RuntimeException e, Watchdog.Guard guard) {
        if (guard != null && guard.fired() && guard.reason() == Watchdog.Guard.Reason.ALLOCATION) {
            return new PluginException(
                    ErrorClass.LIMIT,
                    plugin + ": the call allocated more than " + (guard.allocLimitBytes() >> 20)
                            + " MB (alloc_limit_mb) and was stopped",
                    e);
        }
        if (guard != null && guard.fired()) {
            return new PluginException(
                    ErrorClass.TIMEOUT,
                    plugin + ": the call took longer than timeout_ms=" + guard.timeoutMs() + " and was stopped"
                            + (guard.cancelledContext() ? " (its context was cancelled)" : ""),
                    e);
        }
        if (!(e instanceof PolyglotException pe)) {
            return new PluginException(ErrorClass.PLUGIN_ERROR, plugin + ": " + describe(e), e);
        }
        if (pe.isResourceExhausted() || outOfMemory(pe)) {
            return new PluginException(
                    ErrorClass.LIMIT, plugin + ": limit reached: " + pe.getMessage() + location(pe), e);
        }
        if (pe.isInterrupted() || pe.isCancelled())
            return new PluginException(ErrorClass.TIMEOUT, plugin + ": stopped: " + pe.getMessage(), e);
        String where = location(pe);
        String what = pe.isSyntaxError() ? "syntax error: " + pe.getMessage() : pe.getMessage();
        if (pe.isExit()) what = "the script tried to exit (status " + pe.getExitStatus() + ")";
        else if (pe.isHostException()) what = describe(pe.asHostException());
        String name = pe.isGuestException() && !pe.isSyntaxError() && !pe.isExit() ? guestErrorName(pe) : null;
        if (name != null) {
            return new GuestException(
                    ErrorClass.PLUGIN_ERROR, plugin + ": " + what + where, name, guestMessage(pe, name), e);
        }
        return new PluginException(ErrorClass.PLUGIN_ERROR, plugin + ": " + what + where, e);
    }

    /**
     * The name of the error the script threw, for callers that match errors by name: a JavaScript error's
     * {@code name} property, a Python exception's type name; null when it threw something else.
     */
    private static String guestErrorName(PolyglotException pe) {
        try {
            Value ex = pe.getGuestObject();
            if (ex == null || ex.isNull()) return null;
            if (ex.hasMember("__traceback__")) return ex.getMetaObject().getMetaSimpleName();
            if (ex.hasMember("name") && ex.getMember("name").isString())
                return ex.getMember("name").asString();
            return null;
        } catch (RuntimeException e) {
            return null; // the context is gone
        }
    }

    /** The guest error's own message, without its name in front. */
    private static String guestMessage(PolyglotException pe, String name) {
        try {
            Value ex = pe.getGuestObject();
            if (ex != null
                    && !ex.hasMember("__traceback__")
                    && ex.hasMember("message")
                    && ex.getMember("message").isString())
                return ex.getMember("message").asString();
        } catch (RuntimeException e) {
            // the context is gone: fall back on the exception's message
        }
        String m = pe.getMessage() == null ? "" : pe.getMessage();
        return m.startsWith(name + ": ") ? m.substring(name.length() + 2) : m;
    }

    /** Whether the context that threw {@code e} can no longer be used and must be replaced. */
    public static boolean contextLost(RuntimeException e, Watchdog.Guard guard) {
        if (guard != null && guard.cancelledContext()) return true;
        if (!(e instanceof PolyglotException pe)) return false;
        return pe.isCancelled()
                || pe.isResourceExhausted()
                || outOfMemory(pe)
                || pe.isExit()
                || pe.isInternalError() && !pe.isHostException();
    }

    /** GraalPy turns the JVM's OutOfMemoryError into a guest MemoryError: the heap (shared by all) ran out. */
    private static boolean outOfMemory(PolyglotException pe) {
        String m = pe.getMessage();
        return pe.isGuestException() && m != null && (m.equals("MemoryError") || m.startsWith("MemoryError:"));
    }

    private static String location(PolyglotException pe) {
        String py = pythonTraceback(pe);
        if (py != null) return " (" + py + ")";
        // the innermost frame in the script
        SourceSection s = null;
        for (PolyglotException.StackFrame f : pe.getPolyglotStackTrace()) {
            if (f.isGuestFrame() && isScript(f.getSourceLocation())) {
                s = f.getSourceLocation();
                break;
            }
        }
        if (s == null && isScript(pe.getSourceLocation())) s = pe.getSourceLocation();
        return s == null ? "" : " (" + s.getSource().getName() + ":" + s.getStartLine() + ")";
    }

    /** The last script line of a Python exception's traceback (GraalPy's frames point at the function's start). */
    private static String pythonTraceback(PolyglotException pe) {
        try {
            Value ex = pe.isGuestException() ? pe.getGuestObject() : null;
            if (ex == null || !ex.hasMember("__traceback__")) return null;
            String found = null;
            for (Value tb = ex.getMember("__traceback__"); tb != null && !tb.isNull(); tb = tb.getMember("tb_next")) {
                String file = tb.getMember("tb_frame")
                        .getMember("f_code")
                        .getMember("co_filename")
                        .asString();
                if (!file.startsWith(ScriptLanguage.DRIVER_PREFIX))
                    found = file + ":" + tb.getMember("tb_lineno").asInt();
            }
            return found;
        } catch (RuntimeException e) {
            return null; // the context is gone, or this is not a Python exception
        }
    }

    /** Whether a location is in the plugin's script (not in the driver or a language's own code). */
    private static boolean isScript(SourceSection s) {
        return s != null
                && s.getSource() != null
                && !s.getSource().isInternal()
                && !s.getSource().getName().startsWith(ScriptLanguage.DRIVER_PREFIX);
    }

    private static String describe(Throwable t) {
        String m = t.getMessage();
        return m == null || m.isBlank()
                ? t.getClass().getSimpleName()
                : t.getClass().getSimpleName() + ": " + m;
    }
}
