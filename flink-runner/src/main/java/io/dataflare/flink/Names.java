package io.dataflare.flink;

/** Names shared with a local run's summary. */
final class Names {
    /** The stage name the dead-letter sink is reported under, as in a local run. */
    static final String DEAD_LETTER_STAGE = "dead_letter";

    private Names() {}
}
