package io.dataflare.engine.state;

/** Another run (in this process or another) holds the lock on a state; the message names it. */
public final class StateLockedException extends StateStoreException {
    private static final long serialVersionUID = 1L;

    private final String holder;

    public StateLockedException(String name, String holder, String store) {
        super("the state of '" + name + "' in " + store + " is in use by another run: " + holder);
        this.holder = holder;
    }

    /** Who holds the lock, as that run described itself (process id, host, pipeline). */
    public String holder() {
        return holder;
    }
}
