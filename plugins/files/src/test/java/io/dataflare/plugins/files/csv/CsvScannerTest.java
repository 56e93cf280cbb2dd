package io.dataflare.plugins.files.csv;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.plugins.files.input.ByteInput;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvScannerTest {
    /** Each row as "line:field|field" or "line:BROKEN:problem". */
    private static List<String> scan(InputStream in, int window) throws IOException {
        CsvScanner s = new CsvScanner(new ByteInput(in, window), ',', true);
        List<String> rows = new ArrayList<>();
        CsvScanner.Result r;
        while ((r = s.next(true)) != CsvScanner.Result.END) {
            if (r == CsvScanner.Result.BROKEN) {
                rows.add(s.rowLine() + ":BROKEN:" + s.problem());
                continue;
            }
            List<String> f = new ArrayList<>();
            for (int i = 0; i < s.fieldCount(); i++) f.add(s.field(i));
            rows.add(s.rowLine() + ":" + String.join("|", f));
        }
        return rows;
    }

    private static List<String> scan(String text, int window) throws IOException {
        return scan(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), window);
    }

    /** Delivers one byte per read, so that every row straddles refills. */
    private static InputStream trickle(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }

    @Test
    void handlesEveryLineEndingAndAFinalRowWithoutOne() throws IOException {
        assertThat(scan("a,b\rc,d\r\ne,\"f\"", 1 << 20)).containsExactly("1:a|b", "2:c|d", "3:e|f");
    }

    @Test
    void trailingDelimiterMeansATrailingEmptyField() throws IOException {
        assertThat(scan("a,\n,\n", 1 << 20)).containsExactly("1:a|", "2:|");
    }

    @Test
    void givesTheSameRowsWhenBytesArriveOneAtATime() throws IOException {
        String text = "id,note\r\n1,\"multi\r\nline \"\"q\"\"\"\r\n2,\"\"\r\n";
        assertThat(scan(trickle(text), 1 << 20))
                .isEqualTo(scan(text, 1 << 20))
                .containsExactly("1:id|note", "2:1|multi\r\nline \"q\"", "4:2|");
    }

    @Test
    void aRowLongerThanTheWindowIsBrokenAndScanningResumesOnTheNextLine() throws IOException {
        String longLine = "x".repeat(200);
        assertThat(scan("a,b\n" + longLine + "\nc,d\n", 64))
                .containsExactly("1:a|b", "2:BROKEN:row longer than 64 bytes (an unterminated quote?)", "3:c|d");
        // A quote that stays open past the window: only its first line is lost.
        List<String> rows = scan("a,\"open\n" + "b,c\n".repeat(30), 64);
        assertThat(rows)
                .hasSize(31)
                .startsWith("1:BROKEN:row longer than 64 bytes (an unterminated quote?)", "2:b|c")
                .endsWith("31:b|c");
    }

    @Test
    void findsEveryDelimiterAndLineBreakWhereverItFallsInAWord() throws IOException {
        // unquoted fields are searched eight bytes at a time: fields of every length, multi-byte characters and
        // each line ending, compared with splitting the text by hand
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        String[] pieces = {"a", "b", "7", " ", "\u00e9", "\u20ac", ";", "\t", "xyz"};
        String[] breaks = {"\n", "\r\n", "\r"};
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int row = 1; row <= 400; row++) {
            List<String> fields = new ArrayList<>();
            int n = 2 + random.nextInt(5);
            for (int k = 0; k < n; k++) {
                StringBuilder f = new StringBuilder();
                int len = random.nextInt(20);
                for (int c = 0; c < len; c++) f.append(pieces[random.nextInt(pieces.length)]);
                fields.add(f.toString());
            }
            text.append(String.join(",", fields)).append(breaks[random.nextInt(breaks.length)]);
            expected.add(row + ":" + String.join("|", fields));
        }
        assertThat(scan(text.toString(), 1 << 20)).containsExactlyElementsOf(expected);
        assertThat(scan(trickle(text.toString()), 1 << 20)).containsExactlyElementsOf(expected);
    }
}
