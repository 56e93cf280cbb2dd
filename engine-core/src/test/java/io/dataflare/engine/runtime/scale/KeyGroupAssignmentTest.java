package io.dataflare.engine.runtime.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class KeyGroupAssignmentTest {
    @Test
    void rescalingMovesOnlyTheGroupsWhoseOwnerChanged() {
        int[] two = KeyGroupAssignment.owners(128, 2);
        int[] four = KeyGroupAssignment.owners(128, 4);
        List<KeyGroupAssignment.Move> moves = KeyGroupAssignment.moves(two, four);
        int moved = 0;
        for (KeyGroupAssignment.Move m : moves) {
            for (int g : m.groups()) {
                assertThat(two[g]).isEqualTo(m.from());
                assertThat(four[g]).isEqualTo(m.to());
            }
            moved += m.groups().size();
        }
        int changed = 0;
        for (int g = 0; g < 128; g++) if (two[g] != four[g]) changed++;
        assertThat(moved).isEqualTo(changed).isGreaterThan(0).isLessThan(128);
        assertThat(KeyGroupAssignment.moves(four, four)).isEmpty();
    }

    @Test
    void everyInstanceOwnsAContiguousRange() {
        int[] owners = KeyGroupAssignment.owners(128, 3);
        for (int g = 1; g < 128; g++) assertThat(owners[g]).isBetween(owners[g - 1], owners[g - 1] + 1);
        assertThat(owners[0]).isZero();
        assertThat(owners[127]).isEqualTo(2);
    }
}
