package io.dataflare.engine.state;

/** The rule every store applies to {@link StateStore#truncateBefore}. */
final class Truncation {
    private Truncation() {}

    static void check(StateRef log, long sequence, long last) {
        if (sequence < 1 || sequence > last + 1)
            throw new IllegalArgumentException("cannot truncate log " + log + " before sequence number " + sequence
                    + ": its records run from 1 to " + last + " (truncate before 1 to " + (last + 1) + ")");
    }
}
