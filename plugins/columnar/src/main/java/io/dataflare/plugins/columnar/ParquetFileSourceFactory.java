package io.dataflare.plugins.columnar;

import org.pf4j.Extension;

/** The {@code parquet-file} source: Parquet files (a file or a glob), one record per row with the file's schema. */
@Extension
public final class ParquetFileSourceFactory extends ColumnarSourceFactory {
    public ParquetFileSourceFactory() {
        super(ColumnarFormat.PARQUET);
    }
}
