package io.dataflare.plugins.columnar;

import java.io.IOException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.OutputFile;

/** A plain parquet-avro writer (as any Parquet-producing program would make one), for interop tests. */
final class ColumnarFormatAccess {
    private ColumnarFormatAccess() {}

    static ParquetWriter<GenericRecord> plainParquetWriter(OutputFile out, Schema schema) throws IOException {
        return ColumnarFormat.parquetWriter(out, schema, "none");
    }
}
