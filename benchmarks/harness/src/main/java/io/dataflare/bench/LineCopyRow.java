package io.dataflare.bench;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The I/O floor: the CSV read and written back line by line (UTF-8 decoded and encoded, lines split), with no
 * parsing and no transform. Nothing that reads this file line by line and writes as much can be faster.
 */
final class LineCopyRow implements Row {
    @Override
    public String name() {
        return "line-copy";
    }

    @Override
    public long run(Path input, Path outDir) throws Exception {
        long rows = 0;
        try (BufferedReader in = Files.newBufferedReader(input, StandardCharsets.UTF_8);
                BufferedWriter out = new BufferedWriter(
                        Files.newBufferedWriter(outDir.resolve("line-copy.csv"), StandardCharsets.UTF_8), 1 << 16)) {
            String header = in.readLine();
            if (header == null) return 0;
            out.write(header);
            out.write('\n');
            for (String line; (line = in.readLine()) != null; rows++) {
                out.write(line);
                out.write('\n');
            }
        }
        return rows;
    }
}
