package io.dataflare.polyglot.component;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.error.PluginException;
import io.dataflare.api.source.Source;
import io.dataflare.polyglot.session.GuestValues;
import io.dataflare.polyglot.session.ScriptSession;
import java.util.List;
import java.util.Map;

/**
 * A script source: {@code open(ctx)} once, {@code poll(max)} for records (null / None at the end),
 * {@code position()} after each poll (a JSON value, stored in the checkpoint as its JSON text, {@code {script:
 * "..."}}, so that it comes back exactly as it was),
 * {@code seek(position)} when the pipeline resumes, {@code close()} at the end. All optional but {@code poll}.
 *
 * <p>A failed poll (it threw, timed out, hit a limit) may have moved the script on without handing over its
 * records. When the script can say and go back to its position, the host drops its context and starts a new
 * one at the last position handed over ({@code open}, then {@code seek}), so the engine's retry reads the same
 * records again and none is lost; without {@code position} / {@code seek} the retry polls the same context.
 */
public final class ScriptSource implements Source {
    /** The key of the script's position (its JSON text) in the position map the engine stores. */
    static final String POSITION = "script";

    private final ScriptSession session;
    private final boolean resumable;
    private Map<String, Object> position;
    private int opened;

    public ScriptSource(ScriptSession session) {
        this.session = session;
        // a Python script is not run at load, so this is where a missing poll shows
        if (!session.has("poll")) throw missing(session, "poll(max)", "source");
        this.resumable = session.has("position") && session.has("seek");
        start();
    }

    static PluginException missing(ScriptSession session, String function, String kind) {
        session.close();
        return new PluginException(
                ErrorClass.PLUGIN_ERROR, session.label() + " defines no " + function + ": a " + kind + " script must");
    }

    /** Opens the script in the session's current context, at the last position handed over if any. */
    private void start() {
        if (session.has("open")) session.call("open", v -> null);
        opened = session.generation();
        if (position != null && session.has("seek"))
            session.call("seek", v -> null, new ScriptSession.Json(text(position)));
    }

    private static String text(Map<String, Object> position) {
        Object t = position.get(POSITION);
        if (!(t instanceof String s)) throw new IllegalArgumentException("not a script source's position: " + position);
        return s;
    }

    @Override
    public void seek(Map<String, Object> position) {
        if (!session.has("seek")) {
            throw new UnsupportedOperationException(
                    session.label() + " defines no seek(position): it cannot resume from a checkpoint");
        }
        if (opened != session.generation()) start();
        session.call("seek", v -> null, new ScriptSession.Json(text(position)));
        this.position = position;
    }

    @Override
    public RecordBatch poll(int maxRecords) {
        if (opened != session.generation()) start(); // the last call cost the context
        List<Record> records;
        Map<String, Object> p = null;
        try {
            records = session.call("poll", v -> ComponentJson.records(v, "poll"), maxRecords);
            if (records != null && session.has("position"))
                p = Map.of(POSITION, ComponentJson.json(session.call("position", GuestValues::toPlain)));
        } catch (PluginException e) {
            if (resumable) session.reset(); // the next poll starts afresh at the last position handed over
            throw e;
        }
        if (records == null) return null;
        RecordBatch.Builder b = RecordBatch.builder(Math.max(records.size(), 1));
        for (Record r : records) b.add(r);
        if (p != null) {
            position = p;
            b.position(p);
        }
        return b.build();
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
