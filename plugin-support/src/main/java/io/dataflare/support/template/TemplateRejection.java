package io.dataflare.support.template;

/** A record whose values cannot fill a template: a per-record outcome (a dead letter), not a bug. */
public final class TemplateRejection extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public TemplateRejection(String message) {
        super(message);
    }

    // Thrown once per refused record: the stack trace would cost more than the write and say nothing.
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
