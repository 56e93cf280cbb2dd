package io.dataflare.plugins.columnar;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;

/** A source reading files of one format (a file or a glob), one record per row with the file's schema. */
abstract class ColumnarSourceFactory extends ColumnarPlugin implements SourceFactory {
    ColumnarSourceFactory(ColumnarFormat format) {
        super(format);
    }

    @Override
    public String description() {
        return "Reads " + format.label() + " files (a file or a glob), one record per row with the file's columns";
    }

    @Override
    public ConfigSpec configSpec() {
        return ColumnarOptions.sourceSpec();
    }

    @Override
    public void preflight(PluginContext ctx) {
        ColumnarOptions.sourceFiles(ctx, format);
    }

    @Override
    public Source create(PluginContext ctx) {
        return ColumnarOptions.openSource(ctx, format);
    }
}
