package io.dataflare.plugins.kafkaconnect;

import java.util.concurrent.Callable;

/**
 * Calls connector code with the connector folder's class loader as the thread's context class loader, as a
 * Kafka Connect worker does: connectors load their own classes (JDBC drivers, converters, service providers)
 * through it.
 */
final class Isolation {
    private Isolation() {}

    interface Action {
        void run() throws Exception;
    }

    static <T> T call(ClassLoader loader, Callable<T> action) throws Exception {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return action.call();
        } finally {
            t.setContextClassLoader(before);
        }
    }

    static void run(ClassLoader loader, Action action) throws Exception {
        call(loader, () -> {
            action.run();
            return null;
        });
    }
}
