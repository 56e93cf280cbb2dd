package io.dataflare.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** The benchmark input: {@code rows} deterministic CSV rows of about 100 bytes (same seed, same file). */
public final class InputData {
    public static final String HEADER = "id,key,amount,quantity,name,text";
    private static final String[] NAMES = {
        "Ada Lovelace",
        "Alan Turing",
        "Grace Hopper",
        "Edsger Dijkstra",
        "Barbara Liskov",
        "Donald Knuth",
        "Frances Allen",
        "Ken Thompson"
    };
    private static final String[] WORDS = {
        "amber", "basalt", "cobalt", "delta", "ember", "fjord", "granite", "harbor", "indigo", "juniper", "kelp",
        "lagoon", "meadow", "nimbus", "onyx", "prairie"
    };

    private InputData() {}

    /** Row {@code id} (without its line break) into {@code sb}, drawing its values from {@code random}. */
    public static StringBuilder row(StringBuilder sb, long id, SplittableRandom random) {
        sb.append(id)
                .append(",k")
                .append(id % 100)
                .append(',')
                .append(random.nextInt(100_000) / 100.0)
                .append(',')
                .append(1 + random.nextInt(10))
                .append(',')
                .append(NAMES[random.nextInt(NAMES.length)])
                .append(',');
        for (int i = 0; i < 6; i++) {
            if (i > 0) sb.append(' ');
            sb.append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb;
    }

    static Path write(Path dir, long rows) throws IOException {
        Path file = dir.resolve("input-" + rows + ".csv");
        if (Files.exists(file)) return file;
        SplittableRandom random = new SplittableRandom(42);
        Path tmp = dir.resolve(file.getFileName() + ".tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            w.write(HEADER);
            w.newLine();
            StringBuilder sb = new StringBuilder(128);
            for (long id = 0; id < rows; id++) {
                sb.setLength(0);
                w.append(row(sb, id, random)).append('\n');
            }
        }
        Files.move(tmp, file);
        return file;
    }
}
