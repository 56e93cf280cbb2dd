package io.dataflare.plugins.columnar;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import org.pf4j.Extension;

/** The {@code avro-file} source: Avro files (a file or a glob), one record per row with the file's schema. */
@Extension
public final class AvroFileSourceFactory implements SourceFactory {
    @Override
    public String name() {
        return ColumnarFormat.AVRO.plugin();
    }

    @Override
    public String description() {
        return "Reads Avro files (a file or a glob), one record per row with the file's columns";
    }

    @Override
    public ConfigSpec configSpec() {
        return ColumnarOptions.sourceSpec();
    }

    @Override
    public void preflight(PluginContext ctx) {
        ColumnarOptions.sourceFiles(ctx, ColumnarFormat.AVRO);
    }

    @Override
    public Source create(PluginContext ctx) {
        return ColumnarOptions.openSource(ctx, ColumnarFormat.AVRO);
    }
}
