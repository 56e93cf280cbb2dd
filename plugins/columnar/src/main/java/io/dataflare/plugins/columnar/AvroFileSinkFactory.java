package io.dataflare.plugins.columnar;

import org.pf4j.Extension;

/** The {@code avro-file} sink: Avro part files, finished at each checkpoint (exactly-once across crashes). */
@Extension
public final class AvroFileSinkFactory extends ColumnarSinkFactory {
    public AvroFileSinkFactory() {
        super(ColumnarFormat.AVRO);
    }
}
