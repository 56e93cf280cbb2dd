package io.dataflare.engine.state.keyed;

import io.dataflare.engine.state.KeyGroups;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keyed state of one pipeline run: one {@link KeyedStore} per stage instance (named {@code stage/instance}),
 * created when the instance first asks for its state. At a checkpoint, while the run is quiesced, {@link
 * #snapshot} writes every store's snapshot to the run's {@link SnapshotFiles} and returns what the checkpoint
 * records; once it is saved, {@link #saved} deletes the files no longer referenced. A resumed run restores
 * each store from the checkpoint's references when it is created, before the instance's first batch.
 */
public final class RunStates implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunStates.class);

    private final StateSettings settings;
    private final SnapshotFiles files;
    private final Function<String, KeyedStore> storeFactory;
    private final Clock clock;
    /** Where disk-based stores work, or null for a temporary directory the run owns. */
    private final Path workDir;
    /** The temporary working directory, created when a disk-based store first needs one. */
    private Path temporaryWorkDir;

    private final Map<String, KeyedStateAccess> open = new TreeMap<>();
    private final Map<String, KeyedTimers> timers = new ConcurrentHashMap<>();
    /** Whether any instance asked for its timers: until then workers need not look for them. */
    private volatile boolean timersUsed;
    /** The references of the checkpoint resumed from, of the stores not created yet. */
    private final Map<String, List<String>> pending = new HashMap<>();

    /**
     * @param files     where snapshots go, or null when the run takes no checkpoints
     * @param restoreOf what the checkpoint resumed from recorded (null: a fresh run, whose old files are
     *                  deleted)
     * @param workDir   where disk-based stores keep their working files, or null for a temporary directory,
     *                  created when one first needs it and deleted with it when the states close
     */
    public RunStates(
            StateSettings settings,
            SnapshotFiles files,
            Map<String, List<String>> restoreOf,
            Path workDir,
            Clock clock) {
        this.settings = settings;
        this.files = files;
        this.clock = clock;
        this.workDir = workDir;
        this.storeFactory = id -> KeyedStores.create(settings.backend(), this::workDir, id);
        if (restoreOf != null) pending.putAll(restoreOf);
        if (files != null) deleteUnreferenced(pending);
    }

    public StateSettings settings() {
        return settings;
    }

    /** The state of instance {@code instance} of {@code stage} (created, and restored, on first use). */
    public synchronized KeyedStateAccess access(String stage, int instance) {
        String id = stage + "/" + instance;
        KeyedStateAccess a = open.get(id);
        if (a != null) return a;
        KeyedStore store = storeFactory.apply(id);
        List<String> refs = pending.remove(id);
        if (refs != null) {
            try {
                store.restore(files, refs);
            } catch (RuntimeException e) {
                store.close();
                throw new IllegalStateException(
                        "the keyed state of stage '" + stage + "' instance " + instance + " cannot be restored from "
                                + files.describe() + ": " + e.getMessage() + " (run with --from-start to start over)",
                        e);
            }
        }
        a = new KeyedStateAccess(store, clock, settings.ttlMs());
        open.put(id, a);
        return a;
    }

    /** The timers of instance {@code instance} of {@code stage}, kept in its state (created on first use). */
    public synchronized KeyedTimers timers(String stage, int instance) {
        KeyedStateAccess a = access(stage, instance);
        KeyedTimers t = timers.computeIfAbsent(stage + "/" + instance, id -> new KeyedTimers(a.store(), clock));
        timersUsed = true;
        return t;
    }

    /**
     * The timers of an instance if it asked for them, else null: workers ask after every batch, so this costs a
     * volatile read while no instance uses timers, and a concurrent map lookup once one does.
     */
    public KeyedTimers timersIfUsed(String stage, int instance) {
        return timersUsed ? timers.get(stage + "/" + instance) : null;
    }

    /**
     * Moves the state of key groups {@code groups} of {@code stage} from instance {@code from} to instance
     * {@code to}: a rescale hands them over at its barrier, when neither instance is working on a batch.
     */
    public synchronized void move(String stage, Set<Integer> groups, int from, int to) {
        if (groups.isEmpty() || !hasState(stage, from)) return;
        KeyedStore source = access(stage, from).store();
        KeyedStore target = access(stage, to).store();
        target.importEntries(source.exportGroups(groups));
        source.dropGroups(groups);
        // their timers moved too: both indexes are rebuilt from the stores
        KeyedTimers t = timers.get(stage + "/" + from);
        if (t != null) t.invalidate();
        t = timers.get(stage + "/" + to);
        if (t != null) t.invalidate();
    }

    /**
     * After a resume, puts the state of every key group of {@code stage} where {@code owner} says it is handled
     * now: a rescaled stage starts again from its initial assignment of key groups, while the state of a group
     * is in the instance that owned it at the checkpoint.
     */
    public synchronized void rehome(String stage, int instances, IntUnaryOperator owner) {
        for (int i = 0; i < instances; i++) {
            if (!hasState(stage, i)) continue;
            Map<Integer, Set<Integer>> elsewhere = new TreeMap<>();
            for (int g = 0; g < KeyGroups.DEFAULT_COUNT; g++) {
                int o = owner.applyAsInt(g);
                if (o != i) elsewhere.computeIfAbsent(o, k -> new HashSet<>()).add(g);
            }
            for (Map.Entry<Integer, Set<Integer>> e : elsewhere.entrySet()) move(stage, e.getValue(), i, e.getKey());
        }
    }

    private boolean hasState(String stage, int instance) {
        String id = stage + "/" + instance;
        return open.containsKey(id) || pending.containsKey(id);
    }

    /** Whether any instance has state (or a checkpoint to restore it from). */
    public synchronized boolean isEmpty() {
        return open.isEmpty() && pending.isEmpty();
    }

    /**
     * Snapshots every store for checkpoint {@code checkpointId}: what the checkpoint records, per stage
     * instance the files its restore reads (null when the run keeps no snapshots).
     */
    public synchronized Map<String, List<String>> snapshot(long checkpointId) {
        if (files == null) return null;
        Map<String, List<String>> out = new TreeMap<>(pending);
        for (Map.Entry<String, KeyedStateAccess> e : open.entrySet()) {
            out.put(e.getKey(), e.getValue().store().snapshot(files, e.getKey() + "/", checkpointId));
        }
        return out;
    }

    /** The checkpoint of the last {@link #snapshot} could not be saved: the next snapshots must not build on it. */
    public synchronized void discarded() {
        for (KeyedStateAccess a : open.values()) a.store().snapshotDiscarded();
    }

    /** The checkpoint recording {@code refs} is saved: files no checkpoint names any more go. */
    public synchronized void saved(Map<String, List<String>> refs) {
        if (files != null && refs != null) deleteUnreferenced(refs);
    }

    /** The run completed and its checkpoint was deleted: so are its snapshots. */
    public synchronized void deleteAll() {
        if (files != null) deleteUnreferenced(Map.of());
    }

    private void deleteUnreferenced(Map<String, List<String>> refs) {
        Set<String> keep = new HashSet<>();
        refs.values().forEach(keep::addAll);
        try {
            for (String name : files.list()) {
                if (!keep.contains(name)) files.delete(name);
            }
        } catch (RuntimeException e) {
            // A leftover file costs space, never correctness: the next saved checkpoint deletes it.
            LOG.warn("old state snapshots in {} could not be deleted: {}", files.describe(), e.getMessage());
        }
    }

    /** Where disk-based stores work: the directory given, the temporary one once created, else null. */
    synchronized Path workingDirectory() {
        return workDir != null ? workDir : temporaryWorkDir;
    }

    private synchronized Path workDir() {
        if (workDir != null) return workDir;
        if (temporaryWorkDir == null) {
            try {
                temporaryWorkDir = Files.createTempDirectory("dataflare-state-");
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a working directory for keyed state", e);
            }
        }
        return temporaryWorkDir;
    }

    @Override
    public synchronized void close() {
        for (KeyedStateAccess a : open.values()) a.store().close();
        open.clear();
        timers.clear();
        if (temporaryWorkDir != null) {
            deleteTree(temporaryWorkDir);
            temporaryWorkDir = null;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        } catch (IOException | UncheckedIOException e) {
            // a leftover directory costs space, never correctness
            LOG.warn("the keyed state's working directory {} could not be deleted: {}", dir, e.getMessage());
        }
    }
}
