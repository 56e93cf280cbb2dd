package io.dataflare.engine.config;

/**
 * Where something is in a configuration file: {@code file:line:column}, 1-based, as editors and
 * compilers print it.
 */
public record Location(String source, int line, int column) {
    /** Where nothing better is known. */
    public static final Location UNKNOWN = new Location("<unknown>", 0, 0);

    /** The start of {@code source}. */
    public static Location of(String source) {
        return new Location(source, 1, 1);
    }

    @Override
    public String toString() {
        return line <= 0 ? source : source + ":" + line + ":" + column;
    }
}
