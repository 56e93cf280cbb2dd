package io.dataflare.plugins.tcp;

import io.dataflare.api.PluginMetrics;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Counts the bytes read from a connection into a metric. */
final class CountingInputStream extends FilterInputStream {
    private final PluginMetrics metrics;
    private final String name;

    CountingInputStream(InputStream in, PluginMetrics metrics, String name) {
        super(in);
        this.metrics = metrics;
        this.name = name;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) metrics.increment(name, 1);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) metrics.increment(name, n);
        return n;
    }
}
