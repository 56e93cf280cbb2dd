package io.dataflare.plugins.columnar;

import org.pf4j.Extension;

/** The {@code avro-file} source: Avro files (a file or a glob), one record per row with the file's schema. */
@Extension
public final class AvroFileSourceFactory extends ColumnarSourceFactory {
    public AvroFileSourceFactory() {
        super(ColumnarFormat.AVRO);
    }
}
