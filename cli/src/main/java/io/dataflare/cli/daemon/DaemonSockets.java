package io.dataflare.cli.daemon;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finding and asking the daemon that serves a folder (for {@code dataflare daemon start|stop|status}). */
public final class DaemonSockets {
    private DaemonSockets() {}

    public static Path of(Path cacheDir, Path cwd, Path home) {
        return DaemonProtocol.socket(cacheDir, cwd, home);
    }

    /** Whether a daemon answers on the socket. */
    public static boolean reachable(Path socket) {
        return DaemonServer.reachable(socket);
    }

    /** The daemon's process, when one serves the folder. */
    public static Optional<ProcessHandle> process(Path cacheDir, Path cwd, Path home) {
        Path socket = of(cacheDir, cwd, home);
        if (!reachable(socket)) return Optional.empty();
        try {
            long pid = Long.parseLong(Files.readString(pidFile(socket)).strip());
            return ProcessHandle.of(pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** What the daemon serving the folder says of itself, or empty when none answers. */
    public static Optional<String> status(Path cacheDir, Path cwd, Path home) {
        Path socket = of(cacheDir, cwd, home);
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
            DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
            new DaemonProtocol.Hello(cwd.toString(), "", "", false, new String[] {DaemonRequest.STATUS}).write(out);
            StringBuilder text = new StringBuilder();
            while (true) {
                byte type = in.readByte();
                byte[] data = in.readNBytes(in.readInt());
                if (type == DaemonProtocol.EXIT) return Optional.of(text.toString());
                text.append(new String(data, StandardCharsets.UTF_8));
            }
        } catch (IOException | RuntimeException none) {
            return Optional.empty();
        }
    }

    static Path pidFile(Path socket) {
        return socket.resolveSibling(socket.getFileName() + ".pid");
    }
}
