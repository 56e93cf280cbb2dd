package io.dataflare.engine.runtime;

import java.text.MessageFormat;
import java.util.ResourceBundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link System.Logger} plugins get, writing to SLF4J under {@code dataflare.plugin.<id>} with the
 * pipeline and stage in front of each message.
 */
final class PluginLogger implements System.Logger {
    private final Logger log;
    private final String prefix;

    PluginLogger(String pluginId, String pipeline, String stage, int instance) {
        this.log = LoggerFactory.getLogger("dataflare.plugin." + pluginId);
        this.prefix = "[" + pipeline + "/" + stage + (instance > 0 ? "#" + instance : "") + "] ";
    }

    @Override
    public String getName() {
        return log.getName();
    }

    @Override
    public boolean isLoggable(Level level) {
        return switch (level) {
            case ALL, TRACE -> log.isTraceEnabled();
            case DEBUG -> log.isDebugEnabled();
            case INFO -> log.isInfoEnabled();
            case WARNING -> log.isWarnEnabled();
            case ERROR -> log.isErrorEnabled();
            case OFF -> false;
        };
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        if (!isLoggable(level)) return;
        String m = prefix + msg;
        switch (level) {
            case ALL, TRACE -> log.trace(m, thrown);
            case DEBUG -> log.debug(m, thrown);
            case INFO -> log.info(m, thrown);
            case WARNING -> log.warn(m, thrown);
            case ERROR -> log.error(m, thrown);
            case OFF -> {}
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (!isLoggable(level)) return;
        String msg = params == null || params.length == 0 ? format : MessageFormat.format(format, params);
        log(level, bundle, msg, (Throwable) null);
    }
}
