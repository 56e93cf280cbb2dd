package io.dataflare.polyglot.session;

/** Where a script's {@code ctx.reject(record, reason)} sends the record at {@code index} of the batch in hand. */
@FunctionalInterface
public interface Rejector {
    void reject(int index, String reason);
}
