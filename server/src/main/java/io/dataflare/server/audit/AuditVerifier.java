package io.dataflare.server.audit;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks the hash chain of audit log files given oldest first: every line is a JSON object whose {@code prev}
 * is the hash of the line before it (across files: the first line of a file continues the last line of the
 * file before it). A line whose successor carries another hash was changed (or lines were removed or inserted
 * right after it).
 */
public final class AuditVerifier {
    /**
     * The verdict.
     *
     * @param intact  whether the chain holds
     * @param lines   the lines checked
     * @param file    the first broken line's file, else null
     * @param line    its number (1-based), else 0
     * @param reason  what is wrong there, else null
     * @param startsAfter when the first file does not start the log: the hash its first line continues from
     */
    public record Result(boolean intact, long lines, Path file, long line, String reason, String startsAfter) {}

    private AuditVerifier() {}

    /** Verifies {@code files}, oldest first. */
    public static Result verify(List<Path> files) throws IOException {
        String prevHash = null; // null: the first line may continue a file not given
        String startsAfter = null;
        Path prevFile = null;
        long prevLineNo = 0;
        long checked = 0;
        for (Path f : files) {
            byte[] bytes = Files.readAllBytes(f);
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (!text.isEmpty() && !text.endsWith("\n")) {
                long n = text.lines().count();
                return broken(checked, f, n, "the last line is incomplete (no line break at the end)");
            }
            long no = 0;
            for (String line : (Iterable<String>) text.lines()::iterator) {
                no++;
                checked++;
                JsonNode o;
                try {
                    o = AuditLines.JSON.readTree(line);
                } catch (IOException e) {
                    o = null;
                }
                String prev = o == null ? null : AuditLines.text(o, "prev");
                if (o == null || !o.isObject() || prev == null || AuditLines.event(o) == null)
                    return broken(checked, f, no, "not an audit line (a JSON object with time, who, what, prev)");
                if (prevHash == null) {
                    if (!prev.equals(AuditChain.GENESIS)) startsAfter = prev;
                } else if (!prev.equals(prevHash)) {
                    if (no == 1)
                        return broken(
                                checked,
                                f,
                                1,
                                "does not continue " + prevFile.getFileName() + " (its prev is not the hash of line "
                                        + prevLineNo + " there)");
                    return broken(
                            checked,
                            f,
                            no - 1,
                            "changed: line " + no + " carries another hash of it (or lines were removed or inserted"
                                    + " after it)");
                }
                prevHash = AuditChain.hash(line);
            }
            prevFile = f;
            prevLineNo = no;
        }
        return new Result(true, checked, null, 0, null, startsAfter);
    }

    private static Result broken(long checked, Path file, long line, String reason) {
        return new Result(false, checked, file, line, reason, null);
    }
}
