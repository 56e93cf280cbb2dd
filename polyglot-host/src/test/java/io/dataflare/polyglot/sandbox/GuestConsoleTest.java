package io.dataflare.polyglot.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GuestConsoleTest {
    private final List<String> lines = new ArrayList<>();
    private long now = 1_000_000_000L;
    private final GuestConsole console =
            new GuestConsole(GuestConsole.prefix("dedupe", "orders", "d", 0), lines::add, () -> now);

    private static void print(GuestOutput stream, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        stream.write(b, 0, b.length);
    }

    @Test
    void everyPrintedLineGetsThePluginAndStage() {
        print(console.out(), "first\nsecond\r\nthird");
        print(console.err(), "oops\n");
        assertThat(lines)
                .containsExactly("[dedupe orders/d] first", "[dedupe orders/d] second", "[dedupe orders/d] oops");
        console.endOfCall(); // a call that ended (or was stopped) mid-line: the next call's output starts a new line
        print(console.out(), "next call\n");
        assertThat(lines).containsSequence("[dedupe orders/d] third", "[dedupe orders/d] next call");
        print(console.out(), "unfinished");
        console.close();
        assertThat(lines).last().isEqualTo("[dedupe orders/d] unfinished");
        assertThat(GuestConsole.prefix("dedupe", "orders", "d", 2)).isEqualTo("[dedupe orders/d#2] ");
    }

    @Test
    void aChattyScriptIsCutToTheRateAndTheDroppedLinesAreCounted() {
        int over = 500;
        for (int i = 0; i < GuestConsole.BURST + over; i++) print(console.out(), "line " + i + "\n");
        assertThat(lines)
                .hasSize(GuestConsole.BURST)
                .last()
                .isEqualTo("[dedupe orders/d] line " + (GuestConsole.BURST - 1));
        console.endOfCall();
        assertThat(lines).as("no allowance left for the note yet").hasSize(GuestConsole.BURST);

        now += 1_000_000_000L; // a second later: LINES_PER_SECOND more
        console.endOfCall();
        assertThat(lines)
                .hasSize(GuestConsole.BURST + 1)
                .last()
                .isEqualTo("[dedupe orders/d] (" + over + " lines of output dropped: more than "
                        + GuestConsole.LINES_PER_SECOND + " lines/s)");
        for (int i = 0; i < GuestConsole.LINES_PER_SECOND + 5; i++) print(console.err(), "again " + i + "\n");
        assertThat(lines).hasSize(GuestConsole.BURST + GuestConsole.LINES_PER_SECOND);
        console.close();
        assertThat(lines).last().asString().contains("(6 lines of output dropped");

        now += 3_600_000_000_000L; // an hour of silence refills no more than the burst
        lines.clear();
        for (int i = 0; i < 3 * GuestConsole.BURST; i++) print(console.out(), "x\n");
        assertThat(lines).hasSize(GuestConsole.BURST);
    }
}
