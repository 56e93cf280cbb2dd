package io.dataflare.engine.runtime;

/** A new plugin version cannot take over a running component; the message says why, and the old one keeps serving. */
final class SwitchRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    SwitchRefusedException(String why) {
        super(why);
    }
}
