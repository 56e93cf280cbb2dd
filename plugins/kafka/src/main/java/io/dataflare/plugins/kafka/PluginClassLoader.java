package io.dataflare.plugins.kafka;

import java.util.function.Supplier;

/**
 * Runs Kafka client code with this plugin's class loader as the thread's context class loader. Kafka's
 * configuration loads its default classes (serializers, the OAuth JWT retriever, ...) by name through the
 * context class loader, which in the engine is the engine's own loader: it does not see the kafka-clients
 * bundled inside this plugin, and creating a client fails with "Class ... could not be found".
 */
final class PluginClassLoader {
    private PluginClassLoader() {}

    static <T> T call(Supplier<T> action) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(PluginClassLoader.class.getClassLoader());
        try {
            return action.get();
        } finally {
            t.setContextClassLoader(before);
        }
    }
}
