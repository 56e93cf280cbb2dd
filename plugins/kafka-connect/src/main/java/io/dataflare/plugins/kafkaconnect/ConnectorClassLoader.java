package io.dataflare.plugins.kafkaconnect;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.List;

/**
 * The class loader of one connector folder: its JARs first, so that a connector's own libraries (its JDBC
 * driver, its Jackson) win over anything else, except for the classes it shares with the adapter. Those are the
 * platform's and, as in a Kafka Connect worker's plugin isolation, SLF4J and every {@code org.apache.kafka}
 * class the adapter has (the Connect API and Kafka's common classes): a connector's {@code SourceRecord} must be
 * the adapter's {@code SourceRecord}. Kafka classes the adapter does not have (the connector's own, such as
 * {@code org.apache.kafka.connect.file}) come from the folder.
 */
final class ConnectorClassLoader extends URLClassLoader {
    static {
        registerAsParallelCapable();
    }

    private final Path folder;

    ConnectorClassLoader(Path folder, List<URL> jars, ClassLoader adapter) {
        super("connect:" + folder.getFileName(), jars.toArray(new URL[0]), adapter);
        this.folder = folder;
    }

    /** The connector folder this loader reads. */
    Path folder() {
        return folder;
    }

    /** Whether one of this folder's own JARs holds {@code className} (the adapter's classes do not count). */
    boolean holds(String className) {
        return findResource(className.replace('.', '/') + ".class") != null;
    }

    static boolean sharedWithAdapter(String name) {
        return name.startsWith("java.")
                || name.startsWith("javax.")
                || name.startsWith("jdk.")
                || name.startsWith("sun.")
                || name.startsWith("org.slf4j.")
                || name.startsWith("org.apache.kafka.");
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                if (sharedWithAdapter(name)) {
                    try {
                        c = getParent().loadClass(name);
                    } catch (ClassNotFoundException e) {
                        c = findClass(name);
                    }
                } else {
                    try {
                        c = findClass(name);
                    } catch (ClassNotFoundException e) {
                        c = getParent().loadClass(name);
                    }
                }
            }
            if (resolve) resolveClass(c);
            return c;
        }
    }

    @Override
    public URL getResource(String name) {
        URL own = findResource(name);
        return own != null ? own : super.getResource(name);
    }
}
