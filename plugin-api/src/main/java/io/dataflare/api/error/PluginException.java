package io.dataflare.api.error;

/**
 * An error a plugin raises on purpose, naming its {@linkplain ErrorClass error class} so that retry
 * and error policies can tell a transient failure ({@code io}, {@code timeout}) from a bad record
 * ({@code invalid_record}).
 *
 * @since 1.0.0
 */
public class PluginException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String errorClass;

    /** An error of class {@code errorClass}. */
    public PluginException(String errorClass, String message) {
        super(message);
        this.errorClass = errorClass;
    }

    /** An error of class {@code errorClass} caused by {@code cause}. */
    public PluginException(String errorClass, String message, Throwable cause) {
        super(message, cause);
        this.errorClass = errorClass;
    }

    /** The error class, such as {@code io} or {@code invalid_record}. */
    public String errorClass() {
        return errorClass;
    }
}
