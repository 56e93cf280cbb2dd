package io.dataflare.plugins.files.input;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte parsers must give exactly what the JDK's text parsers give, or decline. */
class PlainNumbersTest {
    private static Long asLong(String s) {
        byte[] b = ("xx" + s + "yy").getBytes(StandardCharsets.UTF_8);
        return PlainNumbers.parseLong(b, 2, b.length - 4);
    }

    private static Double asDouble(String s) {
        byte[] b = ("xx" + s + "yy").getBytes(StandardCharsets.UTF_8);
        return PlainNumbers.parseDouble(b, 2, b.length - 4);
    }

    /** Null, or the JDK's value (doubles by their bits, so -0.0 is not 0.0); and null when the JDK refuses. */
    private static void agreesWithTheJdk(String s) {
        Long l = asLong(s);
        if (l != null) assertThat(l).as(s).isEqualTo(Long.parseLong(s));
        Double d = asDouble(s);
        if (d != null)
            assertThat(Double.doubleToRawLongBits(d))
                    .as(s)
                    .isEqualTo(Double.doubleToRawLongBits(Double.parseDouble(s)));
    }

    @Test
    void readsThePlainForms() {
        assertThat(asLong("0")).isZero();
        assertThat(asLong("-42")).isEqualTo(-42L);
        assertThat(asLong("007")).isEqualTo(7L);
        assertThat(asLong("999999999999999999")).isEqualTo(999_999_999_999_999_999L);
        assertThat(asDouble("123.45")).isEqualTo(123.45);
        assertThat(asDouble("-0.1")).isEqualTo(-0.1);
        assertThat(asDouble("5")).isEqualTo(5.0);
        assertThat(asDouble("1.")).isEqualTo(1.0);
        assertThat(asDouble(".5")).isEqualTo(0.5);
        assertThat(Double.doubleToRawLongBits(asDouble("-0"))).isEqualTo(Double.doubleToRawLongBits(-0.0));
        assertThat(asDouble("999999999999999")).isEqualTo(999_999_999_999_999.0);
        assertThat(asDouble("0.000000000000001")).isEqualTo(1e-15);
    }

    @Test
    void declinesEverythingElseSoTheTextParsersDecide() {
        for (String s : new String[] {
            "",
            "-",
            ".",
            "-.",
            "+1",
            " 1",
            "1 ",
            "1e5",
            "1E5",
            "0x10",
            "1.2.3",
            "1,5",
            "NaN",
            "Infinity",
            "1d",
            "1f",
            "\u0661\u0662" /* Arabic-Indic digits, which Long.parseLong reads */,
            "1-",
            "--1",
            "0.1234567890123456"
        }) {
            assertThat(asLong(s)).as("long %s", s).isNull();
            assertThat(asDouble(s)).as("double %s", s).isNull();
        }
        // past 18 digits a long could overflow, past 15 a double could round: the JDK decides those
        assertThat(asLong("9223372036854775807")).isNull();
        assertThat(asLong("1234567890123456")).isEqualTo(1_234_567_890_123_456L);
        assertThat(asDouble("1234567890123456")).isNull();
        assertThat(asDouble("1.5")).isNotNull();
        assertThat(asLong("1.5")).isNull();
    }

    @Test
    void randomNumbersParseAsTheJdkParsesThem() {
        SplittableRandom random = new SplittableRandom(7);
        String alphabet = "0123456789.-";
        for (int n = 0; n < 200_000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + random.nextInt(18);
            if (random.nextInt(4) == 0) sb.append('-');
            for (int k = 0; k < len; k++) {
                // mostly digits, sometimes a point or a stray minus, to reach the declining branches too
                int c = random.nextInt(30);
                sb.append(
                        c < 10
                                ? alphabet.charAt(c)
                                : c < 28 ? alphabet.charAt(random.nextInt(10)) : alphabet.charAt(c - 18));
            }
            String s = sb.toString();
            boolean jdkLong = parses(() -> Long.parseLong(s));
            boolean jdkDouble = parses(() -> Double.parseDouble(s));
            if (!jdkLong) assertThat(asLong(s)).as(s).isNull();
            if (!jdkDouble) assertThat(asDouble(s)).as(s).isNull();
            agreesWithTheJdk(s);
        }
    }

    @Test
    void decimalsWithTwoPlacesAllComeBackExact() {
        // the benchmark's amounts and most money columns: every cent value up to 10^7 must round-trip
        for (long cents = -100_000; cents <= 10_000_000; cents += 17) {
            long c = Math.abs(cents);
            String s = (cents < 0 ? "-" : "") + c / 100 + (c % 100 < 10 ? ".0" : ".") + c % 100;
            assertThat(asDouble(s)).as(s).isEqualTo(Double.parseDouble(s));
        }
    }

    private static boolean parses(Runnable r) {
        try {
            r.run();
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
