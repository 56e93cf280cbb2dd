package io.dataflare.plugins.files.output;

import java.io.IOException;
import java.io.OutputStream;

/** A line format as sinks use it: opens an encoder on each output. One per sink instance. */
@FunctionalInterface
public interface SinkFormat {
    /**
     * An encoder writing to {@code out}.
     *
     * @param target what the output is (a file path or {@code stdout}), for formats that remember
     *               something per output, such as CSV's column order
     * @param fresh  whether the output starts empty, so that a header belongs at its top
     */
    RecordEncoder open(OutputStream out, String target, boolean fresh) throws IOException;
}
