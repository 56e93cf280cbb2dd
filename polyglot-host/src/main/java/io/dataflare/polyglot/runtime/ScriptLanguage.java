package io.dataflare.polyglot.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * The guest languages scripts are written in, and what differs between them: file suffixes, how a script
 * is evaluated and how its functions are found, the comment syntax of a leading manifest block, and the
 * guest side of the batch loop (the driver).
 */
public enum ScriptLanguage {
    /** {@code .js} and {@code .mjs}: ES modules; functions and {@code manifest} are exports. */
    JAVASCRIPT("javascript", "js", List.of(".js", ".mjs"), "//", "driver.js", false) {
        @Override
        public Source source(Path file, String text) {
            // Both suffixes are ES modules, so a plugin exports the same way whatever its suffix; the module
            // MIME type makes .js one too.
            return Source.newBuilder(graalId(), text, file.getFileName().toString())
                    .mimeType("application/javascript+module")
                    .cached(true)
                    .buildLiteral();
        }

        @Override
        public Value evalPlugin(Context context, Source source) {
            return context.eval(source); // the module namespace (js.esm-eval-returns-exports)
        }

        @Override
        public Value evalDriver(Context context, Source driver) {
            return context.eval(driver);
        }
    },
    /** {@code .py}: a module evaluated as {@code __main__}; functions and {@code manifest} are globals. */
    PYTHON("python", "python", List.of(".py"), "#", "driver.py", true) {
        @Override
        public Source source(Path file, String text) {
            return Source.newBuilder(graalId(), text, file.getFileName().toString())
                    .cached(true)
                    .buildLiteral();
        }

        @Override
        public Value evalPlugin(Context context, Source source) {
            context.eval(source);
            return context.getBindings(graalId());
        }

        @Override
        public Value evalDriver(Context context, Source driver) {
            context.eval(driver);
            Value globals = context.getBindings(graalId());
            Value d = globals.getMember("_dataflare_driver_");
            globals.removeMember("_dataflare_driver_");
            return d;
        }
    };

    /** The source name prefix of the driver, whose frames error messages skip. */
    public static final String DRIVER_PREFIX = "<dataflare-";

    private final String pluginLanguage;
    private final String graalId;
    private final List<String> suffixes;
    private final String lineComment;
    private final String driverResource;
    private final boolean warmsUp;

    ScriptLanguage(
            String pluginLanguage,
            String graalId,
            List<String> suffixes,
            String lineComment,
            String driverResource,
            boolean warmsUp) {
        this.pluginLanguage = pluginLanguage;
        this.graalId = graalId;
        this.suffixes = suffixes;
        this.lineComment = lineComment;
        this.driverResource = driverResource;
        this.warmsUp = warmsUp;
    }

    /**
     * Whether a new context runs its batch loop over the first records of its first batch, with a stand-in for
     * the script's function, before that batch's call is timed (the driver's {@code warm}). Python: yes, a fresh
     * GraalPy context's first batch costs several times a later one, enough to overrun {@code timeout_ms} on a
     * loaded machine. JavaScript: no, its first batch costs less and its contexts start in milliseconds.
     */
    public boolean warmsUp() {
        return warmsUp;
    }

    /**
     * Whether a processor instance's context is kept, when the instance closes, for the next run of the same
     * stage instance ({@link KeptContexts}). Python: yes, a GraalPy context costs up to a second to start and
     * warm up, and its batch loop, compiled for the objects of the context it ran in, is deoptimised and
     * compiled again in each new one ({@code polyglot-host/bench.sh runs 22 python kept}: 1.26-1.37 M rec/s,
     * {@code new}: 0.42-1.14 M). JavaScript: no, its contexts start in milliseconds and share their compiled code
     * well.
     */
    public boolean keepsContexts() {
        return this == PYTHON;
    }

    /** The language as a plugin manifest names it: {@code javascript} or {@code python}. */
    public String pluginLanguage() {
        return pluginLanguage;
    }

    /** GraalVM's language id: {@code js} or {@code python}. */
    public String graalId() {
        return graalId;
    }

    /** The line comment marker of a leading manifest block. */
    public String lineComment() {
        return lineComment;
    }

    /** Whether {@code file} is a script of this language. */
    public boolean handles(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String s : suffixes) {
            if (name.endsWith(s)) return true;
        }
        return false;
    }

    /** The source of a plugin script. */
    public abstract Source source(Path file, String text);

    /** Evaluates the plugin in {@code context}; returns what its functions and manifest are members of. */
    public abstract Value evalPlugin(Context context, Source source);

    /** Evaluates the driver (see {@link #driver()}); returns its {@code bind}, {@code shape}, {@code run} object. */
    public abstract Value evalDriver(Context context, Source driver);

    /** The guest side of the batch loop, evaluated before the plugin (see the resource's comment). */
    public Source driver() {
        return driver(DRIVER_PREFIX + driverResource + ">");
    }

    /**
     * The same driver under another name, for warming a new context up ({@link #warmsUp()}): GraalVM keeps
     * code and type profiles per source, so this copy runs the same operations over the first records without
     * putting stand-in functions and results into the profiles the JIT compiles the real batch loop with (that
     * cost 10 to 40% of the throughput).
     */
    public Source warmUpDriver() {
        return driver(DRIVER_PREFIX + "warm-up-" + driverResource + ">");
    }

    private Source driver(String name) {
        try (InputStream in =
                ScriptLanguage.class.getResourceAsStream("/io/dataflare/polyglot/session/" + driverResource)) {
            if (in == null) throw new IllegalStateException("missing resource " + driverResource);
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            // not internal(): GraalPy evaluates internal sources outside __main__, where the plugin's globals are
            return Source.newBuilder(graalId, text, name).cached(true).buildLiteral();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
