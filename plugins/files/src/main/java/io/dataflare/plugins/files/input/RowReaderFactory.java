package io.dataflare.plugins.files.input;

import java.io.IOException;
import java.io.InputStream;

/** Opens a {@link RowReader} on an input; one per source instance, so it may hold shared caches. */
@FunctionalInterface
public interface RowReaderFactory {
    /** A reader of {@code in}, which it closes when closed. */
    RowReader open(InputStream in, Origin origin) throws IOException;
}
