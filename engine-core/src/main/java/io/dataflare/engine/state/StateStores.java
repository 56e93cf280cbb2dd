package io.dataflare.engine.state;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a state store from its description: a directory path (or {@code file:DIR}), {@code memory:},
 * {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql:...}. Anything else that looks like a URL (a
 * {@code scheme:} prefix) is refused, so that a mistyped URL such as {@code postgres://host/db} is an
 * error rather than a directory named {@code postgres:}.
 */
public final class StateStores {
    /** The accepted forms, for messages and help texts. */
    public static final String FORMS =
            "a directory (DIR or file:DIR), jdbc:sqlite:FILE, jdbc:postgresql://HOST/DB?user=..., or memory:";

    private static final Pattern SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*):");
    private static final Pattern JDBC_SUBPROTOCOL = Pattern.compile("^jdbc:([A-Za-z0-9+.-]*)(:|$)");

    private StateStores() {}

    /** What a description names. */
    private sealed interface Target permits Memory, Directory, Jdbc {}

    private record Memory() implements Target {}

    private record Directory(Path dir) implements Target {}

    private record Jdbc(String url) implements Target {}

    /**
     * Opens the store {@code spec} describes: {@code memory:} for a throwaway store,
     * {@code jdbc:sqlite:FILE} or {@code jdbc:postgresql://...} for a database, a directory path (or
     * {@code file:DIR}) for files.
     *
     * @throws IllegalArgumentException when {@code spec} is none of these (see {@link #check})
     * @throws StateStoreException      when the store cannot be opened
     */
    public static StateStore open(String spec) {
        return switch (parse(spec)) {
            case Memory m -> new MemoryStateStore();
            case Directory d -> new FileStateStore(d.dir());
            case Jdbc j -> new JdbcStateStore(j.url());
        };
    }

    /**
     * Checks {@code spec} without opening anything (no connection, no directory created): its form,
     * and for files that no file stands where a directory must be.
     *
     * @throws IllegalArgumentException saying what is wrong and listing the accepted forms
     */
    public static void check(String spec) {
        parse(spec);
    }

    private static Target parse(String spec) {
        if (spec == null || spec.isBlank()) throw invalid(spec, "it is empty");
        String s = spec.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("memory:")) {
            if (s.length() > "memory:".length()) throw invalid(s, "'memory:' takes nothing after the colon");
            return new Memory();
        }
        if (lower.startsWith("jdbc:")) return jdbc(s);
        if (lower.startsWith("file:")) return new Directory(directory(s, fileUrlPath(s)));
        Matcher scheme = SCHEME.matcher(s);
        if (scheme.find() && !isDrive(s)) {
            String name = scheme.group(1).toLowerCase(Locale.ROOT);
            throw invalid(s, "'" + name + ":' is not a state store scheme" + hint(name, s));
        }
        return new Directory(directory(s, s));
    }

    private static Jdbc jdbc(String url) {
        Matcher m = JDBC_SUBPROTOCOL.matcher(url.toLowerCase(Locale.ROOT));
        String sub = m.find() ? m.group(1) : "";
        String rest = url.substring(Math.min(url.length(), "jdbc:".length() + sub.length() + 1));
        switch (sub) {
            case "sqlite" -> {
                if (rest.isBlank()) throw invalid(url, "jdbc:sqlite: needs a database file (jdbc:sqlite:state.db)");
                checkSqliteFile(url, rest);
            }
            case "postgresql" -> {
                if (rest.isBlank())
                    throw invalid(url, "jdbc:postgresql: needs a database (jdbc:postgresql://HOST/DB?user=...)");
            }
            default ->
                throw invalid(
                        url,
                        (sub.isEmpty() ? "'jdbc:' needs a database type" : "'jdbc:" + sub + ":' is not supported")
                                + ": only jdbc:sqlite: and jdbc:postgresql: are");
        }
        return new Jdbc(url);
    }

    /** A plain SQLite file name: it must not be a directory, and its directory must exist (SQLite does not create it). */
    private static void checkSqliteFile(String url, String rest) {
        if (rest.startsWith(":") || rest.startsWith("file:")) return; // ":memory:", URI file names with parameters
        Path file;
        try {
            file = Path.of(rest).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw invalid(url, "'" + rest + "' is not a usable file name: " + e.getReason());
        }
        if (Files.isDirectory(file)) throw invalid(url, file + " is a directory, not a database file");
        Path parent = file.getParent();
        if (parent != null && !Files.isDirectory(parent))
            throw invalid(url, "the directory " + parent + " does not exist");
    }

    /** The path of a {@code file:} description: {@code file:DIR}, or a URL {@code file:///abs/dir}. */
    private static String fileUrlPath(String spec) {
        if (!spec.startsWith("file://")) return spec.substring("file:".length());
        try {
            return Path.of(URI.create(spec)).toString();
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw invalid(
                    spec,
                    "it is not a usable file URL (" + e.getMessage() + "); write file:/abs/dir or the plain path");
        }
    }

    /** A directory for a file store: a usable path where no file is in the way of creating it. */
    private static Path directory(String spec, String path) {
        if (path.isBlank()) throw invalid(spec, "'file:' needs a directory after the colon");
        Path dir;
        try {
            dir = Path.of(path).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw invalid(spec, "'" + path + "' is not a usable directory name: " + e.getReason());
        }
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) break;
            if (Files.exists(p)) {
                throw invalid(
                        spec,
                        p.equals(dir)
                                ? dir + " is a file, not a directory"
                                : "the directory " + dir + " cannot be created: " + p + " is a file");
            }
        }
        return dir;
    }

    /** A Windows drive letter ({@code C:\\state}, {@code C:/state}), not a scheme. */
    private static boolean isDrive(String s) {
        return s.length() >= 3
                && Character.isLetter(s.charAt(0))
                && s.charAt(1) == ':'
                && (s.charAt(2) == '\\' || s.charAt(2) == '/');
    }

    private static String hint(String scheme, String spec) {
        String rest = spec.substring(scheme.length() + 1);
        return switch (scheme) {
            case "postgres", "postgresql", "pg" -> " (did you mean jdbc:postgresql:" + rest + "?)";
            case "sqlite", "sqlite3" -> " (did you mean jdbc:sqlite:" + rest.replaceFirst("^//", "") + "?)";
            case "mem" -> " (did you mean memory:?)";
            default -> "";
        };
    }

    private static IllegalArgumentException invalid(String spec, String why) {
        // The description may carry a password (user:pw@host, password=...): never echo it.
        return new IllegalArgumentException(JdbcStateStore.redact(
                "invalid state store '" + (spec == null ? "" : spec) + "': " + why + "; use " + FORMS));
    }
}
