package io.dataflare.plugins.columnar;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import org.pf4j.Extension;

/** The {@code parquet-file} source: Parquet files (a file or a glob), one record per row with the file's schema. */
@Extension
public final class ParquetFileSourceFactory implements SourceFactory {
    @Override
    public String name() {
        return ColumnarFormat.PARQUET.plugin();
    }

    @Override
    public String description() {
        return "Reads Parquet files (a file or a glob), one record per row with the file's columns";
    }

    @Override
    public ConfigSpec configSpec() {
        return ColumnarOptions.sourceSpec();
    }

    @Override
    public void preflight(PluginContext ctx) {
        ColumnarOptions.sourceFiles(ctx, ColumnarFormat.PARQUET);
    }

    @Override
    public Source create(PluginContext ctx) {
        return ColumnarOptions.openSource(ctx, ColumnarFormat.PARQUET);
    }
}
