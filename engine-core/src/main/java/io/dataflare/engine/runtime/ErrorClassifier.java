package io.dataflare.engine.runtime;

import io.dataflare.api.config.ConfigException;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;

/** Puts a failure into its {@link ErrorClass} for retry and error policies. */
final class ErrorClassifier {
    private ErrorClassifier() {}

    static String classify(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof PluginException pe) return pe.errorClass();
            if (c instanceof TimeoutException || c instanceof InterruptedIOException) return ErrorClass.TIMEOUT;
            if (c instanceof IOException || c instanceof UncheckedIOException) return ErrorClass.IO;
        }
        return ErrorClass.PLUGIN_ERROR;
    }

    static String message(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) return t.getClass().getName();
        // These say what is wrong in words; other exceptions' class names tell what kind of failure it was.
        return t instanceof PluginException || t instanceof IOException || t instanceof ConfigException
                ? m
                : t.getClass().getSimpleName() + ": " + m;
    }

    /** Errors that must not be contained: the JVM is in trouble, or the thread is being stopped. */
    static void rethrowFatal(Throwable t) throws InterruptedException {
        if (t instanceof InterruptedException ie) throw ie;
        if (t instanceof VirtualMachineError && !(t instanceof StackOverflowError)) throw (VirtualMachineError) t;
        if (Thread.currentThread().isInterrupted()) throw new InterruptedException("interrupted");
    }
}
