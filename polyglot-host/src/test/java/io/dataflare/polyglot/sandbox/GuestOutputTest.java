package io.dataflare.polyglot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestOutputTest {
    @Test
    void splitsLinesCutsLongOnesAndMutesFloods() {
        List<String> lines = new ArrayList<>();
        GuestOutput out = GuestOutput.lines(lines::add);
        out.write(
                "héllo\r\nwor".getBytes(StandardCharsets.UTF_8),
                0,
                "héllo\r\nwor".getBytes(StandardCharsets.UTF_8).length);
        out.write("ld\n".getBytes(StandardCharsets.UTF_8), 0, 3);
        out.write(
                "x".repeat(GuestOutput.MAX_LINE + 100).getBytes(StandardCharsets.UTF_8), 0, GuestOutput.MAX_LINE + 100);
        out.flush();
        assertThat(lines)
                .as("flush() does not cut a line in two (GraalPy flushes after every write)")
                .hasSize(2);
        out.close();
        assertThat(lines).hasSize(3);
        assertThat(lines.subList(0, 2)).containsExactly("héllo", "world");
        assertThat(lines.get(2)).hasSize(GuestOutput.MAX_LINE);

        List<String> flood = new ArrayList<>();
        GuestOutput f = GuestOutput.lines(flood::add);
        for (long i = 0; i < GuestOutput.MAX_LINES + 10; i++) f.write('\n');
        assertThat(flood).hasSize((int) GuestOutput.MAX_LINES);
        assertThat(flood.get(flood.size() - 1)).contains("muted");
    }

    @Test
    void aFlushMidLineDoesNotSplitIt() {
        List<String> lines = new ArrayList<>();
        GuestOutput out = GuestOutput.lines(lines::add);
        // what GraalPy writes for print('a', 'b\nc'): the text, a flush, the newline, a flush
        out.write("a b\nc".getBytes(StandardCharsets.UTF_8), 0, 5);
        out.flush();
        out.write('\n');
        out.flush();
        assertThat(lines).containsExactly("a b", "c");
    }
}
