package io.dataflare.api.error;

/**
 * Thrown for a record whose data is wrong (a value that does not parse, a missing required field).
 * It is never retried: the record goes straight to the pipeline's error policy with this message.
 *
 * @since 1.0.0
 */
public class InvalidRecordException extends PluginException {
    private static final long serialVersionUID = 1L;

    /** An invalid record, with a reason a person can act on. */
    public InvalidRecordException(String message) {
        super(ErrorClass.INVALID_RECORD, message);
    }

    /** An invalid record, with the exception that revealed it. */
    public InvalidRecordException(String message, Throwable cause) {
        super(ErrorClass.INVALID_RECORD, message, cause);
    }
}
