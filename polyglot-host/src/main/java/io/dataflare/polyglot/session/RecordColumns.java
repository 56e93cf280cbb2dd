package io.dataflare.polyglot.session;

import io.dataflare.api.data.Fields;
import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import java.util.Arrays;

/**
 * Records of one shape handed to the guest as columns (host arrays, one per field, that the driver's
 * {@code columns(names...)(cols, n)} reads in one loop): a call per run of records rather than per record.
 * Only values that cross without parsing in the guest ({@link RecordEncoder#plain}) go this way; a record
 * with a list, map or decimal ends the run and crosses by the driver's {@code add}. One per processor
 * instance: the arrays are reused for every batch and cleared after each call.
 */
final class RecordColumns {
    private Object[][] cols = new Object[0][];
    private int touched;

    /** The columns, for the guest: {@code cols[j][k]} is field j of the run's k-th record. */
    Object[][] array() {
        return cols;
    }

    /**
     * Fills the columns with the records of {@code batch} from {@code from} on that have the first one's fields
     * and only plain values.
     *
     * @return how many (0 when the first one has a value that is not plain)
     */
    int fill(RecordBatch batch, int from) {
        Fields fields = batch.get(from).fields();
        int w = fields.size();
        ensure(w, batch.size() - from);
        int n = 0;
        run:
        for (int i = from; i < batch.size(); i++) {
            Record r = batch.get(i);
            if (r.fields() != fields && !r.fields().equals(fields)) break;
            touched = Math.max(touched, n + 1);
            for (int j = 0; j < w; j++) {
                Object v = RecordEncoder.plain(r.value(j));
                if (v == RecordEncoder.NOT_PLAIN) break run;
                cols[j][n] = v;
            }
            n++;
        }
        return n;
    }

    /** Drops the references to the last call's values. */
    void clear() {
        for (Object[] c : cols) Arrays.fill(c, 0, Math.min(touched, c.length), null);
        touched = 0;
    }

    private void ensure(int width, int rows) {
        int have = cols.length == 0 ? 0 : cols[0].length;
        if (width <= cols.length && rows <= have) return;
        int n = Math.max(rows, have);
        Object[][] c = new Object[Math.max(width, cols.length)][];
        for (int j = 0; j < c.length; j++) c[j] = new Object[n];
        cols = c;
    }
}
