package io.dataflare.flink;

import io.dataflare.engine.state.KeyGroups;
import io.dataflare.engine.state.keyed.KeyedStore;
import io.dataflare.engine.state.keyed.RunStates;
import io.dataflare.engine.state.keyed.StateSettings;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.runtime.state.KeyGroupRange;
import org.apache.flink.runtime.state.StateInitializationContext;
import org.apache.flink.streaming.api.operators.KeyContext;

/**
 * The keyed state ({@code ctx.state()}) of the plugin of one processor instance, kept in Flink's keyed state. The
 * plugin works on its instance's DataFlare store as in a local run; at every checkpoint the entries of each key group
 * the instance owns are written into a Flink value state under that key group's key (DataFlare's key groups are
 * Flink's, see {@link RoutingKey}), so Flink checkpoints, restores and redistributes them per key group like any
 * keyed state. What belongs to no key group of this instance (operator-wide state, or state the plugin keys by
 * something its stage is not routed by) goes into the instance's operator state and comes back to it on a restore.
 */
final class PluginKeyedState {
    private static final int OPERATOR_GROUP = 0xFFFF;
    private static final PrimitiveArrayTypeInfo<byte[]> BYTES = PrimitiveArrayTypeInfo.BYTE_PRIMITIVE_ARRAY_TYPE_INFO;

    private final String stage;
    private final int instance;
    private final RunStates states;
    private ListState<byte[]> others;
    /** The entries of one key group, under the key group's key (null when the operator is not keyed). */
    private ValueState<byte[]> groupState;

    private KeyContext keys;
    private KeyGroupRange range;

    PluginKeyedState(String stage, int instance, long ttlMs) {
        this.stage = stage;
        this.instance = instance;
        // the working copy lives on the heap; Flink's checkpoints (and its state backend's storage) hold the copies
        this.states =
                new RunStates(new StateSettings(StateSettings.MEMORY, ttlMs), null, null, null, Clock.systemUTC());
    }

    /** What plugin instances made with this state see as {@code ctx.state()}. */
    RunStates states() {
        return states;
    }

    /**
     * Registers the state and, on a restore, fills the store from the checkpoint.
     *
     * @param keys  the operator, to set the key group being read or written; null when it is not keyed
     * @param range the key groups of this instance (with {@code keys})
     */
    void initialize(StateInitializationContext context, KeyContext keys, KeyGroupRange range) throws Exception {
        others = context.getOperatorStateStore()
                .getListState(new ListStateDescriptor<>("dataflare-state-" + stage, BYTES));
        this.keys = keys;
        this.range = range;
        if (keys != null) {
            groupState = context.getKeyedStateStore()
                    .getState(new ValueStateDescriptor<>("dataflare-keyed-state-" + stage, BYTES));
        }
        if (!context.isRestored()) return;
        List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
        for (byte[] e : others.get()) readEntries(e, entries);
        if (keys != null) {
            for (int g : range) {
                keys.setCurrentKey(RoutingKey.token(g));
                byte[] b = groupState.value();
                if (b != null) readEntries(b, entries);
            }
        }
        if (!entries.isEmpty()) store().importEntries(entries);
    }

    /** Writes the store into Flink's state for the checkpoint being taken. */
    void snapshot() throws Exception {
        if (states.isEmpty()) return;
        Set<Integer> groups = new HashSet<>();
        for (int g = 0; g < KeyGroups.DEFAULT_COUNT; g++) groups.add(g);
        groups.add(OPERATOR_GROUP);
        List<List<Map.Entry<byte[], byte[]>>> byGroup = new ArrayList<>();
        for (int g = 0; g < KeyGroups.DEFAULT_COUNT; g++) byGroup.add(new ArrayList<>());
        List<Map.Entry<byte[], byte[]>> rest = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : store().exportGroups(groups)) {
            int g = ((e.getKey()[0] & 0xFF) << 8) | (e.getKey()[1] & 0xFF);
            if (keys != null && g < KeyGroups.DEFAULT_COUNT && range.contains(g))
                byGroup.get(g).add(e);
            else rest.add(e);
        }
        if (keys != null) {
            Object current = keys.getCurrentKey();
            for (int g : range) {
                keys.setCurrentKey(RoutingKey.token(g));
                if (byGroup.get(g).isEmpty()) groupState.clear();
                else groupState.update(bytes(byGroup.get(g)));
            }
            if (current != null) keys.setCurrentKey(current);
        }
        others.clear();
        if (!rest.isEmpty()) others.add(bytes(rest));
    }

    private KeyedStore store() {
        return states.access(stage, instance).store();
    }

    void close() {
        states.close();
    }

    private static byte[] bytes(List<Map.Entry<byte[], byte[]>> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(entries.size());
            for (Map.Entry<byte[], byte[]> e : entries) {
                out.writeInt(e.getKey().length);
                out.write(e.getKey());
                out.writeInt(e.getValue().length);
                out.write(e.getValue());
            }
        }
        return bytes.toByteArray();
    }

    private static void readEntries(byte[] bytes, List<Map.Entry<byte[], byte[]>> into) throws IOException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                byte[] k = in.readNBytes(in.readInt());
                byte[] v = in.readNBytes(in.readInt());
                into.add(new AbstractMap.SimpleImmutableEntry<>(k, v));
            }
        }
    }
}
