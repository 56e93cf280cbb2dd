package io.dataflare.polyglot.component;

import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.polyglot.session.GuestValues;
import io.dataflare.polyglot.session.ScriptSession;
import java.util.Map;

/**
 * A script sink: {@code write(batch, ctx)} per batch (an array of records; {@code ctx.reject(record, reason)}
 * reports one that cannot be written), {@code flush()} when what was written must be durable, and for
 * exactly-once delivery {@code checkpoint()} (a JSON value saying how to come back to this point, e.g. a
 * file's length; stored in the checkpoint as its JSON text) and {@code restore(state)} (undo what was written
 * after it) before a resumed run's first write. All optional but {@code write}. What the script appended through
 * {@code ctx.files} is made durable after its {@code flush}.
 */
public final class ScriptSink implements Sink {
    /** The key of the script's checkpoint state (its JSON text) in the state map the engine stores. */
    static final String STATE = "script";

    private final ScriptSession session;

    public ScriptSink(ScriptSession session) {
        this.session = session;
        if (!session.has("write")) throw ScriptSource.missing(session, "write(batch, ctx)", "sink");
        if (session.has("open")) session.call("open", v -> null);
    }

    @Override
    public void write(RecordBatch batch, Rejections rejections) {
        if (batch.size() == 0) return;
        session.rejector((i, reason) -> {
            if (i < 0 || i >= batch.size())
                throw new IllegalArgumentException("ctx.reject(record, reason): the record is not one of this batch's");
            rejections.reject(batch.get(i), reason);
        });
        session.call("write", v -> null, new ScriptSession.Batch(ComponentJson.records(batch)));
    }

    @Override
    public void flush() throws Exception {
        if (session.has("flush")) session.call("flush", v -> null);
        session.syncFiles();
    }

    /** Flushes, then the script's {@code checkpoint()}; null (at-least-once) when it has none or returns null. */
    @Override
    public Map<String, Object> checkpoint() throws Exception {
        flush();
        if (!session.has("checkpoint")) return null;
        Object state = session.call("checkpoint", GuestValues::toPlain);
        return state == null ? null : Map.of(STATE, ComponentJson.json(state));
    }

    @Override
    public void restore(Map<String, Object> state) {
        if (!session.has("restore")) {
            throw new UnsupportedOperationException(
                    session.label() + " defines checkpoint() but no restore(state): it cannot resume");
        }
        if (!(state.get(STATE) instanceof String text))
            throw new IllegalArgumentException("not a script sink's checkpoint state: " + state);
        session.call("restore", v -> null, new ScriptSession.Json(text));
    }

    @Override
    public void close() {
        try {
            if (session.has("close")) session.call("close", v -> null);
        } finally {
            session.close();
        }
    }
}
