package io.dataflare.plugins.files.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RepeatedTextTest {
    private static String decode(RepeatedText column, String text) {
        // the cell sits inside a larger buffer, as in a scanner's window
        byte[] cell = text.getBytes(StandardCharsets.UTF_8);
        byte[] window = new byte[cell.length + 6];
        System.arraycopy(cell, 0, window, 3, cell.length);
        return column.decode(window, 3, cell.length);
    }

    @Test
    void aValueTheColumnRepeatsIsOneSharedString() {
        RepeatedText column = new RepeatedText();
        String first = decode(column, "active");
        assertThat(first).isEqualTo("active");
        assertThat(decode(column, "active")).isSameAs(first);
        assertThat(decode(column, "paused")).isEqualTo("paused");
        assertThat(decode(column, "active")).isSameAs(first);
    }

    @Test
    void everyValueDecodesToItsOwnTextWhateverSharesItsSlot() {
        RepeatedText column = new RepeatedText();
        Random random = new Random(7);
        for (int i = 0; i < 50_000; i++) {
            String v = "k" + random.nextInt(2_000); // more values than slots: collisions replace each other
            assertThat(decode(column, v)).isEqualTo(v);
        }
    }

    @Test
    void invalidBytesStayInvalidAndNonAsciiTextIsRight() {
        RepeatedText column = new RepeatedText();
        assertThat(decode(column, "café")).isEqualTo("café");
        assertThat(decode(column, "café")).isEqualTo("café");
        // a lone Latin-1 byte is not UTF-8, whatever the column decoded before
        decode(column, "caf");
        byte[] latin1 = "café".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(column.decode(latin1, 0, latin1.length)).isNull();
        assertThat(column.decode(latin1, 0, latin1.length)).isNull();
        assertThat(column.decode(new byte[0], 0, 0)).isEmpty();
    }

    @Test
    void aColumnOfUniqueValuesStopsKeepingThem() {
        RepeatedText column = new RepeatedText();
        for (int i = 0; i < 10_000; i++) assertThat(decode(column, "id-" + i)).isEqualTo("id-" + i);
        // the sample saw no repeats: the column now decodes every cell afresh
        String a = decode(column, "same");
        assertThat(decode(column, "same")).isEqualTo("same").isNotSameAs(a);
    }

    @Test
    void longCellsAreDecodedAfresh() {
        RepeatedText column = new RepeatedText();
        String text = "a description longer than any status or code";
        String a = decode(column, text);
        assertThat(decode(column, text)).isEqualTo(text).isNotSameAs(a);
    }
}
