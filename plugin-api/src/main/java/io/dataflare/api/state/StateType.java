package io.dataflare.api.state;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

/**
 * How the values of a state are stored: as bytes, so that state can leave the heap and be checkpointed. Use
 * the built-in types, or {@link #of} with the plugin's own encoding.
 *
 * @param <T> the value type
 * @since 1.1.0
 */
public interface StateType<T> {
    /** The bytes of {@code value} (never null). */
    byte[] encode(T value);

    /** The value {@link #encode} gave {@code bytes} for. */
    T decode(byte[] bytes);

    /** Text, as UTF-8. */
    static StateType<String> string() {
        return of(s -> s.getBytes(StandardCharsets.UTF_8), b -> new String(b, StandardCharsets.UTF_8));
    }

    /** 64-bit integers. */
    static StateType<Long> longs() {
        return of(JsonValues::longBytes, JsonValues::bytesLong);
    }

    /** Doubles. */
    static StateType<Double> doubles() {
        return of(
                d -> JsonValues.longBytes(Double.doubleToRawLongBits(d)),
                b -> Double.longBitsToDouble(JsonValues.bytesLong(b)));
    }

    /** Raw bytes (kept as given). */
    static StateType<byte[]> bytes() {
        return of(byte[]::clone, byte[]::clone);
    }

    /**
     * JSON-compatible values, as records carry them: null, Boolean, Long (Integer, Short and Byte are stored
     * as Long), Double (Float as Double), BigDecimal, String, byte[], Instant, and Lists and Maps (String keys,
     * order kept) of them. Any other type fails to encode with an IllegalArgumentException naming it.
     */
    static StateType<Object> json() {
        return of(JsonValues::encode, JsonValues::decode);
    }

    /** A type from the plugin's own encoding. */
    static <T> StateType<T> of(Function<T, byte[]> encode, Function<byte[], T> decode) {
        Objects.requireNonNull(encode, "encode");
        Objects.requireNonNull(decode, "decode");
        return new StateType<>() {
            @Override
            public byte[] encode(T value) {
                return encode.apply(value);
            }

            @Override
            public T decode(byte[] bytes) {
                return decode.apply(bytes);
            }
        };
    }
}
