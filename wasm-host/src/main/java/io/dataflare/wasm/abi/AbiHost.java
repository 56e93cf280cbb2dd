package io.dataflare.wasm.abi;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import io.dataflare.api.state.ValueState;
import io.dataflare.wasm.module.ImportPolicy;
import io.dataflare.wasm.sandbox.GuestMemory;
import io.dataflare.wasm.sandbox.HostFunctions;
import io.dataflare.wasm.sandbox.LimitExceededException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The host side of the {@code dataflare} import module for one plugin instance: where a call's output
 * and error land, the configuration, the log and the per-key state. In a pipeline run the state is the
 * engine's keyed state (a byte value state named {@value #STATE_NAME}, key = the module's key): checkpointed
 * with the source positions and restored on resume. Without engine state (a context outside the engine) it is
 * an in-memory map of at most {@code maxStateBytes}, owned by the plugin instance. Either way it survives the
 * WASM instance being discarded after a trap.
 */
final class AbiHost {
    private static final int MAX_ERROR = 4096;
    private static final int MAX_LOG = 8192;
    private static final int MAX_KEY = 4096;
    /** The engine state's name. */
    static final String STATE_NAME = "wasm.state";

    private final byte[] config;
    private final System.Logger log;
    private final int maxOutput;
    private final long maxStateBytes;
    private final Map<String, byte[]> state = new HashMap<>();
    private long stateBytes;
    /** The engine's state, asked for on the first state call (a module without state makes none); null: none. */
    private final Supplier<ValueState<byte[]>> durableSource;

    private ValueState<byte[]> durable;
    private boolean resolved;
    byte[] output;
    String error;

    AbiHost(byte[] config, System.Logger log, int maxOutput, long maxStateBytes) {
        this(config, log, maxOutput, maxStateBytes, () -> null);
    }

    /** With {@code durable} giving the engine's state (or null when there is none). */
    AbiHost(byte[] config, System.Logger log, int maxOutput, long maxStateBytes, Supplier<ValueState<byte[]>> durable) {
        this.durableSource = durable;
        this.config = config;
        this.log = log;
        this.maxOutput = maxOutput;
        this.maxStateBytes = maxStateBytes;
    }

    /** Clears what the previous call left. */
    void reset() {
        output = null;
        error = null;
    }

    List<com.dylibso.chicory.runtime.HostFunction> functions() {
        return new HostFunctions(ImportPolicy.DATAFLARE)
                .add("output", "i32 i32", "", (inst, a) -> {
                    output = GuestMemory.read(inst.memory(), (int) a[0], (int) a[1], maxOutput, "output");
                    return null;
                })
                .add("error", "i32 i32", "", (inst, a) -> {
                    error = text(inst, a[0], Math.min((int) a[1], MAX_ERROR));
                    return null;
                })
                .add("config", "i32 i32", "i32", (inst, a) ->
                        new long[] {GuestMemory.writeUpTo(inst.memory(), (int) a[0], (int) a[1], config)})
                .add("log", "i32 i32 i32", "", (inst, a) -> {
                    log.log(level((int) a[0]), text(inst, a[1], Math.min((int) a[2], MAX_LOG)));
                    return null;
                })
                .add("state_get", "i32 i32 i32 i32", "i32", (inst, a) -> {
                    String k = key(inst, a[0], a[1]);
                    byte[] v = durable() != null ? durable.get(k) : state.get(k);
                    return new long[] {v == null ? -1 : GuestMemory.writeUpTo(inst.memory(), (int) a[2], (int) a[3], v)
                    };
                })
                .add("state_set", "i32 i32 i32 i32", "", (inst, a) -> {
                    String k = key(inst, a[0], a[1]);
                    byte[] v = GuestMemory.read(inst.memory(), (int) a[2], (int) a[3], maxOutput, "state value");
                    if (durable() != null) {
                        durable.put(k, v);
                        return null;
                    }
                    byte[] old = state.get(k);
                    long next = stateBytes - (old == null ? 0 : old.length + k.length()) + v.length + k.length();
                    if (next > maxStateBytes)
                        throw new LimitExceededException(
                                "state would hold " + next + " bytes, over the limit of " + maxStateBytes);
                    state.put(k, v);
                    stateBytes = next;
                    return null;
                })
                .add("state_delete", "i32 i32", "", (inst, a) -> {
                    String k = key(inst, a[0], a[1]);
                    if (durable() != null) {
                        durable.delete(k);
                        return null;
                    }
                    byte[] old = state.remove(k);
                    if (old != null) stateBytes -= old.length + k.length();
                    return null;
                })
                .list();
    }

    private ValueState<byte[]> durable() {
        if (!resolved) {
            durable = durableSource.get();
            resolved = true;
        }
        return durable;
    }

    private static String key(Instance inst, long ptr, long len) {
        if (len > MAX_KEY) throw new LimitExceededException("state key of " + len + " bytes exceeds " + MAX_KEY);
        return text(inst, ptr, (int) len);
    }

    private static String text(Instance inst, long ptr, int len) {
        Memory m = inst.memory();
        return new String(
                GuestMemory.read(m, (int) ptr, Math.max(len, 0), Integer.MAX_VALUE, "text"), StandardCharsets.UTF_8);
    }

    private static System.Logger.Level level(int l) {
        return switch (l) {
            case 0 -> System.Logger.Level.TRACE;
            case 1 -> System.Logger.Level.DEBUG;
            case 3 -> System.Logger.Level.WARNING;
            case 4 -> System.Logger.Level.ERROR;
            default -> System.Logger.Level.INFO;
        };
    }
}
