package io.dataflare.plugins.files.jsonl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ShortDecimalsTest {
    @Test
    void writesShortDecimalsAsJavaAndJacksonDo() {
        assertThat(text(450.31)).isEqualTo("450.31");
        assertThat(text(-450.31)).isEqualTo("-450.31");
        assertThat(text(100.0)).isEqualTo("100.0");
        assertThat(text(0.001)).isEqualTo("0.001");
        assertThat(text(9999999.5)).isEqualTo("9999999.5");
        assertThat(text(0.3)).isEqualTo("0.3");
        assertThat(text(123456.789012345)).isEqualTo("123456.789012345");
    }

    @Test
    void leavesEverythingElseToTheGeneralFormatting() {
        assertThat(text(1e7)).isNull(); // 1.0E7: scientific notation
        assertThat(text(9.99e-4)).isNull();
        assertThat(text(0.1 + 0.2)).isNull(); // 0.30000000000000004: 17 digits
        assertThat(text(1.0 / 3)).isNull();
        assertThat(text(0.0)).isNull();
        assertThat(text(-0.0)).isNull();
        assertThat(text(Double.NaN)).isNull();
    }

    @Test
    void randomDecimalsOfUpTo15DigitsAreWrittenAndMatchJackson() {
        Random rnd = new Random(7);
        int written = 0;
        for (int i = 0; i < 200_000; i++) {
            long digits = rnd.nextLong() % (long) Math.pow(10, 1 + rnd.nextInt(15));
            double d = digits / Math.pow(10, rnd.nextInt(16));
            String t = text(d);
            if (t != null) {
                written++;
                assertThat(t)
                        .as("%s", d)
                        .isEqualTo(NumberOutput.toString(d, true))
                        .isEqualTo(Double.toString(d));
            }
        }
        // most of them are in the plain-notation range, and every one of those is a short decimal
        assertThat(written).isGreaterThan(100_000);
    }

    @Test
    void randomBitPatternsAreEitherLeftAloneOrWrittenAsJacksonDoes() {
        Random rnd = new Random(8);
        for (int i = 0; i < 200_000; i++) {
            double d = rnd.nextBoolean() ? Double.longBitsToDouble(rnd.nextLong()) : rnd.nextDouble() * 1e7;
            String t = text(d);
            if (t != null) assertThat(t).as("%s", d).isEqualTo(NumberOutput.toString(d, true));
        }
    }

    private static String text(double d) {
        byte[] buf = new byte[32];
        int end = ShortDecimals.write(d, buf, 0);
        return end < 0 ? null : new String(buf, 0, end, StandardCharsets.US_ASCII);
    }
}
