package io.dataflare.plugins.files.input;

/** What one {@link RowReader#read} call did. */
public enum ReadResult {
    /** One row went into the batch, as a record or a rejection. */
    ROW,
    /** The input is exhausted. */
    END,
    /** No complete row is available without blocking (only when the caller said not to block). */
    PENDING
}
