package io.dataflare.plugins.generator;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;

/**
 * The records of the {@code generator} source, each a pure function of the seed and its id, so that the
 * same seed gives the same records whatever the batch sizes, and any id can be produced directly (which
 * is what makes {@code seek} trivial).
 */
final class SyntheticRecords {
    /** The fields, in this order. */
    static final Fields FIELDS = Fields.of("id", "key", "amount", "name", "text");

    private static final String[] WORDS = {
        "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
        "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango",
        "uniform", "victor", "whiskey", "xray", "yankee", "zulu", "amber", "basil", "cedar", "dune",
        "ember", "fern", "grove", "harbor", "iris", "jade", "kelp", "lotus", "maple", "nectar",
        "olive", "pebble", "quartz", "river", "sage", "thistle", "umber", "violet", "willow", "yarrow",
    };
    private static final String[] FIRST = {
        "Ada", "Ben", "Chloe", "Dev", "Elif", "Farah", "Gus", "Hana", "Ivan", "Jun",
        "Kofi", "Lea", "Mira", "Nils", "Omar", "Pia", "Quinn", "Rosa", "Sami", "Tove",
    };
    private static final String[] LAST = {
        "Andersen", "Bauer", "Costa", "Dubois", "Eriksen", "Fischer", "Garcia", "Haddad", "Ito", "Jensen",
        "Kowalski", "Larsen", "Moreau", "Nakamura", "Okafor", "Petrov", "Quispe", "Rossi", "Silva", "Tanaka",
    };
    /** Key strings are built once when there are few enough distinct keys. */
    private static final int MAX_CACHED_KEYS = 1 << 16;

    private final long seed;
    private final long keys;
    private final int words;
    private final String[] keyNames;

    SyntheticRecords(long seed, long keys, int words) {
        this.seed = seed;
        this.keys = keys;
        this.words = words;
        this.keyNames = keys <= MAX_CACHED_KEYS ? new String[(int) keys] : null;
    }

    /** The record with this id. */
    Record record(long id) {
        String key = key(Math.floorMod(id, keys));
        long h = mix(seed, id);
        double amount = Math.floorMod(h, 100_001L) / 100.0;
        String name = FIRST[Math.floorMod(mix(h, 1), FIRST.length)] + " " + LAST[Math.floorMod(mix(h, 2), LAST.length)];
        return Record.builder(FIELDS)
                .set(0, id)
                .set(1, key)
                .set(2, amount)
                .set(3, name)
                .set(4, text(h))
                .key(key)
                .build();
    }

    private String key(long k) {
        if (keyNames == null) return "k" + k;
        String s = keyNames[(int) k];
        if (s == null) {
            s = "k" + k;
            keyNames[(int) k] = s;
        }
        return s;
    }

    private String text(long h) {
        StringBuilder sb = new StringBuilder(words * 8);
        for (int w = 0; w < words; w++) {
            if (w > 0) sb.append(' ');
            sb.append(WORDS[Math.floorMod(mix(h, 16 + w), WORDS.length)]);
        }
        return sb.toString();
    }

    /** A well-spread 64-bit hash of two longs (SplitMix64's finaliser over their combination). */
    static long mix(long a, long b) {
        long z = a * 0x9E3779B97F4A7C15L + b + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
