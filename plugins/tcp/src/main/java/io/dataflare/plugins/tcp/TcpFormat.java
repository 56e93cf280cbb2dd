package io.dataflare.plugins.tcp;

import java.util.List;
import java.util.Locale;

/** The line format on the wire: CSV with a header line first on each connection, or one JSON object a line. */
enum TcpFormat {
    CSV,
    JSONL;

    static final List<String> NAMES = List.of("csv", "jsonl");

    static TcpFormat of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
