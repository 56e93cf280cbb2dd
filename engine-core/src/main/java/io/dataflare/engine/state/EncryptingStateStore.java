package io.dataflare.engine.state;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Any state store with its values and log records encrypted at rest (AES-256-GCM, {@link StateCipher}): keys,
 * namespaces, log ids, versions and sequence numbers stay as they are (they are names, not data); every value
 * and record is bound to its namespace and key or log, so a ciphertext moved elsewhere is refused like a
 * modified one. A marker ({@value #MARKER_NAMESPACE}/{@value #MARKER_KEY}), written into a new store or by
 * {@link StateEncryption#rekey}, says the store is encrypted, so that a server without the key refuses to start on
 * it ({@link StateEncryption#protect}).
 */
public final class EncryptingStateStore implements StateStore {
    static final String MARKER_NAMESPACE = "encryption";
    static final String MARKER_KEY = "marker";
    private static final String MARKER_TEXT = "dataflare encrypted state";

    private final StateStore inner;
    private final StateCipher cipher;

    /**
     * Encrypts what goes into {@code inner}; marks it encrypted.
     *
     * @throws StateIntegrityException when its marker was made with a key none of {@code cipher}'s is, or modified
     */
    public EncryptingStateStore(StateStore inner, StateCipher cipher) {
        this.inner = inner;
        this.cipher = cipher;
        Optional<String> marker = inner.get(MARKER_NAMESPACE, MARKER_KEY);
        if (marker.isPresent()) get(MARKER_NAMESPACE, MARKER_KEY);
        else if (inner.namespaces().isEmpty()) mark(); // a new store; one in clear is marked by rekey
    }

    /** Marks the store encrypted: from now on it is refused without a key. */
    void mark() {
        put(MARKER_NAMESPACE, MARKER_KEY, MARKER_TEXT);
    }

    /** The store underneath (ciphertexts). */
    public StateStore inner() {
        return inner;
    }

    public StateCipher cipher() {
        return cipher;
    }

    private static String keyPlace(String namespace, String key) {
        return "key:" + namespace + "/" + key;
    }

    private static String logPlace(String namespace, String log) {
        return "log:" + namespace + "/" + log;
    }

    private String where(String what) {
        return what + " in " + inner.describe();
    }

    private String open(String namespace, String key, String text) {
        return cipher.decrypt(text, keyPlace(namespace, key), where("state key " + namespace + "/" + key));
    }

    @Override
    public Optional<String> get(String namespace, String key) {
        return inner.get(namespace, key).map(v -> open(namespace, key, v));
    }

    @Override
    public Optional<Versioned> getVersioned(String namespace, String key) {
        return inner.getVersioned(namespace, key).map(v -> new Versioned(open(namespace, key, v.value()), v.version()));
    }

    @Override
    public void put(String namespace, String key, String value) {
        inner.put(namespace, key, cipher.encrypt(value, keyPlace(namespace, key)));
    }

    @Override
    public boolean delete(String namespace, String key) {
        return inner.delete(namespace, key);
    }

    @Override
    public Map<String, String> list(String namespace) {
        Map<String, String> out = new TreeMap<>();
        inner.list(namespace).forEach((k, v) -> out.put(k, open(namespace, k, v)));
        return out;
    }

    @Override
    public StateTransaction transaction() {
        return new StateTransaction(plan -> {
            StateTransaction t = inner.transaction();
            plan.writes().forEach((ref, v) -> {
                if (v.isPresent())
                    t.put(ref.namespace(), ref.name(), cipher.encrypt(v.get(), keyPlace(ref.namespace(), ref.name())));
                else t.delete(ref.namespace(), ref.name());
            });
            plan.appends().forEach((ref, records) -> {
                String place = logPlace(ref.namespace(), ref.name());
                for (String r : records) t.append(ref.namespace(), ref.name(), cipher.encrypt(r, place));
            });
            plan.versions().forEach((ref, v) -> t.expectVersion(ref.namespace(), ref.name(), v));
            plan.logEnds().forEach((ref, v) -> t.expectLogEnd(ref.namespace(), ref.name(), v));
            return t.commit();
        });
    }

    @Override
    public List<LogRecord> read(String namespace, String log, long from, int max) {
        List<LogRecord> in = inner.read(namespace, log, from, max);
        List<LogRecord> out = new ArrayList<>(in.size());
        String place = logPlace(namespace, log);
        for (LogRecord r : in) {
            out.add(new LogRecord(
                    r.sequence(),
                    cipher.decrypt(
                            r.data(),
                            place,
                            where("record " + r.sequence() + " of state log " + namespace + "/" + log))));
        }
        return out;
    }

    @Override
    public long lastSequence(String namespace, String log) {
        return inner.lastSequence(namespace, log);
    }

    @Override
    public void truncateBefore(String namespace, String log, long sequence) {
        inner.truncateBefore(namespace, log, sequence);
    }

    @Override
    public SortedSet<String> logs(String namespace) {
        return inner.logs(namespace);
    }

    @Override
    public SortedSet<String> namespaces() {
        return inner.namespaces();
    }

    @Override
    public StateLock lock(String name, String owner) {
        return inner.lock(name, owner);
    }

    @Override
    public String describe() {
        return inner.describe();
    }

    @Override
    public void close() {
        inner.close();
    }
}
