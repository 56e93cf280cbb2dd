package io.dataflare.engine.runtime;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This machine's host name, as its kernel names it ({@code gethostname}). On Linux it is read from
 * {@code /proc/sys/kernel/hostname}: {@link InetAddress#getLocalHost()} also resolves the name to an address,
 * which means looking for a name-service provider (a ServiceLoader over every JAR of the class path, 40 ms of
 * {@code dataflare run} with the distribution's 150 or so) and, where the name does not resolve, waiting for DNS.
 */
public final class HostName {
    private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private HostName() {}

    /** The host name; {@code localhost} if neither the kernel nor the JDK can say. */
    public static String local() {
        try {
            String name =
                    Files.readString(KERNEL_HOSTNAME, StandardCharsets.UTF_8).strip();
            if (!name.isEmpty()) return name;
        } catch (IOException | SecurityException notLinux) {
            // asked of the JDK below
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "localhost";
        }
    }
}
