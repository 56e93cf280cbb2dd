package io.dataflare.wasm.sandbox;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * WASI preview 1 for a module whose stage grants the {@code wasi} it requests: no arguments, no environment, no
 * stdin, stdout and stderr to the plugin log, and no directories except those granted one by one with
 * {@code wasi:dir:PATH} (PATH relative to the plugin's folder, seen by the module as {@code /PATH}).
 */
public final class WasiSupport implements AutoCloseable {
    private final WasiPreview1 wasi;

    private WasiSupport(WasiPreview1 wasi) {
        this.wasi = wasi;
    }

    /** WASI for one instance. */
    public static WasiSupport create(List<String> capabilities, Path pluginDir, System.Logger log) {
        WasiOptions.Builder o = WasiOptions.builder()
                .withStdout(new LineLogger(log, System.Logger.Level.INFO))
                .withStderr(new LineLogger(log, System.Logger.Level.WARNING));
        for (String c : capabilities) {
            if (c.startsWith("wasi:dir:")) {
                String guest = c.substring("wasi:dir:".length());
                Path host = pluginDir.resolve(guest).normalize();
                o.withDirectory("/" + guest.replaceFirst("^/+", ""), host);
            }
        }
        return new WasiSupport(WasiPreview1.builder().withOptions(o.build()).build());
    }

    public HostFunction[] functions() {
        return wasi.toHostFunctions();
    }

    @Override
    public void close() {
        wasi.close();
    }

    /** Hands complete lines written by the module to the plugin log (capped so a flood stays bounded). */
    private static final class LineLogger extends OutputStream {
        private static final int MAX_LINE = 8192;
        private final System.Logger log;
        private final System.Logger.Level level;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineLogger(System.Logger log, System.Logger.Level level) {
            this.log = log;
            this.level = level;
        }

        @Override
        public void write(int b) {
            if (b == '\n') {
                flush();
            } else if (line.size() < MAX_LINE) {
                line.write(b);
            }
        }

        @Override
        public void flush() {
            if (line.size() > 0) log.log(level, line.toString(StandardCharsets.UTF_8));
            line.reset();
        }
    }
}
