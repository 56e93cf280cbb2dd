package io.dataflare.plugins.files.output;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.api.sink.Rejections;
import io.dataflare.api.sink.Sink;
import io.dataflare.support.template.PathTemplate;
import io.dataflare.support.template.TemplateRejection;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Writes records to the file their {@link PathTemplate} names, in one {@link SinkFormat}. Files are
 * opened on their first record (truncated unless {@code append}) and kept open; beyond
 * {@code maxOpenFiles} the least recently used is synced and closed, and reopened for appending if
 * records for it come again. {@link #flush()} forces every open file to disk; {@link #write} never does.
 */
public final class FileSink implements Sink {
    private final PathTemplate template;
    private final SinkFormat format;
    private final boolean append;
    private final int maxOpenFiles;
    /** Open files by expanded path, least recently used first. */
    private final LinkedHashMap<String, OutputFile> open = new LinkedHashMap<>(16, 0.75f, true);
    /** Paths this instance has opened, so that a file closed early is appended to, not truncated again. */
    private final Set<String> started = new HashSet<>();
    /** Lengths of files closed early (beyond maxOpenFiles), for checkpoints. */
    private final Map<String, Long> closedLengths = new HashMap<>();

    private String lastTarget;
    private OutputFile lastOutput;
    /** Whether this instance resumed from a checkpoint (then its files are continued, not replaced). */
    private boolean restored;

    private boolean claimed;

    /**
     * @param template     where each record goes
     * @param format       how records are written
     * @param append       whether to append to existing files instead of truncating them at first open
     * @param maxOpenFiles how many files stay open at once
     */
    public FileSink(PathTemplate template, SinkFormat format, boolean append, int maxOpenFiles) {
        this.template = template;
        this.format = format;
        this.append = append;
        this.maxOpenFiles = Math.max(1, maxOpenFiles);
    }

    @Override
    public void write(RecordBatch batch, Rejections rejections) throws IOException {
        claimOutput();
        for (int i = 0; i < batch.size(); i++) {
            Record r = batch.get(i);
            OutputFile out;
            try {
                out = output(template.expand(r));
            } catch (TemplateRejection e) {
                rejections.reject(r, e.getMessage());
                continue;
            }
            out.encoder().encode(r);
        }
    }

    private OutputFile output(String target) throws IOException, TemplateRejection {
        // Consecutive records nearly always share a file (always, for a constant path).
        if (target == lastTarget || target.equals(lastTarget)) return lastOutput;
        OutputFile out = open.get(target);
        if (out == null) {
            var path = template.resolve(target);
            if (open.size() >= maxOpenFiles) closeEldest();
            boolean firstOpen = started.add(target);
            out = OutputFile.open(path, target, firstOpen && !append, format);
            open.put(target, out);
        }
        lastTarget = target;
        lastOutput = out;
        return out;
    }

    private void closeEldest() throws IOException {
        Iterator<Map.Entry<String, OutputFile>> it = open.entrySet().iterator();
        OutputFile eldest = it.next().getValue();
        it.remove();
        if (eldest == lastOutput) {
            lastTarget = null;
            lastOutput = null;
        }
        eldest.sync();
        closedLengths.put(eldest.target(), eldest.length());
        eldest.close();
    }

    /**
     * A run that does not resume owns its output: a constant path is replaced even when no record reaches
     * it, so a clean run never leaves the previous run's records (or dead letters) behind. Done on the first
     * write, flush or checkpoint, after {@link #restore}'s chance has passed (not on a close alone: a run
     * that failed to start leaves the outputs as they were). Files of a path with placeholders are replaced as
     * they are first written; files for values this run does not see are left alone (they may not be ours).
     */
    private void claimOutput() throws IOException {
        if (claimed) return;
        claimed = true;
        if (restored || append || !template.isConstant()) return;
        try {
            output(template.expand(null));
        } catch (TemplateRejection e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    @Override
    public void flush() throws IOException {
        claimOutput();
        for (OutputFile f : open.values()) f.sync();
    }

    /** Syncs every file and returns each file's length: {@code {"files": {target: length}}}. */
    @Override
    public Map<String, Object> checkpoint() throws IOException {
        claimOutput();
        Map<String, Object> lengths = new TreeMap<>(closedLengths);
        for (OutputFile f : open.values()) {
            f.sync();
            lengths.put(f.target(), f.length());
        }
        return Map.of("files", lengths);
    }

    /**
     * Cuts every file of the checkpoint back to its length; they are then appended to. Files the
     * checkpoint does not name were created after it: they are truncated when first written, as in a
     * fresh run.
     */
    @Override
    public void restore(Map<String, Object> state) throws IOException {
        restored = true;
        Object files = state.get("files");
        if (!(files instanceof Map<?, ?> m)) return;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String target = String.valueOf(e.getKey());
            long length = ((Number) e.getValue()).longValue();
            try {
                OutputFile.truncate(template.resolve(target), length);
            } catch (TemplateRejection escape) {
                throw new IOException("checkpointed file " + target + " is outside the sink's directory", escape);
            }
            started.add(target);
            closedLengths.put(target, length);
        }
    }

    @Override
    public void close() throws IOException {
        List<OutputFile> files = new ArrayList<>(open.values());
        open.clear();
        lastTarget = null;
        lastOutput = null;
        IOException first = null;
        for (OutputFile f : files) {
            try {
                f.close();
            } catch (IOException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        if (first != null) throw first;
    }
}
