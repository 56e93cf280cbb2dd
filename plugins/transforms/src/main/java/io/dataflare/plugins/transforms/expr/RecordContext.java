package io.dataflare.plugins.transforms.expr;

import io.dataflare.api.data.Record;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.commons.jexl3.JexlContext;

/**
 * The variables an expression sees: each field of the current record by name, plus {@code record}, a
 * read-only map view of the record for names that are not identifiers ({@code record['unit price']}).
 * Reads go straight to the record: binding a record costs nothing. A field named {@code record} is
 * reachable as {@code record['record']}. Reused across records by one processor instance.
 *
 * <p>In the default mode every name is defined, a field the record lacks reading as null, so records of
 * different shapes evaluate alike; in strict mode only the record's fields are, and JEXL reports any other
 * name as undefined.
 */
public final class RecordContext implements JexlContext {
    /** The variable holding the whole record. */
    public static final String RECORD = "record";

    private final boolean missingFieldsAreNull;
    private Record current;
    private Map<String, Object> view;

    /** A context; see {@link Expressions#newContext()}. */
    RecordContext(boolean missingFieldsAreNull) {
        this.missingFieldsAreNull = missingFieldsAreNull;
    }

    /** Makes {@code r} the record expressions see. */
    public RecordContext bind(Record r) {
        current = r;
        view = null;
        return this;
    }

    @Override
    public Object get(String name) {
        if (RECORD.equals(name)) return view();
        return current.get(name);
    }

    @Override
    public boolean has(String name) {
        return missingFieldsAreNull || RECORD.equals(name) || current.has(name);
    }

    @Override
    public void set(String name, Object value) {
        throw new UnsupportedOperationException("expressions cannot assign '" + name + "'");
    }

    private Map<String, Object> view() {
        if (view == null) view = new RecordView(current);
        return view;
    }

    /** A map over a record's fields, without copying them. */
    private static final class RecordView extends AbstractMap<String, Object> {
        private final Record r;

        RecordView(Record r) {
            this.r = r;
        }

        @Override
        public Object get(Object key) {
            return key instanceof String s ? r.get(s) : null;
        }

        @Override
        public boolean containsKey(Object key) {
            return key instanceof String s && r.has(s);
        }

        @Override
        public int size() {
            return r.size();
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return new AbstractSet<>() {
                @Override
                public Iterator<Entry<String, Object>> iterator() {
                    return new Iterator<>() {
                        private int i;

                        @Override
                        public boolean hasNext() {
                            return i < r.size();
                        }

                        @Override
                        public Entry<String, Object> next() {
                            if (i >= r.size()) throw new NoSuchElementException();
                            Entry<String, Object> e = new SimpleImmutableEntry<>(r.fieldName(i), r.value(i));
                            i++;
                            return e;
                        }
                    };
                }

                @Override
                public int size() {
                    return r.size();
                }
            };
        }
    }
}
