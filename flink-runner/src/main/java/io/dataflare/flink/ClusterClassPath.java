package io.dataflare.flink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Flink cluster's class path holds (its {@code lib/}), as its JobManager reports it over REST
 * ({@code /jobmanager/environment}): the JARs' file names and, for those readable from here (a cluster on this
 * machine or a shared installation), the classes in them. A job ships only the libraries the cluster lacks.
 *
 * @param jarNames the file names of the JARs on the cluster's class path
 * @param classes  the class files in those JARs that could be read from here ({@code a/b/C.class})
 */
record ClusterClassPath(Set<String> jarNames, Set<String> classes) {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterClassPath.class);

    /** A cluster of which nothing is known: every library is shipped. */
    static final ClusterClassPath UNKNOWN = new ClusterClassPath(Set.of(), Set.of());

    /** Asks the JobManager at {@code rest}; {@link #UNKNOWN} when it does not answer with its class path. */
    static ClusterClassPath of(URI rest) {
        URI uri = rest.resolve("/jobmanager/environment");
        try (HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode classpath = new ObjectMapper().readTree(r.body()).path("classpath");
            if (r.statusCode() != 200 || !classpath.isArray()) {
                LOG.warn("{} answered {} without a class path: shipping every library", uri, r.statusCode());
                return UNKNOWN;
            }
            return of(classpath.valueStream().map(JsonNode::asText).toList());
        } catch (IOException e) {
            LOG.warn("could not read the cluster's class path from {} ({}): shipping every library", uri, e.toString());
            return UNKNOWN;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNKNOWN;
        }
    }

    /** The class path made of {@code entries} (paths as the cluster reports them). */
    static ClusterClassPath of(List<String> entries) throws IOException {
        Set<String> names = new HashSet<>();
        Set<String> classes = new HashSet<>();
        for (String entry : entries) {
            if (entry.isBlank()) continue;
            Path p = Path.of(entry);
            names.add(p.getFileName().toString());
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) continue;
            try (JarFile jar = new JarFile(p.toFile())) {
                jar.stream()
                        .map(e -> ShippedJars.className(e.getName()))
                        .filter(n -> n != null)
                        .forEach(classes::add);
            }
        }
        return new ClusterClassPath(Set.copyOf(names), Set.copyOf(classes));
    }

    /** Whether the cluster holds {@code jar} already: the same file name, or every class in it. */
    boolean holds(Path jar, Set<String> jarClasses) {
        if (jarNames.contains(jar.getFileName().toString())) return true;
        return !jarClasses.isEmpty() && classes.containsAll(jarClasses);
    }
}
