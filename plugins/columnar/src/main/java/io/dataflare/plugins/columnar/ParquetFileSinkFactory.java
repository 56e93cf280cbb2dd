package io.dataflare.plugins.columnar;

import org.pf4j.Extension;

/** The {@code parquet-file} sink: Parquet part files, finished at each checkpoint (exactly-once across crashes). */
@Extension
public final class ParquetFileSinkFactory extends ColumnarSinkFactory {
    public ParquetFileSinkFactory() {
        super(ColumnarFormat.PARQUET);
    }
}
