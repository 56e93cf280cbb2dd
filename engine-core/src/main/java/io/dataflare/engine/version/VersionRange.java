package io.dataflare.engine.version;

import com.github.zafarkhaja.semver.ParseException;
import com.github.zafarkhaja.semver.Version;
import com.github.zafarkhaja.semver.expr.Expression;
import com.github.zafarkhaja.semver.expr.ExpressionParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An npm-style version range ({@code ^1.2}, {@code ~1.2.3}, {@code 1.x}, {@code >=1.0 <2},
 * {@code 1.2 - 1.4}, {@code 1.0 || 2.x}, an exact version, or empty / {@code *} / {@code latest} for any),
 * evaluated by jSemVer (which PF4J uses). jSemVer joins comparators with {@code &} instead of npm's
 * space, so the range is rewritten before it is parsed; everything else is jSemVer's own semantics.
 */
public final class VersionRange {
    private static final VersionRange ANY = new VersionRange("*", null);

    private final String text;
    private final Expression expression;

    private VersionRange(String text, Expression expression) {
        this.text = text;
        this.expression = expression;
    }

    /** Any version. */
    public static VersionRange any() {
        return ANY;
    }

    /**
     * Parses a range.
     *
     * @throws IllegalArgumentException with a message naming the range when it does not parse
     */
    public static VersionRange parse(String range) {
        String r = range == null ? "" : range.trim();
        if (r.isEmpty() || r.equals("*") || r.equalsIgnoreCase("latest") || r.equalsIgnoreCase("x")) return ANY;
        try {
            return new VersionRange(r, ExpressionParser.newInstance().parse(toJsemver(r)));
        } catch (ParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "'" + range + "' is not a version range (examples: 1.2.0, ^1.2, ~1.2.3, 1.x, >=1.0 <2)");
        }
    }

    /** Rewrites npm comparator sets ({@code >=1 <2}) to jSemVer's ({@code >=1 & <2}). */
    static String toJsemver(String npm) {
        List<String> alternatives = new ArrayList<>();
        for (String alt : npm.split("\\|\\|")) {
            String a = alt.trim().replaceAll("(>=|<=|>|<|=|\\^|~)\\s+", "$1");
            if (a.matches(".*\\S\\s+-\\s+\\S.*")) {
                alternatives.add(a); // hyphen range, jSemVer reads it as is
                continue;
            }
            alternatives.add(String.join(" & ", a.split("\\s+")));
        }
        return String.join(" | ", alternatives);
    }

    /** Whether {@code version} (semver text) is in the range; a version that does not parse is not. */
    public boolean includes(String version) {
        Optional<Version> v = Version.tryParse(version == null ? "" : version.trim());
        if (v.isEmpty()) return false;
        return expression == null || expression.interpret(v.get());
    }

    /** Whether this is the range that accepts any version. */
    public boolean isAny() {
        return expression == null;
    }

    @Override
    public String toString() {
        return text;
    }
}
