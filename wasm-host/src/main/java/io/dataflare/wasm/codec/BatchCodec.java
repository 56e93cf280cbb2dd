package io.dataflare.wasm.codec;

import io.dataflare.api.data.RecordBatch;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * How a batch crosses the WASM boundary (see ABI.md, "Batch encoding"). Input records carry their
 * position in the batch ({@code $in}); an output record that names one gets that input record's key,
 * headers and event time back, so modules never handle record metadata.
 */
public interface BatchCodec {
    /** The name of the encoding: {@code json} or {@code binary}. */
    String name();

    /**
     * Encodes {@code batch} as module input: the bytes of the returned buffer's backing array up to its limit. The
     * array may be the codec's own, reused by its next {@code encode}: copy it into the module at once.
     */
    ByteBuffer encodeShared(RecordBatch batch);

    /** Encodes {@code batch} as module input, in an array of its own. */
    default byte[] encode(RecordBatch batch) {
        ByteBuffer b = encodeShared(batch);
        return Arrays.copyOf(b.array(), b.limit());
    }

    /**
     * Decodes module output: records, and rejections of input records.
     *
     * @param input the batch the module was given, or null (sources)
     * @throws MalformedOutputException when the output does not follow the encoding
     */
    RecordBatch decode(byte[] output, RecordBatch input);

    /**
     * The codec for an encoding number as exported by {@code df_encoding}: 0 = JSON, 1 = binary (decimals sent
     * as strings), 2 = binary with the decimal tag.
     */
    static BatchCodec of(int encoding) {
        return switch (encoding) {
            case 0 -> new JsonBatchCodec();
            case 1 -> new BinaryBatchCodec(false);
            case 2 -> new BinaryBatchCodec(true);
            default ->
                throw new IllegalArgumentException(
                        "unknown batch encoding " + encoding + " (0 = json, 1 = binary, 2 = binary with decimals)");
        };
    }
}
