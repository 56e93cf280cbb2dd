package io.dataflare.engine.runtime.scale;

import io.dataflare.engine.state.KeyGroups;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which instance owns each key group: contiguous ranges of groups per instance (as {@link KeyGroups#instanceOf}),
 * so going from n to m instances moves only the groups whose range changed owner.
 */
public final class KeyGroupAssignment {
    /** The key groups one instance gives to another. */
    public record Move(int from, int to, Set<Integer> groups) {}

    private KeyGroupAssignment() {}

    /** The owner of every one of {@code groups} key groups among {@code instances}. */
    public static int[] owners(int groups, int instances) {
        int[] owners = new int[groups];
        for (int g = 0; g < groups; g++) owners[g] = KeyGroups.instanceOf(g, groups, instances);
        return owners;
    }

    /** The groups that change owner from {@code before} to {@code after}, per pair of instances. */
    public static List<Move> moves(int[] before, int[] after) {
        List<Move> moves = new ArrayList<>();
        for (int g = 0; g < before.length; g++) {
            if (before[g] == after[g]) continue;
            Move m = find(moves, before[g], after[g]);
            if (m == null) {
                m = new Move(before[g], after[g], new TreeSet<>());
                moves.add(m);
            }
            m.groups().add(g);
        }
        return moves;
    }

    private static Move find(List<Move> moves, int from, int to) {
        for (Move m : moves) {
            if (m.from() == from && m.to() == to) return m;
        }
        return null;
    }
}
