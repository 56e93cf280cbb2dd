package io.dataflare.tck;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/** What a component instance holds that outlives it if it is not released: threads and open files. */
final class Resources {
    private static final Path FDS = Path.of("/proc/self/fd");

    private Resources() {}

    /** The live threads. */
    static Set<Thread> threads() {
        return new HashSet<>(Thread.getAllStackTraces().keySet());
    }

    /** The regular files this process has open (Linux; empty elsewhere). */
    static Set<String> openFiles() {
        Set<String> out = new HashSet<>();
        if (!Files.isDirectory(FDS)) return out;
        try (Stream<Path> s = Files.list(FDS)) {
            s.forEach(fd -> {
                try {
                    Path target = Files.readSymbolicLink(fd);
                    if (target.isAbsolute() && Files.isRegularFile(target)) out.add(target.toString());
                } catch (IOException | UnsupportedOperationException e) {
                    // closed meanwhile, or not a link
                }
            });
        } catch (IOException e) {
            return out;
        }
        return out;
    }
}
