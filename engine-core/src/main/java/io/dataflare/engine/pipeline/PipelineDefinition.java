package io.dataflare.engine.pipeline;

import io.dataflare.engine.config.Location;
import io.dataflare.engine.config.Redactor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A pipeline as written: parsed and checked for shape, not yet resolved against plugins (that is
 * {@link PipelineValidator}'s job).
 *
 * @param name     the pipeline name
 * @param id       the identity its checkpoints are kept under when the file gives one ({@code id:}), else null
 * @param source   the file (or other source) it was read from, for messages
 * @param baseDir  the directory relative paths are resolved against
 * @param stages   the stages in file order (sources, then processors, then sinks)
 * @param policies the policies
 * @param runtime  the runtime settings
 * @param redactor the secrets it referenced, to mask in output
 */
public record PipelineDefinition(
        String name,
        String id,
        String source,
        Path baseDir,
        List<StageDefinition> stages,
        PoliciesDefinition policies,
        RuntimeSettings runtime,
        Redactor redactor) {
    public PipelineDefinition {
        stages = List.copyOf(stages);
    }

    /** The stages of one role, in file order. */
    public List<StageDefinition> stages(StageRole role) {
        List<StageDefinition> out = new ArrayList<>();
        for (StageDefinition s : stages) {
            if (s.role() == role) out.add(s);
        }
        return out;
    }

    /** The stage named {@code name}, or null. */
    public StageDefinition stage(String name) {
        for (StageDefinition s : stages) {
            if (s.name().equals(name)) return s;
        }
        return null;
    }

    /** What the {@code from:} entry {@code written} reads (see {@link StageRef}). */
    public StageRef ref(String written) {
        return StageRef.of(written, n -> stage(n) != null);
    }

    /**
     * The key its checkpoints (and its state lock) are kept under: the {@code id:} when the file gives one,
     * else the name followed by a digest of the file's canonical path. Two pipelines of the same name in
     * different files, or run from one directory, never share a checkpoint; the same file run from
     * anywhere does.
     */
    public String stateKey() {
        if (id != null) return id;
        String name64 = name.length() > 64 ? name.substring(0, 64) : name;
        try {
            byte[] h = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(canonicalSource().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return name64 + "-" + java.util.HexFormat.of().formatHex(h, 0, 6);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The file it was read from as an absolute path with links resolved (as given when it is not a file). */
    public String canonicalSource() {
        try {
            Path p = Path.of(source);
            if (!p.isAbsolute() && baseDir != null && p.getFileName() != null) p = baseDir.resolve(p.getFileName());
            return java.nio.file.Files.exists(p)
                    ? p.toRealPath().toString()
                    : p.toAbsolutePath().normalize().toString();
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            return source;
        }
    }

    /** Where the pipeline starts (for errors about the whole pipeline). */
    public Location location() {
        return Location.of(source);
    }
}
