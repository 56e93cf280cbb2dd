package io.dataflare.cli.daemon;

import io.dataflare.cli.SignalSource;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * One client's command in the daemon: its command line, its standard streams (output and error sent back as
 * frames, input fed from the client's frames) and the signals it forwards.
 */
public final class DaemonRequest implements AutoCloseable {
    /** The argument of a status query ({@code dataflare daemon status}), which runs no command. */
    static final String STATUS = "\0status";

    private final SocketChannel channel;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final DaemonProtocol.Hello hello;
    private final PipedInputStream stdin = new PipedInputStream(64 * 1024);
    private final PipedOutputStream stdinFeed;
    private final Map<String, Runnable> handlers = new ConcurrentHashMap<>();
    private volatile Thread runner;
    private volatile boolean abandoned;
    private boolean exited;

    private DaemonRequest(SocketChannel channel) throws IOException {
        this.channel = channel;
        this.out = new DataOutputStream(Channels.newOutputStream(channel));
        this.in = new DataInputStream(Channels.newInputStream(channel));
        this.hello = DaemonProtocol.Hello.read(in);
        this.stdinFeed = new PipedOutputStream(stdin);
    }

    static DaemonRequest open(SocketChannel channel) throws IOException {
        return new DaemonRequest(channel);
    }

    public DaemonProtocol.Hello hello() {
        return hello;
    }

    public String[] args() {
        return hello.args().clone();
    }

    public boolean terminal() {
        return hello.terminal();
    }

    /** The command's standard output, sent to the client. */
    public PrintStream stdout() {
        return new PrintStream(new FrameStream(DaemonProtocol.STDOUT), true, StandardCharsets.UTF_8);
    }

    /** The command's standard error, sent to the client. */
    public PrintStream stderr() {
        return new PrintStream(new FrameStream(DaemonProtocol.STDERR), true, StandardCharsets.UTF_8);
    }

    /** The command line, and which signals it stops on (once it handles them: a run does, once under way). */
    String describe() {
        String stops = handlers.keySet().stream().sorted().map(n -> "SIG" + n).collect(Collectors.joining(", "));
        return "dataflare " + String.join(" ", hello.args())
                + (stops.isEmpty() ? "" : " (stops gracefully on " + stops + ")");
    }

    /** The client's standard input; starts flowing once the command runs (see {@link #start()}). */
    public InputStream stdin() {
        return stdin;
    }

    /**
     * The client's signals. A signal no handler waits for ends the command as it would end a JVM of its own:
     * the client is told it exited 130 (143 for TERM) and the command's thread is interrupted.
     */
    public SignalSource signals() {
        return (name, handler) -> {
            handlers.put(name, handler);
            return () -> handlers.remove(name, handler);
        };
    }

    /** Starts reading the client's frames: its input and signals. Call from the thread that runs the command. */
    public void start() throws IOException {
        runner = Thread.currentThread();
        // an empty frame tells the client the command runs: it starts sending its standard input
        DaemonProtocol.frame(out, DaemonProtocol.STDERR, new byte[0], 0, 0);
        Thread.ofPlatform().daemon(true).name("df-daemon-input").start(this::readFrames);
    }

    private void readFrames() {
        try {
            while (true) {
                byte type = in.readByte();
                byte[] data = in.readNBytes(in.readInt());
                switch (type) {
                    case DaemonProtocol.STDIN -> feed(data);
                    case DaemonProtocol.STDIN_END -> stdinFeed.close();
                    case DaemonProtocol.SIGNAL -> signal(new String(data, StandardCharsets.UTF_8));
                    default -> throw new IOException("unexpected frame " + type);
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the client ended (or closed its side): a command still running has no one to answer
            closeQuietly(stdinFeed);
            if (!abandoned) abandon(-1);
        }
    }

    private void feed(byte[] data) {
        try {
            stdinFeed.write(data);
        } catch (IOException notRead) {
            // the command no longer reads its input (it ended, or closed it): what comes after is not for it
        }
    }

    private void signal(String name) throws IOException {
        Runnable handler = handlers.get(name);
        if (handler != null) {
            handler.run();
            return;
        }
        abandon("TERM".equals(name) ? 143 : 130);
    }

    /** The client no longer waits for the command (it went away or asked to stop it): interrupt it. */
    private void abandon(int code) {
        abandoned = true;
        if (code >= 0) {
            try {
                exit(code);
            } catch (IOException gone) {
                // nothing to tell
            }
        }
        Thread r = runner;
        if (r != null) r.interrupt();
    }

    /** Tells the client the command's exit code (once). */
    synchronized void exit(int code) throws IOException {
        if (exited) return;
        exited = true;
        DaemonProtocol.frame(out, DaemonProtocol.EXIT, Integer.toString(code));
    }

    void refuse(String why) throws IOException {
        DaemonProtocol.frame(out, DaemonProtocol.REFUSED, why);
    }

    void finish(String text, int code) throws IOException {
        DaemonProtocol.frame(out, DaemonProtocol.STDOUT, text);
        exit(code);
    }

    @Override
    public void close() {
        closeQuietly(stdinFeed);
        try {
            channel.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing
        }
    }

    /** Output sent as frames; after the client went away it is dropped (the command may still be ending). */
    private final class FrameStream extends OutputStream {
        private final byte type;

        FrameStream(byte type) {
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (abandoned || len == 0) return;
            try {
                DaemonProtocol.frame(out, type, b, off, len);
            } catch (IOException gone) {
                abandoned = true;
            }
        }
    }
}
