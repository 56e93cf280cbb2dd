package io.dataflare.engine.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.dataflare.engine.host.Grants;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which grants a stage may hold under an operator's per-plugin grants: the same ones, or narrower patterns. */
class GrantPolicyTest {
    private final GrantPolicy server = GrantPolicy.perPlugin(Map.of(
            "p", Grants.of(List.of("http:*.example.com", "file:read:data/*.csv", "env:HOME", "wasi:dir:/srv/in"))));

    @Test
    void aStageMayHoldTheOperatorsGrantsOrNarrowerPatternsOfTheSameForm() {
        assertThat(List.of(
                        "log",
                        "state",
                        "http:*.example.com",
                        "http:api.example.com",
                        "file:read:data/*.csv",
                        "file:read:data/in.csv",
                        "env:HOME",
                        "wasi:dir:/srv/in"))
                .allSatisfy(c -> assertThat(server.allows("p", c)).as(c).isTrue());
    }

    @Test
    void widerPatternsOtherFormsAndOtherPluginsAreNotAllowed() {
        assertThat(List.of(
                        "http:*",
                        "http:example.org",
                        "file:read:data/**",
                        "file:read:../data/in.csv",
                        "file:write:data/in.csv",
                        "env:*",
                        "env:PATH",
                        "wasi",
                        "wasi:dir:/srv"))
                .allSatisfy(c -> assertThat(server.allows("p", c)).as(c).isFalse());
        assertThat(server.allows("other", "http:api.example.com")).isFalse();
        assertThat(server.allows("other", "log")).isTrue();
    }

    @Test
    void aPatternIsWithinAGrantOnlyWhereMatchingItAsTextIsSound() {
        GrantPolicy narrow = GrantPolicy.perPlugin(
                Map.of("p", Grants.of(List.of("http:a?.example.com", "file:read:data/*", "file:write:out/**"))));
        assertThat(narrow.allows("p", "http:ab.example.com")).isTrue();
        // '?' matches the character '*' as text, but a*.example.com names hosts a?.example.com does not
        assertThat(narrow.allows("p", "http:a*.example.com")).isFalse();
        // '*' matches the text '**', but data/** reaches sub-folders data/* does not
        assertThat(narrow.allows("p", "file:read:data/**")).isFalse();
        assertThat(narrow.allows("p", "file:read:data/*.csv")).isTrue();
        assertThat(narrow.allows("p", "file:write:out/day/*.jsonl")).isTrue();
        assertThat(narrow.allows("p", "file:write:out/../secrets")).isFalse();
    }

    @Test
    void withoutAnOperatorTheStagesOwnGrantsDecide() {
        assertThat(GrantPolicy.pipeline().bounded()).isFalse();
        assertThat(GrantPolicy.pipeline().allows("p", "http:*")).isTrue();
        assertThat(GrantPolicy.pipeline().operatorGrants("p")).isEqualTo(Grants.defaults());
    }
}
