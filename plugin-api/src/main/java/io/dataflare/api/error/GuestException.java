package io.dataflare.api.error;

/**
 * A {@link PluginException} that carries the name of the error the plugin's own language raised: a JavaScript
 * error's {@code name} ({@code "ValueTooLow"} for {@code class ValueTooLow extends Error}), a Python exception's
 * type name. Hosts raise it for errors a script threw; engines that match errors by name (a workflow's
 * {@code Retry} and {@code Catch}) read {@link #errorName()}, and its {@link #guestMessage()} as the cause.
 *
 * @since 1.1.0
 */
public class GuestException extends PluginException {
    private static final long serialVersionUID = 1L;

    private final String errorName;
    private final String guestMessage;

    /**
     * @param errorName    the guest error's name
     * @param guestMessage the guest error's own message, without the plugin label and location
     */
    public GuestException(String errorClass, String message, String errorName, String guestMessage, Throwable cause) {
        super(errorClass, message, cause);
        this.errorName = errorName;
        this.guestMessage = guestMessage == null ? "" : guestMessage;
    }

    /** The guest error's name. */
    public String errorName() {
        return errorName;
    }

    /** The guest error's own message. */
    public String guestMessage() {
        return guestMessage;
    }
}
