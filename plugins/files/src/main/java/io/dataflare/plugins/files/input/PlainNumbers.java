package io.dataflare.plugins.files.input;

/**
 * Reads the plain forms of numbers straight from UTF-8 bytes, without making a {@code String} of them first:
 * the cells of a typed CSV column are nearly always plain ({@code 42}, {@code -7}, {@code 123.45}), and a
 * string per cell was the largest cost of decoding them. Anything else (signs other than a leading minus,
 * exponents, spaces, more digits than a double holds exactly...) gives null, and the caller converts the text
 * as before, so every result is the one {@link Long#parseLong} and {@link Double#parseDouble} give.
 */
public final class PlainNumbers {
    // A long of up to 18 digits cannot overflow.
    private static final int MAX_LONG_DIGITS = 18;
    // Up to 15 significant digits are below 2^53, so they are a double exactly; see parseDouble.
    private static final int MAX_DOUBLE_DIGITS = 15;
    // The powers of ten that are doubles exactly (10^22 is the last).
    private static final double[] POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
        1e20, 1e21, 1e22
    };

    private PlainNumbers() {}

    /** The long of {@code len} bytes at {@code off} if they are an optional minus and 1 to 18 digits, else null. */
    public static Long parseLong(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = i < end && b[i] == '-';
        if (negative) i++;
        int digits = end - i;
        if (digits < 1 || digits > MAX_LONG_DIGITS) return null;
        long v = 0;
        for (; i < end; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return null;
            v = v * 10 + d;
        }
        return negative ? -v : v;
    }

    /**
     * The double of {@code len} bytes at {@code off} if they are an optional minus, digits and an optional
     * point with digits (at least one digit, at most 15 significant ones and 22 after the point), else null.
     *
     * <p>Such a number is an integer of at most 15 digits divided by a power of ten up to 10^22; both are
     * doubles exactly, and IEEE division rounds their quotient correctly, so the result is the double
     * nearest the decimal, as {@link Double#parseDouble} gives (Clinger's fast path).
     */
    public static Double parseDouble(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        boolean negative = i < end && b[i] == '-';
        if (negative) i++;
        long mantissa = 0;
        int digits = 0;
        int significantDigits = 0;
        int fractionDigits = -1; // -1 until the point
        for (; i < end; i++) {
            byte c = b[i];
            if (c == '.' && fractionDigits < 0) {
                fractionDigits = 0;
                continue;
            }
            int d = c - '0';
            if (d < 0 || d > 9) return null;
            digits++;
            if (mantissa != 0 || d != 0) {
                if (++significantDigits > MAX_DOUBLE_DIGITS) return null;
                mantissa = mantissa * 10 + d;
            }
            if (fractionDigits >= 0 && ++fractionDigits >= POWERS_OF_TEN.length) return null;
        }
        if (digits == 0) return null;
        double v = fractionDigits > 0 ? mantissa / POWERS_OF_TEN[fractionDigits] : (double) mantissa;
        return negative ? -v : v;
    }
}
