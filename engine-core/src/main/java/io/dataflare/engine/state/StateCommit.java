package io.dataflare.engine.state;

import java.util.Map;

/**
 * What a committed {@link StateTransaction} did: the new version of each key it wrote (0 for a deleted key) and
 * the new last sequence number of each log it appended to.
 */
public record StateCommit(Map<StateRef, Long> versions, Map<StateRef, Long> lastSequences) {
    public StateCommit {
        versions = Map.copyOf(versions);
        lastSequences = Map.copyOf(lastSequences);
    }

    /** The version {@code key} has now (0: deleted); -1 when the transaction did not write it. */
    public long version(String namespace, String key) {
        return versions.getOrDefault(new StateRef(namespace, key), -1L);
    }

    /** The sequence number of the last record appended to {@code log}; -1 when the transaction did not append to it. */
    public long lastSequence(String namespace, String log) {
        return lastSequences.getOrDefault(new StateRef(namespace, log), -1L);
    }
}
