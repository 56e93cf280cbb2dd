package io.dataflare.api.error;

/**
 * The classes of error that retry and error policies match on (as in a pipeline's
 * {@code retry_on: [timeout, io]}). The engine classifies every failure into one of them: a
 * {@link PluginException} says its own class, an {@link java.io.IOException} is {@link #IO}, a
 * {@link java.util.concurrent.TimeoutException} is {@link #TIMEOUT}, anything else
 * {@link #PLUGIN_ERROR}.
 *
 * @since 1.0.0
 */
public final class ErrorClass {
    /** The data itself is wrong (bad value, broken line): retrying cannot help. */
    public static final String INVALID_RECORD = "invalid_record";
    /** The plugin threw an unexpected exception. */
    public static final String PLUGIN_ERROR = "plugin_error";
    /** Input/output failed (file, network); often transient. */
    public static final String IO = "io";
    /** A call took longer than allowed. */
    public static final String TIMEOUT = "timeout";
    /** A sandboxed plugin hit a resource limit (memory, instructions, output size). */
    public static final String LIMIT = "limit";

    private ErrorClass() {}
}
