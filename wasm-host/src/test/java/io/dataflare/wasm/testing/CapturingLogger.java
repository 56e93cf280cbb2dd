package io.dataflare.wasm.testing;

import java.text.MessageFormat;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;

/** A logger that keeps what it is told, for tests that check what a plugin reported. */
public final class CapturingLogger implements System.Logger {
    private final List<String> messages = new CopyOnWriteArrayList<>();

    public List<String> messages() {
        return messages;
    }

    @Override
    public String getName() {
        return "capture";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        messages.add(level + " " + msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        messages.add(level + " " + (params == null ? format : MessageFormat.format(format, params)));
    }
}
