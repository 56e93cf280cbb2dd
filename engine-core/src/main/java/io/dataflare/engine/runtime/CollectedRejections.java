package io.dataflare.engine.runtime;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.sink.Rejections;
import java.util.ArrayList;
import java.util.List;

/**
 * The records a sink rejected while writing one batch, as the engine and cluster runners hand them to their
 * failure handling. A plugin error on one record means that record is bad ({@code invalid_record}), not the sink.
 */
public final class CollectedRejections implements Rejections {
    private final List<Rejection> list = new ArrayList<>(0);

    @Override
    public void reject(Record record, String reason) {
        list.add(Rejection.invalid(record, reason));
    }

    @Override
    public void reject(Record record, Throwable error) {
        String cls = ErrorClassifier.classify(error);
        list.add(new Rejection(
                record,
                ErrorClassifier.message(error),
                cls.equals(ErrorClass.PLUGIN_ERROR) ? ErrorClass.INVALID_RECORD : cls,
                error));
    }

    /** The rejections, in the order the sink made them. */
    public List<Rejection> list() {
        return list;
    }
}
