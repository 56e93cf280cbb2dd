package io.dataflare.flink;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The plugin folders of a job packed into one JAR that travels as the job's user JAR (through Flink's blob store),
 * so task managers need no plugins installed. Each file is stored once under its SHA-256; an index lists where each
 * goes ({@code folder/relative path}). The index's own hash names the bundle: a task manager finds it on the job's
 * class path and unpacks it once per job (see {@link TaskPlans}). Nothing in the bundle is a class: the plugins are
 * loaded from the unpacked folders into their own class loaders, as a local run does.
 */
final class PluginBundle {
    static final String PREFIX = "dataflare-bundle/";

    /** A packed bundle: its JAR, its hash, and how many plugin folders it holds (in the registry's order). */
    record Packed(Path jar, String hash, int folders) {}

    private PluginBundle() {}

    /** Packs the regular files under {@code pluginDirs} (missing folders stay empty) into a JAR in {@code into}. */
    static Packed pack(List<Path> pluginDirs, Path into) throws IOException {
        StringBuilder index = new StringBuilder();
        Set<String> stored = new LinkedHashSet<>();
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < pluginDirs.size(); i++) {
            Path dir = pluginDirs.get(i);
            if (!Files.isDirectory(dir)) continue;
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(Files::isRegularFile).sorted().toList();
            }
            for (Path f : files) {
                String sha = sha256(f);
                String rel = dir.relativize(f).toString().replace('\\', '/');
                index.append(sha).append('\t').append(i).append('/').append(rel).append('\n');
                if (stored.add(sha)) sources.add(f);
            }
        }
        byte[] indexBytes = index.toString().getBytes(StandardCharsets.UTF_8);
        String hash = HexFormat.of().formatHex(digest().digest(indexBytes));
        Path jar = into.resolve("dataflare-plugins-" + hash.substring(0, 16) + ".jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry(PREFIX + hash + ".index"));
            zip.write(indexBytes);
            zip.closeEntry();
            for (Path f : sources) {
                zip.putNextEntry(new ZipEntry(PREFIX + "files/" + sha256(f)));
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
        return new Packed(jar, hash, pluginDirs.size());
    }

    /**
     * Unpacks bundle {@code hash} from the job's class loader into a new folder under {@code tmp}, checking each
     * file's hash; returns the plugin folders, in the registry's order.
     *
     * @throws IllegalStateException when the bundle is not on the class path or a file does not match its hash
     */
    static List<Path> unpack(ClassLoader cl, String hash, int folders, Path root) throws IOException {
        String indexText;
        try (InputStream in = cl.getResourceAsStream(PREFIX + hash + ".index")) {
            if (in == null) {
                throw new IllegalStateException("the plugin bundle " + hash
                        + " is not on the job's class path: the job was submitted without its plugins");
            }
            indexText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Path> dirs = new ArrayList<>();
        for (int i = 0; i < folders; i++) dirs.add(Files.createDirectories(root.resolve(Integer.toString(i))));
        for (String line : indexText.split("\n")) {
            if (line.isEmpty()) continue;
            int tab = line.indexOf('\t');
            String sha = line.substring(0, tab);
            Path to = root.resolve(line.substring(tab + 1)).normalize();
            // the index comes from the job: it may not write outside the bundle's folder
            if (!to.startsWith(root))
                throw new IllegalStateException("plugin bundle entry outside its folder: " + line);
            Files.createDirectories(to.getParent());
            MessageDigest md = digest();
            try (InputStream in = cl.getResourceAsStream(PREFIX + "files/" + sha)) {
                if (in == null) throw new IllegalStateException("plugin bundle " + hash + " lacks the file " + line);
                try (DigestInputStream din = new DigestInputStream(in, md);
                        OutputStream out = Files.newOutputStream(to)) {
                    din.transferTo(out);
                }
            }
            if (!HexFormat.of().formatHex(md.digest()).equals(sha)) {
                throw new IllegalStateException("plugin bundle file " + to + " does not match its hash " + sha);
            }
        }
        return dirs;
    }

    private static String sha256(Path f) throws IOException {
        MessageDigest md = digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(f), md)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
