package io.dataflare.engine.runtime.scale;

import java.util.Set;

/**
 * Moves what the instances of a stage keep per key group (their keyed state) when a rescale gives key groups
 * to other instances. Called at the rescale barrier: nothing is in flight and no instance is processing, so
 * the groups' state is quiet; the new owner receives its first record of a moved group only after this returns.
 */
@FunctionalInterface
public interface KeyGroupHandOver {
    /** Nothing is kept per key group (until keyed state exists). */
    KeyGroupHandOver NONE = (stage, groups, from, to) -> {};

    /**
     * Moves the state of {@code groups} of stage {@code stage} from instance {@code from} to instance {@code to}.
     *
     * @throws Exception when it cannot: the rescale is abandoned and the groups stay where they were
     */
    void move(String stage, Set<Integer> groups, int from, int to) throws Exception;
}
