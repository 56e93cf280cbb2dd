package io.dataflare.engine.state.keyed;

/**
 * The pipeline's {@code runtime.state:} settings.
 *
 * @param backend where keyed state lives: {@code memory} (the heap, the default) or {@code rocksdb} (an
 *                embedded RocksDB per stage instance, on disk: for state bigger than the heap)
 * @param ttlMs   how long a script's {@code ctx.state} value lives after its last write (0, the default:
 *                forever)
 */
public record StateSettings(String backend, long ttlMs) {
    public static final String MEMORY = "memory";
    public static final String ROCKSDB = "rocksdb";

    /** The defaults. */
    public static final StateSettings DEFAULTS = new StateSettings(MEMORY, 0);

    public StateSettings {
        if (!MEMORY.equals(backend) && !ROCKSDB.equals(backend))
            throw new IllegalArgumentException(
                    "runtime.state.backend must be 'memory' or 'rocksdb', not '" + backend + "'");
        if (ttlMs < 0) throw new IllegalArgumentException("runtime.state.ttl_ms must not be negative: " + ttlMs);
    }
}
