package io.dataflare.plugins.kafka;

/**
 * Where the source starts reading a partition that the checkpoint does not name: {@code earliest},
 * {@code latest} or {@code timestamp:<epoch ms>} (the first record at or after that time).
 */
record StartPosition(Kind kind, long timestampMs) {
    enum Kind {
        EARLIEST,
        LATEST,
        TIMESTAMP
    }

    /** Parses the {@code start} option; null when the text is none of the three forms. */
    static StartPosition parse(String text) {
        if ("earliest".equals(text)) return new StartPosition(Kind.EARLIEST, 0);
        if ("latest".equals(text)) return new StartPosition(Kind.LATEST, 0);
        if (text != null && text.startsWith("timestamp:")) {
            try {
                long ms = Long.parseLong(text.substring("timestamp:".length()));
                if (ms >= 0) return new StartPosition(Kind.TIMESTAMP, ms);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
