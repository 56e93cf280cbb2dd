package io.dataflare.api.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Records added to named outputs keep their output through the batch operations the engine uses. */
class RecordBatchOutputsTest {
    private static final Fields F = Fields.of("id");

    private static Record rec(long id) {
        return Record.of(F, id);
    }

    @Test
    void eachRecordKnowsItsOutputAndPlainRecordsGoToTheMainOne() {
        Record one = rec(1);
        RecordBatch b = RecordBatch.builder(1) // capacity 1: outputs must grow with the records
                .add(rec(0))
                .add("high", one)
                .add("eu", one)
                .add(rec(2))
                .build();
        assertThat(b.size()).isEqualTo(4);
        assertThat(b.output(0)).isNull();
        assertThat(List.of(b.output(1), b.output(2))).containsExactly("high", "eu");
        assertThat(b.output(3)).isNull();
        assertThat(b.get(1)).isSameAs(b.get(2));
        assertThatThrownBy(() -> b.output(4)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aBatchWithoutNamedOutputsSendsEverythingToTheMainOne() {
        RecordBatch b = RecordBatch.of(rec(0), rec(1));
        assertThat(b.output(0)).isNull();
        assertThat(b.output(1)).isNull();
    }

    @Test
    void addAllAndWithoutRejectionsKeepOutputsWithRecordsDropsThem() {
        RecordBatch b = RecordBatch.builder()
                .add("high", rec(0))
                .reject(rec(9), "bad")
                .add(rec(1))
                .build();
        RecordBatch copied = RecordBatch.builder().add("eu", rec(5)).addAll(b).build();
        assertThat(List.of(copied.output(0), copied.output(1))).containsExactly("eu", "high");
        assertThat(copied.output(2)).isNull();

        RecordBatch kept = b.withoutRejections();
        assertThat(kept.rejections()).isEmpty();
        assertThat(kept.output(0)).isEqualTo("high");

        assertThat(b.withRecords(b.records()).output(0)).isNull();
    }

    @Test
    void anOutputNameIsRequired() {
        RecordBatch.Builder b = RecordBatch.builder();
        assertThatThrownBy(() -> b.add(null, rec(0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.add("", rec(0))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.add("high", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void aBuilderReusedAfterBuildStartsWithoutOutputs() {
        RecordBatch.Builder b = RecordBatch.builder();
        b.add("high", rec(0)).build();
        RecordBatch second = b.add(rec(1)).build();
        assertThat(second.output(0)).isNull();
    }
}
