package io.dataflare.plugins.columnar;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.OutputFile;

/** The two file formats: how to recognise, read and write each, through Avro's generic records. */
enum ColumnarFormat {
    PARQUET(
            "parquet-file",
            "Parquet",
            "PAR1".getBytes(StandardCharsets.US_ASCII),
            List.of("snappy", "zstd", "gzip", "none")) {
        @Override
        RecordFileReader read(Path file) throws IOException {
            ParquetReader<GenericRecord> reader;
            try {
                reader = AvroParquetReader.<GenericRecord>builder(
                                new LocalInputFile(file), new PlainParquetConfiguration())
                        .withDataModel(GenericData.get())
                        .build();
            } catch (RuntimeException e) {
                throw notThisFormat(file, e);
            }
            return new RecordFileReader() {
                @Override
                public Schema schema() {
                    return null;
                }

                @Override
                public Object next() throws IOException {
                    try {
                        return reader.read();
                    } catch (IOException | RuntimeException e) {
                        // the footer is read lazily, on the first read: a truncated file fails here
                        throw notThisFormat(file, e);
                    }
                }

                @Override
                public void close() throws IOException {
                    reader.close();
                }
            };
        }

        @Override
        RecordFileWriter write(Path file, Schema schema, String compression) throws IOException {
            ParquetWriter<GenericRecord> writer = parquetWriter(new LocalOutputFile(file), schema, compression);
            return new RecordFileWriter() {
                @Override
                public void write(GenericRecord record) throws IOException {
                    writer.write(record);
                }

                @Override
                public void close() throws IOException {
                    writer.close();
                }
            };
        }
    },
    AVRO("avro-file", "Avro", new byte[] {'O', 'b', 'j', 1}, List.of("snappy", "zstd", "deflate", "none")) {
        @Override
        RecordFileReader read(Path file) throws IOException {
            DataFileReader<Object> reader;
            try {
                reader = new DataFileReader<>(file.toFile(), new GenericDatumReader<>(null, null, GenericData.get()));
            } catch (IOException | RuntimeException e) {
                throw notThisFormat(file, e);
            }
            return new RecordFileReader() {
                @Override
                public Schema schema() {
                    return reader.getSchema();
                }

                @Override
                public Object next() throws IOException {
                    try {
                        return reader.hasNext() ? reader.next() : null;
                    } catch (RuntimeException e) {
                        throw notThisFormat(file, e);
                    }
                }

                @Override
                public void close() throws IOException {
                    reader.close();
                }
            };
        }

        @Override
        RecordFileWriter write(Path file, Schema schema, String compression) throws IOException {
            DataFileWriter<GenericRecord> writer =
                    new DataFileWriter<>(new GenericDatumWriter<>(schema, GenericData.get()));
            writer.setCodec(
                    switch (compression) {
                        case "zstd" -> CodecFactory.zstandardCodec(CodecFactory.DEFAULT_ZSTANDARD_LEVEL);
                        case "deflate" -> CodecFactory.deflateCodec(CodecFactory.DEFAULT_DEFLATE_LEVEL);
                        case "none" -> CodecFactory.nullCodec();
                        default -> CodecFactory.snappyCodec();
                    });
            writer.create(schema, file.toFile());
            return new RecordFileWriter() {
                @Override
                public void write(GenericRecord record) throws IOException {
                    writer.append(record);
                }

                @Override
                public void close() throws IOException {
                    writer.close();
                }
            };
        }
    };

    /** Reads one file's records in order. */
    interface RecordFileReader extends Closeable {
        /** The file's schema when its rows need not be records (an Avro file of plain values), else null. */
        Schema schema();

        /** The next row (a {@link GenericRecord} unless the file's schema says otherwise), or null at the end. */
        Object next() throws IOException;
    }

    /** Writes one file; the file is complete (readable) only once closed. */
    interface RecordFileWriter extends Closeable {
        void write(GenericRecord record) throws IOException;
    }

    private final String plugin;
    private final String label;
    private final byte[] magic;
    private final List<String> codecs;

    ColumnarFormat(String plugin, String label, byte[] magic, List<String> codecs) {
        this.plugin = plugin;
        this.label = label;
        this.magic = magic;
        this.codecs = codecs;
    }

    /** The plugin name ({@code parquet-file}). */
    String plugin() {
        return plugin;
    }

    /** The format's name as people write it ({@code Parquet}). */
    String label() {
        return label;
    }

    /** The compressions this format writes, the default first. */
    List<String> codecs() {
        return codecs;
    }

    abstract RecordFileReader read(Path file) throws IOException;

    abstract RecordFileWriter write(Path file, Schema schema, String compression) throws IOException;

    /**
     * Checks that {@code file} starts like a file of this format (its magic bytes), so that a CSV file given to
     * a Parquet source is refused by name before the run.
     *
     * @throws IOException naming the file when it is not
     */
    void checkMagic(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(magic.length);
        }
        if (!Arrays.equals(head, magic)) {
            throw new IOException(file + " is not a" + (this == AVRO ? "n " : " ") + label
                    + " file (it does not start with " + label + "'s magic bytes)");
        }
    }

    IOException notThisFormat(Path file, Exception e) {
        return new IOException(
                file + " cannot be read as a" + (this == AVRO ? "n " : " ") + label + " file: " + e.getMessage(), e);
    }

    /*
     * AvroParquetWriter.builder and ParquetWriter.Builder.withConf are overloaded with Hadoop Path and Configuration
     * parameters: calling them directly makes javac load those Hadoop classes, which are not on the compile class
     * path (only the few the writer needs at run time are bundled). Method handles name the overload exactly.
     */
    private static final MethodHandle BUILDER;
    private static final MethodHandle WITH_CONF;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            BUILDER = lookup.findStatic(
                    AvroParquetWriter.class,
                    "builder",
                    MethodType.methodType(AvroParquetWriter.Builder.class, OutputFile.class));
            WITH_CONF = lookup.findVirtual(
                    ParquetWriter.Builder.class,
                    "withConf",
                    MethodType.methodType(ParquetWriter.Builder.class, ParquetConfiguration.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unchecked") // the builder's type parameter is the one we ask for
    static ParquetWriter<GenericRecord> parquetWriter(OutputFile out, Schema schema, String compression)
            throws IOException {
        AvroParquetWriter.Builder<GenericRecord> builder;
        try {
            builder = (AvroParquetWriter.Builder<GenericRecord>) BUILDER.invoke(out);
            WITH_CONF.invoke(builder, new PlainParquetConfiguration());
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException(e);
        }
        return builder.withSchema(schema)
                // an explicit data model: otherwise parquet-avro builds a Hadoop Configuration to look one up
                .withDataModel(GenericData.get())
                .withCompressionCodec(
                        switch (compression) {
                            case "zstd" -> CompressionCodecName.ZSTD;
                            case "gzip" -> CompressionCodecName.GZIP;
                            case "none" -> CompressionCodecName.UNCOMPRESSED;
                            default -> CompressionCodecName.SNAPPY;
                        })
                .build();
    }
}
