package io.dataflare.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {
    private static final List<String> KEYS = List.of("sources", "processors", "sinks", "runtime");

    @Test
    void theNearestWordWithinTwoEditsIsSuggested() {
        assertThat(Suggestions.nearest("sink", KEYS)).isEqualTo("sinks");
        assertThat(Suggestions.nearest("runtmie", KEYS)).isEqualTo("runtime");
        assertThat(Suggestions.nearest("procesors", KEYS)).isEqualTo("processors");
        assertThat(Suggestions.didYouMean("sorces", KEYS)).isEqualTo(" (did you mean 'sources'?)");
    }

    @Test
    void aWordThreeEditsAwayOrMoreGetsNoSuggestion() {
        assertThat(Suggestions.nearest("snk", List.of("sinks"))).isEqualTo("sinks");
        assertThat(Suggestions.nearest("sn", List.of("sinks"))).isNull();
        assertThat(Suggestions.nearest("checkpoints", KEYS)).isNull();
        assertThat(Suggestions.didYouMean("checkpoints", KEYS)).isEmpty();
    }

    @Test
    void theCloserOfTwoCandidatesWinsAndTheFirstOfEquals() {
        assertThat(Suggestions.nearest("map", List.of("mask", "map2"))).isEqualTo("map2");
        assertThat(Suggestions.nearest("mab", List.of("mac", "maz"))).isEqualTo("mac");
    }
}
