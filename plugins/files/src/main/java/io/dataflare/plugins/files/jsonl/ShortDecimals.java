package io.dataflare.plugins.files.jsonl;

/**
 * Writes a double that is the nearest double to a decimal of at most 15 significant digits, and lies in
 * {@code [0.001, 10^7)} (Java's plain notation range), as its shortest decimal text ({@code 450.31},
 * {@code 100.0}), without the general shortest-digits search. Any decimal of 15 or fewer digits rounds to a
 * double no other such decimal rounds to, so its digits are exactly the shortest that identify the double:
 * the text {@link Double#toString(double)} (and Jackson) gives. Everything else is left to the caller.
 */
final class ShortDecimals {
    /** Exact powers of ten as doubles, 10^0 .. 10^15. */
    private static final double[] POW10 = new double[16];

    private static final long MAX_DIGITS_VALUE = 1_000_000_000_000_000L; // 10^15: at most 15 digits

    static {
        double p = 1;
        for (int i = 0; i < POW10.length; i++, p *= 10) POW10[i] = p;
    }

    private ShortDecimals() {}

    /**
     * Writes {@code d} at {@code pos} (room for 24 bytes needed) if it is such a short decimal.
     *
     * @return the position after the text, or -1 when {@code d} is not one (nothing is written then)
     */
    static int write(double d, byte[] buf, int pos) {
        double a = Math.abs(d);
        if (!(a >= 1e-3 && a < 1e7)) return -1;
        for (int k = 0; k < POW10.length; k++) {
            long m = Math.round(a * POW10[k]);
            if (m >= MAX_DIGITS_VALUE) return -1;
            // both operands are exact, so the division rounds once: m / 10^k names d exactly when it gives d
            if (m / POW10[k] == a) return digits(d < 0, m, k, buf, pos);
        }
        return -1;
    }

    /** {@code m / 10^k} in plain notation with at least one fraction digit; k is the smallest that fits. */
    private static int digits(boolean negative, long m, int k, byte[] buf, int pos) {
        if (negative) buf[pos++] = '-';
        long scale = (long) POW10[k];
        long whole = m / scale;
        long fraction = m - whole * scale;
        pos = ascii(whole, buf, pos);
        buf[pos++] = '.';
        if (k == 0) {
            buf[pos++] = '0';
            return pos;
        }
        for (int i = k - 1; i >= 0; i--) {
            buf[pos + i] = (byte) ('0' + fraction % 10);
            fraction /= 10;
        }
        return pos + k;
    }

    private static int ascii(long v, byte[] buf, int pos) {
        int n = 1;
        for (long t = v; t >= 10; t /= 10) n++;
        for (int i = n - 1; i >= 0; i--) {
            buf[pos + i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return pos + n;
    }
}
