package io.dataflare.wasm.sandbox;

import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.TableInstance;
import com.dylibso.chicory.wasm.types.Table;

/** A table whose {@code table.grow} fails (returns -1) beyond a fixed size, as memory does beyond its cap. */
public final class CappedTable extends TableInstance {
    /** The most entries a table may grow to: far beyond what real modules use, far below a heap bomb. */
    public static final int MAX_ENTRIES = 1 << 20;

    public CappedTable(Table table, int initialValue) {
        super(table, initialValue);
    }

    @Override
    public int grow(int size, int value, Instance instance) {
        if (size < 0 || (long) size() + size > MAX_ENTRIES) return -1;
        return super.grow(size, value, instance);
    }
}
