package io.dataflare.engine.config;

import java.util.Collection;
import org.apache.commons.text.similarity.LevenshteinDistance;

/** "Did you mean" for error messages: the nearest known word by edit distance. */
public final class Suggestions {
    private static final int MAX_DISTANCE = 2;
    /** Gives up (-1) past two edits: no full table for words far apart. */
    private static final LevenshteinDistance WITHIN_REACH = new LevenshteinDistance(MAX_DISTANCE);

    private Suggestions() {}

    /** The candidate nearest to {@code word} within two edits, or null. */
    public static String nearest(String word, Collection<String> candidates) {
        String best = null;
        int bestDistance = MAX_DISTANCE + 1;
        for (String c : candidates) {
            int d = WITHIN_REACH.apply(word, c);
            if (d >= 0 && d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        return best;
    }

    /** {@code " (did you mean 'x'?)"}, or empty when nothing is near. */
    public static String didYouMean(String word, Collection<String> candidates) {
        String n = nearest(word, candidates);
        return n == null ? "" : " (did you mean '" + n + "'?)";
    }
}
