package io.dataflare.flink;

import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import java.util.List;
import java.util.Map;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Right behind a source stage's Flink source (chained to it, so nothing is copied): counts what the source read,
 * hands the lines it rejected to the error policy (dead letters, skip or abort) and sends its records on.
 */
final class SourceStageOperator extends StageOperator<SourceItem> {
    private static final long serialVersionUID = 1L;

    SourceStageOperator(JobSpec spec, String stage, int mainReaders) {
        super(spec, stage, mainReaders, Map.of());
    }

    @Override
    public void processElement(StreamRecord<SourceItem> element) {
        SourceItem item = element.getValue();
        counters.increment(stage, Metrics.IN);
        if (item.rejected()) {
            failures.rejected(List.of(new Rejection(item.record(), item.reason(), item.errorClass(), null)));
        } else {
            emit(RecordBatch.of(item.record()));
        }
    }
}
