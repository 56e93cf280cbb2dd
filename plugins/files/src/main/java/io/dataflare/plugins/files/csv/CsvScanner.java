package io.dataflare.plugins.files.csv;

import io.dataflare.plugins.files.input.ByteInput;
import io.dataflare.plugins.files.input.PlainNumbers;
import io.dataflare.plugins.files.input.RepeatedText;
import io.dataflare.plugins.files.input.Utf8;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Splits CSV bytes into rows of fields (RFC 4180: quoted fields may hold delimiters, doubled quotes and
 * line breaks; rows end with LF, CRLF or CR). It works on the raw bytes of a {@link ByteInput} and
 * only records where each field starts and ends; a field becomes a {@code String} when asked for, so a
 * row costs one pass over its bytes plus one string per field.
 *
 * <p>Unlike a general-purpose parser it recovers from broken input, one row at a time: text after a
 * closing quote makes that line a {@link Result#BROKEN} row; a quote that never closes, or that closes
 * lines later only to be followed by text (a row longer than the window too) makes only its first line
 * broken, and scanning resumes on the next line.
 */
final class CsvScanner {
    /** What {@link #next} found. */
    enum Result {
        ROW,
        BROKEN,
        END,
        PENDING
    }

    private static final byte QUOTE = '"';
    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final int MAX_RAW = 64 * 1024;
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long LFS = LF * ONES;
    private static final long CRS = CR * ONES;

    // Outcomes of one scan attempt besides a row.
    private static final int OK = 0;
    private static final int NEED_MORE = 1;
    private static final int SKIPPED = 2;
    private static final int BROKEN = 3;
    private static final int DONE = 4;

    private final ByteInput in;
    private final byte delimiter;
    private final boolean skipEmptyLines;

    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private boolean[] escaped = new boolean[16];
    private int count;
    private int rowStart;
    private int rowEnd;
    private long rowLine;
    private long lines;
    private String problem;
    private boolean discardingLine;
    private byte[] unescaped = new byte[256];
    private RepeatedText[] repeated = new RepeatedText[16];

    CsvScanner(ByteInput in, char delimiter, boolean skipEmptyLines) {
        this.in = in;
        this.delimiter = (byte) delimiter;
        this.skipEmptyLines = skipEmptyLines;
    }

    /** Scans the next row; its fields, raw text and line are then available until the next call. */
    Result next(boolean mayBlock) throws IOException {
        while (true) {
            int r = discardingLine ? discardLine() : scan();
            switch (r) {
                case OK:
                    return Result.ROW;
                case BROKEN:
                    return Result.BROKEN;
                case DONE:
                    return Result.END;
                case SKIPPED:
                    continue;
                default:
                    if (in.full()) return tooLong();
                    if (in.more(mayBlock) == ByteInput.WOULD_BLOCK) return Result.PENDING;
            }
        }
    }

    /** The number of fields of the row. */
    int fieldCount() {
        return count;
    }

    /** Field {@code i} of the row as text, or null when its bytes are not valid UTF-8. */
    String field(int i) {
        byte[] b = in.buffer();
        int s = starts[i];
        int len = ends[i] - s;
        if (!escaped[i]) return repeated(i).decode(b, s, len);
        // Collapse the doubled quotes of a quoted field.
        if (unescaped.length < len) unescaped = new byte[Math.max(len, unescaped.length * 2)];
        int n = 0;
        for (int k = s; k < s + len; k++) {
            byte c = b[k];
            unescaped[n++] = c;
            if (c == QUOTE) k++;
        }
        return Utf8.decode(unescaped, 0, n);
    }

    private RepeatedText repeated(int i) {
        if (i >= repeated.length) repeated = Arrays.copyOf(repeated, Math.max(i + 1, repeated.length * 2));
        RepeatedText r = repeated[i];
        if (r == null) repeated[i] = r = new RepeatedText();
        return r;
    }

    /**
     * Field {@code i} as a {@code Long} ({@code whole}) or {@code Double} when its bytes are a plain number (see
     * {@link PlainNumbers}), else null: then {@link #field} gives the text to convert.
     */
    Object plainNumber(int i, boolean whole) {
        if (escaped[i]) return null;
        int s = starts[i];
        int len = ends[i] - s;
        // not one conditional expression: Long and Double there would be unboxed to a double
        if (whole) return PlainNumbers.parseLong(in.buffer(), s, len);
        return PlainNumbers.parseDouble(in.buffer(), s, len);
    }

    /** The row as it stood in the input (without its line break), malformed bytes replaced. */
    String raw() {
        int len = rowEnd - rowStart;
        String s = Utf8.decodeLenient(in.buffer(), rowStart, Math.min(len, MAX_RAW));
        return len > MAX_RAW ? s + "..." : s;
    }

    /** What is wrong with a {@link Result#BROKEN} row. */
    String problem() {
        return problem;
    }

    /** The line the row started on (1-based). */
    long rowLine() {
        return rowLine;
    }

    /** The lines consumed so far. */
    long linesConsumed() {
        return lines;
    }

    private int scan() {
        byte[] b = in.buffer();
        int lim = in.limit();
        boolean eof = in.eof();
        int p = in.start();
        if (p >= lim) return eof ? DONE : NEED_MORE;
        int rs = p;
        int newlines = 0;
        count = 0;
        if (b[p] == LF || b[p] == CR) {
            int after = afterBreak(b, p, lim, eof);
            if (after < 0) return NEED_MORE;
            if (skipEmptyLines) {
                in.consume(after);
                lines++;
                return SKIPPED;
            }
            addField(p, p, false);
            return endRow(rs, p, after, 0);
        }
        while (true) {
            if (p < lim && b[p] == QUOTE) {
                int s = p + 1;
                int q = s;
                boolean esc = false;
                while (true) {
                    while (q < lim && b[q] != QUOTE) {
                        if (b[q] == LF) newlines++;
                        q++;
                    }
                    if (q >= lim) return eof ? unterminated(rs) : NEED_MORE;
                    if (q + 1 < lim) {
                        if (b[q + 1] != QUOTE) break;
                        esc = true;
                        q += 2;
                    } else if (eof) {
                        break;
                    } else {
                        return NEED_MORE;
                    }
                }
                addField(s, q, esc);
                p = q + 1;
                if (p < lim && b[p] != delimiter && b[p] != LF && b[p] != CR) {
                    return brokenLine(rs, p, newlines, "unexpected text after the closing quote of field " + count);
                }
            } else {
                int s = p;
                p = unquotedEnd(b, p, lim);
                if (p >= lim && !eof) return NEED_MORE;
                addField(s, p, false);
            }
            if (p >= lim) return endRow(rs, lim, lim, newlines);
            if (b[p] == delimiter) {
                p++;
                continue;
            }
            int after = afterBreak(b, p, lim, eof);
            if (after < 0) return NEED_MORE;
            return endRow(rs, p, after, newlines);
        }
    }

    /**
     * The first position from {@code p} (before {@code lim}) holding the delimiter, LF or CR, else {@code lim}.
     * Unquoted fields are most of a CSV's bytes, so they are searched eight bytes at a time.
     */
    private int unquotedEnd(byte[] b, int p, int lim) {
        long delimiters = (delimiter & 0xFFL) * ONES;
        while (p + Long.BYTES <= lim) {
            long w = (long) LONGS.get(b, p);
            long found = zeroBytes(w ^ delimiters) | zeroBytes(w ^ LFS) | zeroBytes(w ^ CRS);
            if (found != 0) return p + (Long.numberOfTrailingZeros(found) >>> 3);
            p += Long.BYTES;
        }
        byte d = delimiter;
        while (p < lim) {
            byte c = b[p];
            if (c == d || c == LF || c == CR) break;
            p++;
        }
        return p;
    }

    /**
     * The high bit of each zero byte of {@code x} set. Bytes above a zero byte may be flagged too (the
     * subtraction borrows), never bytes below one, so the lowest flag, with the lowest address in a
     * little-endian word, is always a true zero byte.
     */
    private static long zeroBytes(long x) {
        return (x - ONES) & ~x & HIGHS;
    }

    /** Where the line break at {@code p} ends, or -1 if a CR is last in the window and may be followed by LF. */
    private static int afterBreak(byte[] b, int p, int lim, boolean eof) {
        if (b[p] == LF) return p + 1;
        if (p + 1 < lim) return b[p + 1] == LF ? p + 2 : p + 1;
        return eof ? p + 1 : -1;
    }

    private int endRow(int start, int end, int after, int newlines) {
        rowStart = start;
        rowEnd = end;
        rowLine = lines + 1;
        lines += 1 + newlines;
        in.consume(after);
        return OK;
    }

    /**
     * A row broken at {@code p}: it is rejected up to the end of the line holding {@code p}. When a quoted
     * field had run over line breaks to get there, the quote most likely never meant to close: only the
     * row's first line is rejected and the next lines are scanned afresh, so the rows they hold survive.
     */
    private int brokenLine(int start, int p, int newlines, String why) {
        if (newlines > 0)
            return firstLineBroken(start, "a quoted field opened on this line does not close before the line ends");
        byte[] b = in.buffer();
        int lim = in.limit();
        int lf = p;
        while (lf < lim && b[lf] != LF) lf++;
        if (lf >= lim && !in.eof()) return NEED_MORE;
        int end = lf > start && lf <= lim && b[lf - 1] == CR ? lf - 1 : lf;
        problem = why;
        endRow(start, end, Math.min(lf + 1, lim), newlines);
        return BROKEN;
    }

    /** A quote that never closes: only the row's first line is rejected, the next line is scanned afresh. */
    private int unterminated(int start) {
        return firstLineBroken(start, "unterminated quoted field");
    }

    private Result tooLong() {
        firstLineBroken(in.start(), "row longer than " + in.maxWindow() + " bytes (an unterminated quote?)");
        return Result.BROKEN;
    }

    private int firstLineBroken(int start, String why) {
        byte[] b = in.buffer();
        int lim = in.limit();
        int lf = start;
        while (lf < lim && b[lf] != LF) lf++;
        problem = why;
        if (lf >= lim && !in.eof()) {
            // Not even one line fits in the window: reject what is there and drop the rest of that line.
            rowStart = start;
            rowEnd = lim;
            rowLine = lines + 1;
            in.consume(lim);
            discardingLine = true;
            return BROKEN;
        }
        int end = lf > start && b[lf - 1] == CR ? lf - 1 : lf;
        endRow(start, end, Math.min(lf + 1, lim), 0);
        return BROKEN;
    }

    private int discardLine() {
        byte[] b = in.buffer();
        int lim = in.limit();
        int p = in.start();
        while (p < lim && b[p] != LF) p++;
        if (p < lim || in.eof()) {
            in.consume(Math.min(p + 1, lim));
            lines++;
            discardingLine = false;
            return SKIPPED;
        }
        in.consume(lim);
        return NEED_MORE;
    }

    private void addField(int start, int end, boolean esc) {
        if (count == starts.length) {
            int n = count * 2;
            starts = Arrays.copyOf(starts, n);
            ends = Arrays.copyOf(ends, n);
            escaped = Arrays.copyOf(escaped, n);
        }
        starts[count] = start;
        ends[count] = end;
        escaped[count] = esc;
        count++;
    }
}
