package io.dataflare.wasm.abi;

import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.data.Rejection;
import io.dataflare.api.error.ErrorClass;
import io.dataflare.api.source.Source;
import io.dataflare.wasm.sandbox.WasmPluginException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A WASM source. One that exports {@code df_position} and {@code df_seek} resumes: after every batch the host
 * asks for its position (the bytes it outputs, as UTF-8 text) and stores it with the batch, so a checkpoint
 * holds it; resuming hands the same text back to {@code df_seek}. A new WASM instance (after a trap or a
 * timeout) is sought to the position of the last batch delivered, so its records are neither lost nor doubled.
 */
final class AbiSource implements Source {
    static final String POSITION = "df_position", SEEK = "df_seek";
    /** The key of the module's position text in the batch position (and so in the checkpoint). */
    static final String KEY = "wasm";

    private final AbiSession session;
    private final boolean resumes;
    private String last;

    AbiSource(AbiSession session, boolean resumes) {
        this.session = session;
        this.resumes = resumes;
        if (resumes)
            session.onNewInstance(instance -> {
                if (last != null) check(session.callOn(instance, SEEK, last.getBytes(StandardCharsets.UTF_8)));
            });
    }

    @Override
    public void seek(Map<String, Object> position) throws Exception {
        if (!resumes) Source.super.seek(position);
        Object text = position.get(KEY);
        if (!(text instanceof String s)) {
            throw new IllegalArgumentException("wasm plugin " + session.label() + ": the checkpoint's position "
                    + position + " has no '" + KEY + "' text (written by another source?)");
        }
        last = s;
        session.discard(); // the next instance is sought to it (the one seek call, with its time limit)
        session.start(); // now, so that a module that cannot seek there fails the resume, not a later poll
    }

    @Override
    public RecordBatch poll(int maxRecords) {
        RecordBatch b = session.callWithInt("df_poll", maxRecords);
        if (b == null || !resumes) return b;
        try {
            check(session.callNoArgs(POSITION));
        } catch (RuntimeException e) {
            // the batch is not delivered: the next instance starts again from the last position delivered
            session.discard();
            throw e;
        }
        byte[] out = session.output();
        String position = out == null ? "" : new String(out, StandardCharsets.UTF_8);
        RecordBatch.Builder withPosition = RecordBatch.builder(b.size()).addAll(b);
        for (Rejection r : b.rejections()) withPosition.reject(r);
        last = position;
        return withPosition.position(Map.of(KEY, position)).build();
    }

    private void check(int status) {
        if (status != AbiSession.OK) {
            throw new WasmPluginException(
                    ErrorClass.PLUGIN_ERROR,
                    session.label(),
                    "df_position/df_seek returned " + status + ": " + session.reason(),
                    null);
        }
    }

    @Override
    public void close() {
        session.close();
    }
}
