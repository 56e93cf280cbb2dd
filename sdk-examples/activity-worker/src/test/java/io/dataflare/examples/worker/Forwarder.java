package io.dataflare.examples.worker;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP forwarder in front of a real server: a network path that can be cut ({@link #down()}: the port refuses
 * and every open connection breaks) and restored on the same port ({@link #up()}).
 */
final class Forwarder implements AutoCloseable {
    private final int target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listening;
    private final int port;

    Forwarder(int target) throws IOException {
        this.target = target;
        ServerSocket s = new ServerSocket(0);
        port = s.getLocalPort();
        s.close();
        up();
    }

    int port() {
        return port;
    }

    synchronized void up() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress("127.0.0.1", port));
        listening = s;
        Thread.ofVirtual().start(() -> accept(s));
    }

    synchronized void down() throws IOException {
        listening.close();
        for (Socket s : open) s.close();
        open.clear();
    }

    private void accept(ServerSocket s) {
        try {
            while (true) {
                Socket client = s.accept();
                Socket server = new Socket("127.0.0.1", target);
                open.add(client);
                open.add(server);
                Thread.ofVirtual().start(() -> pipe(client, server));
                Thread.ofVirtual().start(() -> pipe(server, client));
            }
        } catch (IOException e) {
            // closed by down() or close()
        }
    }

    private static void pipe(Socket from, Socket to) {
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // a side closed: the other goes too
        } finally {
            try {
                from.close();
                to.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    @Override
    public void close() throws IOException {
        down();
    }
}
