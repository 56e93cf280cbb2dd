package io.dataflare.engine.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Encryption at rest for a state store: wrapping it with the configured keys, and re-encrypting it. */
public final class StateEncryption {
    private static final int LOG_CHUNK = 512;

    private StateEncryption() {}

    /**
     * {@code raw} as the engine should use it: encrypting with {@code keys}, or as it is when there are none.
     *
     * @throws StateIntegrityException when there are no keys but the store is encrypted (naming its key), or its
     *                                 marker was made with another key
     */
    public static StateStore protect(StateStore raw, EncryptionKeys keys) {
        if (!keys.isEmpty()) return new EncryptingStateStore(raw, new StateCipher(keys));
        String marker = raw.get(EncryptingStateStore.MARKER_NAMESPACE, EncryptingStateStore.MARKER_KEY)
                .orElse(null);
        if (marker != null) {
            throw new StateIntegrityException("the state in " + raw.describe() + " is encrypted (key "
                    + (StateCipher.isEncrypted(marker) ? StateCipher.keyIdOf(marker) : "?") + ") and no encryption key"
                    + " is configured: set " + EncryptionKeys.KEY_VARIABLE + " (base64 key) or "
                    + EncryptionKeys.KEY_FILE_VARIABLE + " (a file of keys)");
        }
        return raw;
    }

    /** The store {@code store} wraps, or itself. */
    public static StateStore unwrap(StateStore store) {
        return store instanceof EncryptingStateStore e ? e.inner() : store;
    }

    /** The cipher {@code store} encrypts with, or null when it keeps state in clear. */
    public static StateCipher cipherOf(StateStore store) {
        return store instanceof EncryptingStateStore e ? e.cipher() : null;
    }

    /** What {@link #rekey} did. */
    public record Rekeyed(int values, int logRecords, String keyId) {}

    /**
     * Re-encrypts every value and log record in {@code raw} (the keyed-state snapshot files of a file store:
     * {@code SnapshotEncryption.rekey}) with the newest of {@code keys}: ciphertexts of older keys and state in clear alike. Run it with no
     * server or pipeline using the store. Log records are appended again (after the old ones are truncated) in
     * one transaction per log, so they get new sequence numbers; the engine's logs (push spools) do not depend on
     * them.
     *
     * @throws StateIntegrityException when something cannot be decrypted with any of the keys
     */
    public static Rekeyed rekey(StateStore raw, EncryptionKeys keys) {
        if (keys.isEmpty()) throw new IllegalArgumentException("no encryption key configured: nothing to encrypt with");
        StateCipher cipher = new StateCipher(keys);
        EncryptingStateStore target = new EncryptingStateStore(raw, cipher);
        target.mark(); // first: a store half rekeyed is refused without a key rather than read half in clear
        int values = 0;
        int records = 0;
        for (String ns : raw.namespaces()) {
            for (Map.Entry<String, String> e : raw.list(ns).entrySet()) {
                if (cipher.isCurrent(e.getValue())) continue;
                String plain = StateCipher.isEncrypted(e.getValue())
                        ? target.get(ns, e.getKey()).orElseThrow()
                        : e.getValue();
                target.put(ns, e.getKey(), plain);
                values++;
            }
            for (String log : raw.logs(ns)) records += rekeyLog(raw, target, cipher, ns, log);
        }
        return new Rekeyed(values, records, keys.newestId());
    }

    private static int rekeyLog(
            StateStore raw, EncryptingStateStore target, StateCipher cipher, String ns, String log) {
        List<String> plain = new ArrayList<>();
        boolean stale = false;
        long last = raw.lastSequence(ns, log);
        for (long from = 1; ; ) {
            List<LogRecord> chunk = raw.read(ns, log, from, LOG_CHUNK);
            if (chunk.isEmpty()) break;
            for (LogRecord r : chunk) {
                if (!cipher.isCurrent(r.data())) stale = true;
                plain.add(
                        StateCipher.isEncrypted(r.data())
                                ? target.read(ns, log, r.sequence(), 1).get(0).data()
                                : r.data());
                from = r.sequence() + 1;
            }
        }
        if (!stale) return 0;
        raw.truncateBefore(ns, log, last + 1);
        StateTransaction t = target.transaction().expectLogEnd(ns, log, last);
        for (String p : plain) t.append(ns, log, p);
        t.commit();
        return plain.size();
    }
}
