package io.dataflare.cli.daemon;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The warm JVM behind {@code dataflare daemon}: listens on a Unix socket that only its user can reach and runs
 * the commands its clients hand it, one at a time, as {@code dataflare} would in a fresh JVM started in the same
 * folder with the same environment (a client in another folder, with other environment variables or from a
 * rebuilt distribution is refused and runs its own JVM; so is one that comes while a command runs). Ends when
 * stopped or after an idle time.
 */
public final class DaemonServer implements AutoCloseable {
    /** Runs one command line for a client (the CLI's {@code Main.executeWith}). */
    public interface Commands {
        int run(DaemonRequest request) throws IOException;
    }

    private final Path socket;
    private final String cwd;
    private final String environment;
    private final String build;
    private final Duration idle;
    private final Commands commands;
    private final ServerSocketChannel server;
    private final ReentrantLock busy = new ReentrantLock();
    private final AtomicLong served = new AtomicLong();
    private final Instant started = Instant.now();
    private volatile Instant lastUsed = Instant.now();
    private volatile boolean closed;
    private volatile DaemonRequest running;

    public DaemonServer(Path socket, Path cwd, String environment, String build, Duration idle, Commands commands)
            throws IOException {
        this.socket = socket;
        this.cwd = cwd.toAbsolutePath().normalize().toString();
        this.environment = environment;
        this.build = build;
        this.idle = idle;
        this.commands = commands;
        Path dir = socket.getParent();
        Files.createDirectories(dir);
        try {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // the platform's defaults apply
        }
        if (Files.exists(socket) && reachable(socket)) {
            throw new IOException("a daemon already serves " + cwd + " (" + socket + ")");
        }
        Files.deleteIfExists(socket); // left by a daemon that was killed
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.writeString(DaemonSockets.pidFile(socket), ProcessHandle.current().pid() + "\n");
    }

    /** The standard daemon for a folder, its socket under the cache folder. */
    public static DaemonServer standard(Path cacheDir, Path cwd, Path home, Duration idle, Commands commands)
            throws IOException {
        return new DaemonServer(
                DaemonProtocol.socket(cacheDir, cwd, home),
                cwd,
                DaemonProtocol.fingerprint(System.getenv()),
                DaemonProtocol.build(home),
                idle,
                commands);
    }

    public Path socket() {
        return socket;
    }

    /** Serves clients until {@link #close()} or the idle time passed with no command. */
    public void serve() throws IOException {
        Thread idleWatch =
                Thread.ofPlatform().daemon(true).name("df-daemon-idle").start(this::closeWhenIdle);
        try {
            while (!closed) {
                SocketChannel client;
                try {
                    client = server.accept();
                } catch (ClosedChannelException stopped) {
                    return;
                }
                Thread.ofPlatform().name("df-daemon-client").start(() -> handle(client));
            }
        } finally {
            idleWatch.interrupt();
            close();
        }
    }

    private void handle(SocketChannel client) {
        try (DaemonRequest request = DaemonRequest.open(client)) {
            DaemonProtocol.Hello hello = request.hello();
            if (hello.args().length == 1 && hello.args()[0].equals(DaemonRequest.STATUS)) {
                request.finish(status(), 0);
                return;
            }
            String refusal = refusal(hello);
            if (refusal != null) {
                request.refuse(refusal);
                if (!build.equals(hello.build())) close(); // this daemon is out of date: let the next one start
                return;
            }
            if (!busy.tryLock()) {
                request.refuse("busy with another command");
                return;
            }
            try {
                running = request;
                int code = commands.run(request);
                served.incrementAndGet();
                request.exit(code);
            } finally {
                running = null;
                lastUsed = Instant.now();
                busy.unlock();
            }
        } catch (IOException | RuntimeException e) {
            // the client went away; its command ended or was interrupted with it
        }
    }

    private String refusal(DaemonProtocol.Hello hello) {
        if (!build.equals(hello.build())) return "the distribution was rebuilt since the daemon started";
        if (!cwd.equals(hello.cwd())) return "the daemon serves " + cwd + ", not " + hello.cwd();
        if (!environment.equals(hello.environment())) return "the environment variables differ from the daemon's";
        return null;
    }

    private String status() {
        return "daemon pid " + ProcessHandle.current().pid() + " serving " + cwd + " since " + started + ", "
                + served.get() + " command(s) run, last at " + lastUsed
                + (running == null ? "" : "; running: " + running.describe()) + "\n";
    }

    private void closeWhenIdle() {
        try {
            while (!closed) {
                Thread.sleep(Math.min(idle.toMillis(), 10_000));
                if (!busy.isLocked()
                        && Duration.between(lastUsed, Instant.now()).compareTo(idle) > 0) close();
            }
        } catch (InterruptedException stopped) {
            // serve() ended
        }
    }

    static boolean reachable(Path socket) {
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return probe.isConnected();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Stops serving and deletes the socket and pid files. Synchronized: when a client's thread closes an outdated
     * daemon, {@link #serve()} (which closes too on its way out) returns only once the files are gone.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(DaemonSockets.pidFile(socket));
        } catch (IOException ignored) {
            // the next daemon deletes a stale socket
        }
    }
}
