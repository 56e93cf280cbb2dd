package io.dataflare.plugins.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderParsingTest {
    @Test
    void retryAfterInSecondsOrAsAnHttpDate() {
        Instant now = Instant.parse("2026-01-02T03:04:05Z");
        assertThat(RetryAfter.millis("3", now)).isEqualTo(3000);
        String date =
                DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plusSeconds(7).atZone(ZoneOffset.UTC));
        assertThat(RetryAfter.millis(date, now)).isEqualTo(7000);
        assertThat(RetryAfter.millis(
                        DateTimeFormatter.RFC_1123_DATE_TIME.format(
                                now.minusSeconds(5).atZone(ZoneOffset.UTC)),
                        now))
                .isZero();
        assertThat(RetryAfter.millis("soon", now)).isEqualTo(-1);
        assertThat(RetryAfter.millis(null, now)).isEqualTo(-1);
    }

    @Test
    void linkNextIsFoundAmongOtherRelationsAndResolvedAgainstTheRequest() {
        URI base = URI.create("https://api.example.com/v1/items?page=2");
        assertThat(LinkHeader.next(
                        List.of(
                                "<https://api.example.com/v1/items?page=1>; rel=\"prev\", </v1/items?page=3>; rel=\"next\""),
                        base))
                .isEqualTo("https://api.example.com/v1/items?page=3");
        assertThat(LinkHeader.next(List.of("<?page=9>; rel=\"last next\""), base))
                .isEqualTo("https://api.example.com/v1/items?page=9");
        assertThat(LinkHeader.next(List.of("<x>; rel=\"prev\""), base)).isNull();
        assertThat(LinkHeader.next(List.of(), base)).isNull();
    }
}
