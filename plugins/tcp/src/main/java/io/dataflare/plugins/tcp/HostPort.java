package io.dataflare.plugins.tcp;

import java.net.InetSocketAddress;

/**
 * A {@code HOST:PORT} option value: a host name, an IPv4 address or a bracketed IPv6 address
 * ({@code [::1]:9000}), and a port from 0 to 65535 (0, for {@code listen} only, picks a free port).
 */
record HostPort(String host, int port) {
    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message that fits after the option name and value
     */
    static HostPort parse(String text) {
        String s = text == null ? "" : text.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) throw new IllegalArgumentException("must be HOST:PORT");
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        else if (host.contains(":")) throw new IllegalArgumentException("an IPv6 host goes in brackets: [::1]:PORT");
        if (host.isBlank()) throw new IllegalArgumentException("must be HOST:PORT (the host is empty)");
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the port must be a number from 0 to 65535");
        }
        if (port < 0 || port > 65535) throw new IllegalArgumentException("the port must be from 0 to 65535");
        return new HostPort(host, port);
    }

    /** The socket address (resolving the host now). */
    InetSocketAddress address() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
