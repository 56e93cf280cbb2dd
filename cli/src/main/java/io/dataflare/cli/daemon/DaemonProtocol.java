package io.dataflare.cli.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a {@link DaemonClient} and the {@link DaemonServer} say to each other over the daemon's Unix socket, and
 * where that socket is. Only JDK classes: the client starts with the CLI's own JAR alone on its class path.
 *
 * <p>The client opens with its {@link Hello}; then both sides send frames {@code [type byte][length int][bytes]}:
 * the client its standard input and the signals it receives, the daemon the command's standard output and error
 * and, last, its exit code (or why it refused the command, and the client runs it in a JVM of its own).
 */
final class DaemonProtocol {
    static final int VERSION = 1;

    // client -> daemon
    static final byte STDIN = 1;
    static final byte STDIN_END = 2;
    static final byte SIGNAL = 3;
    // daemon -> client
    static final byte STDOUT = 11;
    static final byte STDERR = 12;
    static final byte EXIT = 13;
    static final byte REFUSED = 14;

    /** The exit code of a client whose command the daemon did not take: the launcher then starts a JVM for it. */
    static final int NOT_TAKEN = 254;

    /**
     * Variables a shell changes between two commands without meaning anything to DataFlare: they do not make
     * a client's environment differ from the daemon's.
     */
    private static final Set<String> VOLATILE_ENV = Set.of(
            "_",
            "OLDPWD",
            "PWD",
            "SHLVL",
            "TERM",
            "COLUMNS",
            "LINES",
            // the launcher's own, or what only shapes the daemon's JVM (its options are its own)
            "DATAFLARE_DAEMON",
            "DATAFLARE_DAEMON_VERBOSE",
            "DATAFLARE_SKIP_BUILD",
            "DATAFLARE_JAVA_OPTS",
            "DATAFLARE_JIT",
            "DATAFLARE_GC");

    private DaemonProtocol() {}

    /**
     * The client's opening.
     *
     * @param cwd         its working directory
     * @param environment the fingerprint of its environment ({@link #fingerprint})
     * @param build       the fingerprint of the distribution it belongs to ({@link #build})
     * @param terminal    whether its standard error is an interactive terminal (progress lines)
     */
    record Hello(String cwd, String environment, String build, boolean terminal, String[] args) {
        void write(DataOutputStream out) throws IOException {
            out.writeInt(VERSION);
            out.writeUTF(cwd);
            out.writeUTF(environment);
            out.writeUTF(build);
            out.writeBoolean(terminal);
            out.writeInt(args.length);
            for (String a : args) writeString(out, a);
            out.flush();
        }

        static Hello read(DataInputStream in) throws IOException {
            int version = in.readInt();
            if (version != VERSION) throw new IOException("protocol version " + version + ", expected " + VERSION);
            String cwd = in.readUTF();
            String env = in.readUTF();
            String build = in.readUTF();
            boolean terminal = in.readBoolean();
            int n = in.readInt();
            if (n < 0 || n > 10_000) throw new IOException("bad argument count " + n);
            String[] args = new String[n];
            for (int i = 0; i < n; i++) args[i] = readString(in);
            return new Hello(cwd, env, build, terminal, args);
        }
    }

    static void frame(DataOutputStream out, byte type, byte[] data, int off, int len) throws IOException {
        synchronized (out) {
            out.writeByte(type);
            out.writeInt(len);
            out.write(data, off, len);
            out.flush();
        }
    }

    static void frame(DataOutputStream out, byte type, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        frame(out, type, b, 0, b.length);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > (1 << 20)) throw new IOException("bad argument length " + n);
        return new String(in.readNBytes(n), StandardCharsets.UTF_8);
    }

    /** A digest of the environment variables that matter (all but {@link #VOLATILE_ENV}), in name order. */
    static String fingerprint(Map<String, String> env) {
        StringBuilder text = new StringBuilder();
        new TreeMap<>(env).forEach((k, v) -> {
            if (!VOLATILE_ENV.contains(k)) text.append(k).append('=').append(v).append('\0');
        });
        return sha256(text.toString());
    }

    /** The distribution: its home and the time it was last built (the launcher's marker file), so a rebuild is seen. */
    static String build(Path home) {
        Path marker = home.resolve(".built");
        long built = marker.toFile().lastModified(); // 0 when absent
        return sha256(home.toAbsolutePath().normalize() + "\0" + built);
    }

    /** The socket of the daemon serving {@code cwd} with the distribution at {@code home}. */
    static Path socket(Path cacheDir, Path cwd, Path home) {
        String key = sha256(cwd.toAbsolutePath().normalize() + "\0"
                        + home.toAbsolutePath().normalize())
                .substring(0, 16);
        return cacheDir.resolve("daemons").resolve(key + ".sock");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
