package io.dataflare.plugins.files.input;

/**
 * The strings one column of a file has already produced, so that a value the column repeats (a status, a country,
 * a category) is decoded once and shared instead of allocated per row, as a columnar format's dictionary does.
 * Strings are immutable, so sharing one is invisible to plugins; reading a file allocates less, which is most of
 * what decoding a short cell costs.
 *
 * <p>A small direct-mapped table of short ASCII values: a hit compares the cell's bytes with the cached string's
 * chars, so only ASCII strings are kept (then equal chars mean equal bytes, and no invalid UTF-8 can match). A
 * column whose values hardly repeat (names, free text) turns the table off after a sample of rows, so it costs
 * only the sample.
 */
public final class RepeatedText {
    private static final int SLOTS = 512;
    private static final int MAX_LENGTH = 24;
    private static final int SAMPLE = 4096;

    private final String[] slots = new String[SLOTS];
    private int lookups;
    private int hits;
    private boolean off;

    /** The text of {@code len} bytes at {@code off}, or null when they are not valid UTF-8. */
    public String decode(byte[] b, int off, int len) {
        if (this.off || len > MAX_LENGTH || len == 0) return Utf8.decode(b, off, len);
        int h = 0;
        for (int i = off; i < off + len; i++) h = 31 * h + b[i];
        int slot = (h ^ (h >>> 9)) & (SLOTS - 1);
        String s = slots[slot];
        if (++lookups == SAMPLE) {
            this.off = hits < SAMPLE / 4;
            lookups = 0;
            hits = 0;
        }
        if (s != null && sameAscii(s, b, off, len)) {
            hits++;
            return s;
        }
        s = Utf8.decode(b, off, len);
        if (s != null && s.length() == len) slots[slot] = s; // as many chars as bytes: ASCII
        return s;
    }

    private static boolean sameAscii(String s, byte[] b, int off, int len) {
        if (s.length() != len) return false;
        for (int i = 0; i < len; i++) {
            if (s.charAt(i) != b[off + i]) return false; // a byte past 0x7F is negative: never an ASCII char
        }
        return true;
    }
}
