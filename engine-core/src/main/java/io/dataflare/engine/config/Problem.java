package io.dataflare.engine.config;

/** One thing wrong with a configuration, and where it is. */
public record Problem(Location location, String message) {
    @Override
    public String toString() {
        return location + ": " + message;
    }
}
