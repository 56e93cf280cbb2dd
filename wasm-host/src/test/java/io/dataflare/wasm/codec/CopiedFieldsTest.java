package io.dataflare.wasm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Output records that copy an input record's encoded fields unchanged (as the SDK helpers do) are decoded by
 * taking the input's values; anything else that looks alike must still be read from the bytes. Output records
 * that reference their input record (field count with the top bit set) are that record plus the fields after it.
 */
class CopiedFieldsTest {
    // a string built at run time: decoding the bytes again would give an equal string, never this instance
    private static final String TEXT = new String("grace hopper".toCharArray());
    private static final Record IN = Record.builder()
            .set("id", 7L)
            .set("name", TEXT)
            .set("p", new BigDecimal("10.50"))
            .key("k7")
            .build();

    /** Output with {@code names}, one record naming input 0: fields (name index, tag, value) as given. */
    private static byte[] output(List<String> names, int in, Object... fields) {
        BinaryBatchCodec.ByteWriter w = new BinaryBatchCodec.ByteWriter(64);
        w.u32(names.size());
        for (String n : names) w.str(n);
        w.u32(1);
        w.u32(in);
        w.u32(fields.length / 2);
        for (int f = 0; f < fields.length; f += 2) {
            w.u32((Integer) fields[f]);
            Object v = fields[f + 1];
            if (v instanceof Long l) {
                w.u8(BinaryBatchCodec.LONG);
                w.i64(l);
            } else {
                w.u8(v instanceof BigDecimal ? BinaryBatchCodec.DECIMAL : BinaryBatchCodec.STRING);
                w.str(v.toString());
            }
        }
        w.u32(0);
        return Arrays.copyOf(w.array(), w.size());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void copiedFieldsAreTheInputsValuesAndNewOnesAreRead(boolean decimalTag) {
        BinaryBatchCodec codec = new BinaryBatchCodec(decimalTag);
        RecordBatch in = RecordBatch.of(IN);
        codec.encode(in);
        Object p = decimalTag ? new BigDecimal("10.50") : "10.50";
        Record out = codec.decode(
                        output(List.of("id", "name", "p", "n2"), 0, 0, 7L, 1, "grace hopper", 2, p, 3, 14L), in)
                .get(0);
        assertThat(out.get("name"))
                .as("taken from the input, not decoded again")
                .isSameAs(TEXT);
        assertThat(out.get("p")).isSameAs(IN.get("p"));
        assertThat(out.getLong("n2")).isEqualTo(14L);
        assertThat(out.fields().names()).containsExactly("id", "name", "p", "n2");
        assertThat(out.key()).isEqualTo("k7");
    }

    @org.junit.jupiter.api.Test
    void aFieldChangedInPlaceIsReadFromTheOutput() {
        BinaryBatchCodec codec = new BinaryBatchCodec(true);
        RecordBatch in = RecordBatch.of(IN);
        codec.encode(in);
        // same length and layout as the input's fields, one letter differs
        Record out = codec.decode(
                        output(List.of("id", "name", "p"), 0, 0, 7L, 1, "grace hoppeR", 2, new BigDecimal("10.50")), in)
                .get(0);
        assertThat(out.get("name")).isEqualTo("grace hoppeR");
    }

    @org.junit.jupiter.api.Test
    void identicalBytesUnderOtherFieldNamesAreReadWithTheOutputsNames() {
        BinaryBatchCodec codec = new BinaryBatchCodec(true);
        RecordBatch in = RecordBatch.of(IN);
        codec.encode(in);
        // byte for byte the input's fields, but the output's name table swaps the first two names
        Record out = codec.decode(
                        output(List.of("name", "id", "p"), 0, 0, 7L, 1, "grace hopper", 2, new BigDecimal("10.50")), in)
                .get(0);
        assertThat(out.get("name")).isEqualTo(7L);
        assertThat(out.get("id")).isEqualTo("grace hopper");
    }

    @org.junit.jupiter.api.Test
    void outputForAnotherBatchIsReadFromItsBytes() {
        BinaryBatchCodec codec = new BinaryBatchCodec(true);
        RecordBatch in = RecordBatch.of(IN);
        codec.encode(in);
        RecordBatch other = RecordBatch.of(IN.toBuilder().set("name", "ada").build());
        Record out = codec.decode(
                        output(List.of("id", "name", "p"), 0, 0, 7L, 1, "grace hopper", 2, new BigDecimal("10.50")),
                        other)
                .get(0);
        assertThat(out.get("name")).isEqualTo(TEXT).isNotSameAs(TEXT);
    }

    @org.junit.jupiter.api.Test
    void recordsWithListsAreReadFromTheirBytes() {
        BinaryBatchCodec codec = new BinaryBatchCodec(true);
        Record withList = Record.builder().set("l", List.of(1L, "x")).build();
        RecordBatch in = RecordBatch.of(withList, IN);
        byte[] bytes = codec.encode(in);
        // the module hands the input back as it is: both records copy their input's fields
        RecordBatch out = codec.decode(bytes, in);
        assertThat(out.get(0)).isEqualTo(withList);
        assertThat(out.get(0).get("l")).isNotSameAs(withList.get("l"));
        assertThat(out.get(1).get("name")).isSameAs(TEXT);
    }

    /** Output with {@code names}: one record referencing input {@code in}, then {@code more} (name index, long). */
    private static byte[] reference(List<String> names, int in, long... more) {
        BinaryBatchCodec.ByteWriter w = new BinaryBatchCodec.ByteWriter(64);
        w.u32(names.size());
        for (String n : names) w.str(n);
        w.u32(1);
        w.u32(in);
        w.u32(BinaryBatchCodec.REFERENCE | more.length / 2);
        for (int f = 0; f < more.length; f += 2) {
            w.u32((int) more[f]);
            w.u8(BinaryBatchCodec.LONG);
            w.i64(more[f + 1]);
        }
        w.u32(0);
        return Arrays.copyOf(w.array(), w.size());
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aReferenceIsTheInputRecordWithItsMetadataAndTheFieldsAfterIt(boolean decimalTag) {
        BinaryBatchCodec codec = new BinaryBatchCodec(decimalTag);
        Record second = IN.toBuilder().set("id", 8L).key("k8").build();
        RecordBatch in = RecordBatch.of(IN, second);
        codec.encode(in);
        Record out = codec.decode(reference(List.of("id", "name", "p", "n2", "n3"), 1, 3, 16, 4, 24), in)
                .get(0);
        assertThat(out.fields().names()).containsExactly("id", "name", "p", "n2", "n3");
        assertThat(out.get("id")).isEqualTo(8L);
        assertThat(out.get("name")).isSameAs(TEXT);
        assertThat(out.get("p")).isSameAs(IN.get("p")).isInstanceOf(BigDecimal.class);
        assertThat(out.getLong("n2")).isEqualTo(16L);
        assertThat(out.getLong("n3")).isEqualTo(24L);
        assertThat(out.key()).isEqualTo("k8");
        assertThat(codec.decode(reference(List.of("id", "name", "p"), 0), in).get(0))
                .isEqualTo(IN);
    }

    @org.junit.jupiter.api.Test
    void aReferenceToNoInputRecordOrRepeatingAFieldIsMalformed() {
        BinaryBatchCodec codec = new BinaryBatchCodec(true);
        RecordBatch in = RecordBatch.of(IN);
        codec.encode(in);
        List<String> names = List.of("id", "name", "p", "n2");
        assertThatThrownBy(() -> codec.decode(reference(names, -1, 3, 1), in))
                .isInstanceOf(MalformedOutputException.class)
                .hasMessageContaining("names no input record");
        assertThatThrownBy(() -> codec.decode(reference(names, 1, 3, 1), in))
                .isInstanceOf(MalformedOutputException.class)
                .hasMessageContaining("$in 1 names no input record");
        assertThatThrownBy(() -> codec.decode(reference(names, 0, 0, 1), in))
                .isInstanceOf(MalformedOutputException.class)
                .hasMessageContaining("field 'id' appears twice");
        assertThatThrownBy(() -> codec.decode(reference(names, 0, 3, 1, 3, 2), in))
                .isInstanceOf(MalformedOutputException.class)
                .hasMessageContaining("field 'n2' appears twice");
        assertThatThrownBy(() -> codec.decode(reference(names, 0, 9, 1), in))
                .isInstanceOf(MalformedOutputException.class)
                .hasMessageContaining("field name index 9 out of range");
        assertThatThrownBy(() -> codec.decode(reference(names, 0, 3, 1), null))
                .isInstanceOf(MalformedOutputException.class)
                .hasMessageContaining("names no input record");
    }

    @org.junit.jupiter.api.Test
    void aReferenceMayAddManyFieldsAndRecordsOfOneShapeShareTheirFields() {
        BinaryBatchCodec codec = new BinaryBatchCodec(true);
        RecordBatch in = RecordBatch.of(IN, IN.toBuilder().set("id", 8L).build());
        codec.encode(in);
        int many = 50_000;
        java.util.List<String> names = new java.util.ArrayList<>(List.of("id", "name", "p"));
        long[] more = new long[2 * many];
        for (int f = 0; f < many; f++) {
            names.add("f" + f);
            more[2 * f] = 3 + f;
            more[2 * f + 1] = f;
        }
        Record out = codec.decode(reference(names, 0, more), in).get(0);
        assertThat(out.size()).isEqualTo(3 + many);
        assertThat(out.getLong("f49999")).isEqualTo(49_999L);
        assertThat(out.get("name")).isSameAs(TEXT);

        BinaryBatchCodec.ByteWriter w = new BinaryBatchCodec.ByteWriter(64);
        w.u32(4);
        for (String n : List.of("id", "name", "p", "n2")) w.str(n);
        w.u32(2);
        for (int r = 0; r < 2; r++) {
            w.u32(r);
            w.u32(BinaryBatchCodec.REFERENCE | 1);
            w.u32(3);
            w.u8(BinaryBatchCodec.LONG);
            w.i64(r);
        }
        w.u32(0);
        RecordBatch two = codec.decode(Arrays.copyOf(w.array(), w.size()), in);
        assertThat(two.get(0).fields()).isSameAs(two.get(1).fields());
        assertThat(two.get(1).getLong("id")).isEqualTo(8L);
    }

    @Test
    void referencesAddingOtherNamesToOneShapeKeepTheirOwnNames() {
        BinaryBatchCodec codec = new BinaryBatchCodec(true);
        RecordBatch in = RecordBatch.of(IN, IN.toBuilder().set("id", 8L).build());
        codec.encode(in);
        BinaryBatchCodec.ByteWriter w = new BinaryBatchCodec.ByteWriter(64);
        w.u32(5);
        for (String n : List.of("id", "name", "p", "n2", "n3")) w.str(n);
        w.u32(4);
        int[] added = {3, 4, 4, 3};
        for (int r = 0; r < added.length; r++) {
            w.u32(r % 2);
            w.u32(BinaryBatchCodec.REFERENCE | 1);
            w.u32(added[r]);
            w.u8(BinaryBatchCodec.LONG);
            w.i64(r);
        }
        w.u32(0);
        RecordBatch out = codec.decode(Arrays.copyOf(w.array(), w.size()), in);
        assertThat(out.get(0).fields().names()).containsExactly("id", "name", "p", "n2");
        assertThat(out.get(1).fields().names()).containsExactly("id", "name", "p", "n3");
        assertThat(out.get(2).getLong("n3")).isEqualTo(2L);
        assertThat(out.get(2).getLong("id")).isEqualTo(7L);
        assertThat(out.get(3).getLong("n2")).isEqualTo(3L);
        assertThat(out.get(3).getLong("id")).isEqualTo(8L);
        assertThat(out.get(0).fields()).isSameAs(out.get(3).fields());
    }
}
