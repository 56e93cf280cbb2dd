package io.dataflare.server.task;

import io.dataflare.engine.config.ConfigReader;
import java.nio.file.Path;
import java.util.Locale;

/**
 * A task's pipeline as it was submitted: the text with its {@code ${ENV}} and {@code ${secret:...}}
 * references unresolved (they are resolved each time the task is compiled, never stored or returned).
 *
 * @param id      the task id (also the name its runs, checkpoints and metrics go by)
 * @param format  {@code yaml}, {@code json} or {@code toml}
 * @param text    the pipeline text
 * @param baseDir the directory relative paths in the pipeline resolve against
 * @param origin  where it came from: {@code api}, or the config file that declares it
 */
public record TaskSpec(String id, String format, String text, String baseDir, String origin) {
    /** Letters, digits, '-', '_' and '.', at most 64 characters, starting with a letter or digit. */
    public static final String ID_PATTERN = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}";

    /** Whether {@code id} is a valid task id. */
    public static boolean validId(String id) {
        return id != null && id.matches(ID_PATTERN);
    }

    ConfigReader.Format readerFormat() {
        return ConfigReader.Format.valueOf(format.toUpperCase(Locale.ROOT));
    }

    Path base() {
        return Path.of(baseDir);
    }

    /** The name locations in this pipeline are reported against. */
    String sourceName() {
        return origin.equals("api") ? id + "." + format : origin;
    }
}
