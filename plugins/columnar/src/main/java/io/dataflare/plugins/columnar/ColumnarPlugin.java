package io.dataflare.plugins.columnar;

/** What the source and the sink of one format share: the format, which names the plugin. */
abstract class ColumnarPlugin {
    final ColumnarFormat format;

    ColumnarPlugin(ColumnarFormat format) {
        this.format = format;
    }

    /** The plugin's name ({@code parquet-file}): the source and the sink of a format have the same. */
    public String name() {
        return format.plugin();
    }
}
