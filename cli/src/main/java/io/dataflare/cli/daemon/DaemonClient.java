package io.dataflare.cli.daemon;

import io.dataflare.cli.Terminal;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.reflect.Proxy;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code dataflare} in a JVM that only forwards: it hands the command line, its standard input and its
 * signals to the warm {@link DaemonServer} started in the same folder, and prints what the command prints.
 * Exits with the command's exit code, or {@link DaemonProtocol#NOT_TAKEN} when there is no daemon for this
 * folder or it would not take the command (another environment, another build, busy), and the launcher then
 * runs the command in a JVM of its own.
 *
 * <p>Started by the launcher with {@code -Ddataflare.home} and {@code -Ddataflare.cache.dir}.
 */
public final class DaemonClient {
    private DaemonClient() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        String home = System.getProperty("dataflare.home");
        String cache = System.getProperty("dataflare.cache.dir");
        if (home == null || cache == null || cache.equals("off")) return DaemonProtocol.NOT_TAKEN;
        Path cwd = Path.of("").toAbsolutePath();
        Path socket = DaemonProtocol.socket(Path.of(cache), cwd, Path.of(home));
        if (!Files.exists(socket)) return DaemonProtocol.NOT_TAKEN;
        SocketChannel channel;
        try {
            channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException | RuntimeException gone) {
            return DaemonProtocol.NOT_TAKEN; // a daemon that died left its socket file
        }
        try (channel) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
            DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
            new DaemonProtocol.Hello(
                            cwd.toString(),
                            DaemonProtocol.fingerprint(System.getenv()),
                            DaemonProtocol.build(Path.of(home)),
                            terminal(),
                            args)
                    .write(out);
            forwardSignals(out);
            return answer(in, out);
        } catch (IOException e) {
            System.err.println("dataflare: lost the daemon (" + e.getMessage() + ")");
            return 1;
        }
    }

    /**
     * Whether standard input and output are a terminal, as the launcher's {@code [ -t 0 ] && [ -t 1 ]} says: asking
     * {@link System#console()} here would start the JDK's line editor, whose exit waits on its read of an open pipe.
     */
    private static boolean terminal() {
        String said = System.getProperty("dataflare.terminal");
        return said == null ? Terminal.interactive() : Boolean.parseBoolean(said);
    }

    /** Prints the command's output until its exit code; standard input is forwarded once the daemon took it. */
    private static int answer(DataInputStream in, DataOutputStream out) throws IOException {
        boolean taken = false;
        while (true) {
            byte type;
            try {
                type = in.readByte();
            } catch (EOFException e) {
                System.err.println("dataflare: the daemon went away before the command ended");
                return 1;
            }
            byte[] data = in.readNBytes(in.readInt());
            switch (type) {
                case DaemonProtocol.STDOUT -> write(System.out, data);
                case DaemonProtocol.STDERR -> write(System.err, data);
                case DaemonProtocol.EXIT -> {
                    System.out.flush();
                    stopForwardingStdin();
                    return Integer.parseInt(new String(data, StandardCharsets.UTF_8));
                }
                case DaemonProtocol.REFUSED -> {
                    if (System.getenv("DATAFLARE_DAEMON_VERBOSE") != null) {
                        System.err.println("dataflare: the daemon did not take the command: "
                                + new String(data, StandardCharsets.UTF_8));
                    }
                    return DaemonProtocol.NOT_TAKEN;
                }
                default -> throw new IOException("unexpected frame " + type);
            }
            if (!taken) {
                taken = true;
                forwardStdin(out);
            }
        }
    }

    private static void write(OutputStream target, byte[] data) throws IOException {
        target.write(data);
        target.flush();
    }

    /**
     * Standard input, as it comes; read only once the command runs, so that a refused one still has it all. Read
     * through an interruptible channel: at exit the JVM waits up to 300 ms for a thread blocked in a plain read of
     * an open pipe, which {@link #stopForwardingStdin()} spares every command whose input stays open.
     */
    private static void forwardStdin(DataOutputStream out) {
        FileChannel stdin = new FileInputStream(FileDescriptor.in).getChannel();
        stdinForwarder = Thread.ofPlatform().daemon(true).name("df-stdin").start(() -> {
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            try {
                while (stdin.read(buf.clear()) > 0) {
                    DaemonProtocol.frame(out, DaemonProtocol.STDIN, buf.array(), 0, buf.position());
                }
                DaemonProtocol.frame(out, DaemonProtocol.STDIN_END, buf.array(), 0, 0);
            } catch (IOException closedOrInterrupted) {
                // the command ended first
            }
        });
    }

    private static volatile Thread stdinForwarder;

    private static void stopForwardingStdin() {
        Thread t = stdinForwarder;
        if (t == null) return;
        t.interrupt(); // closes the channel, which wakes the read
        try {
            t.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ctrl-C and SIGTERM go to the command (a run stops gracefully and prints its summary), not to this JVM. */
    private static void forwardSignals(DataOutputStream out) {
        for (String name : new String[] {"INT", "TERM"}) {
            try {
                Class<?> signal = Class.forName("sun.misc.Signal");
                Class<?> handler = Class.forName("sun.misc.SignalHandler");
                Object forward = Proxy.newProxyInstance(
                        DaemonClient.class.getClassLoader(),
                        new Class<?>[] {handler},
                        (proxy, method, margs) -> switch (method.getName()) {
                            case "handle" -> {
                                DaemonProtocol.frame(out, DaemonProtocol.SIGNAL, name);
                                yield null;
                            }
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == margs[0];
                            default -> "forward SIG" + name;
                        });
                signal.getMethod("handle", signal, handler)
                        .invoke(null, signal.getConstructor(String.class).newInstance(name), forward);
            } catch (ReflectiveOperationException | RuntimeException unavailable) {
                // no such signal here, or -Xrs: the default applies (the client ends, the daemon sees it go)
            }
        }
    }
}
