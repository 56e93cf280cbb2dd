package io.dataflare.server.access;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The tasks a caller may touch: glob patterns over task ids ({@code *} any run of characters, {@code ?} one),
 * e.g. {@code etl-*}. {@link #ALL} matches every task.
 */
public record TaskPatterns(List<String> globs) {
    public static final TaskPatterns ALL = new TaskPatterns(List.of("*"));

    public TaskPatterns {
        globs = List.copyOf(globs);
    }

    public boolean matches(String taskId) {
        for (String g : globs) if (regex(g).matcher(taskId).matches()) return true;
        return false;
    }

    @Override
    public String toString() {
        return String.join(", ", globs);
    }

    private static Pattern regex(String glob) {
        StringBuilder b = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> b.append(".*");
                case '?' -> b.append('.');
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString());
    }
}
