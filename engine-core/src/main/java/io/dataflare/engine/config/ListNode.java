package io.dataflare.engine.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A list of values. */
public record ListNode(List<ConfigNode> items, Location location) implements ConfigNode {
    public ListNode {
        items = List.copyOf(items);
    }

    @Override
    public Object toPlain() {
        List<Object> out = new ArrayList<>(items.size());
        for (ConfigNode n : items) out.add(n.toPlain());
        return Collections.unmodifiableList(out);
    }

    @Override
    public String describe() {
        return "a list";
    }

    @Override
    public boolean containsUnresolved() {
        for (ConfigNode n : items) {
            if (n.containsUnresolved()) return true;
        }
        return false;
    }
}
