package io.dataflare.engine.state;

/** One record of an append-only log and its sequence number (1 for the first record, then dense). */
public record LogRecord(long sequence, String data) {}
