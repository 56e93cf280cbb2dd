package io.dataflare.engine.runtime;

/**
 * A plugin version a plan was validated with has been unloaded since (its file was removed or replaced and
 * no running pipeline held it): the plan must be validated again against the plugins installed now.
 */
public final class StalePlanException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public StalePlanException(String message) {
        super(message);
    }
}
