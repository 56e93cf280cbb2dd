package io.dataflare.engine.state.keyed;

import java.nio.file.Path;
import java.util.Set;

/**
 * Where the keyed-state snapshots of one pipeline's checkpoints live: immutable named files. Every file is
 * written (and durable) before the checkpoint that names it is saved, and deleted only once no saved
 * checkpoint names it: a crash at any moment leaves the saved checkpoint's files intact.
 */
public interface SnapshotFiles {
    /** Writes {@code name} durably. */
    void write(String name, byte[] bytes);

    /** Writes {@code name} durably from the file {@code from} (a hard link where possible). */
    void copyFrom(String name, Path from);

    byte[] read(String name);

    /** Puts a copy of {@code name} at {@code to}. */
    void copyTo(String name, Path to);

    /** How many bytes {@code name} holds. */
    long size(String name);

    boolean exists(String name);

    void delete(String name);

    /** Every name. */
    Set<String> list();

    /** Where they live, for messages. */
    String describe();
}
