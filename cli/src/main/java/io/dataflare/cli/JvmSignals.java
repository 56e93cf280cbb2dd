package io.dataflare.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The JVM's own signal handling ({@code sun.misc.Signal}, which the JDK keeps for this use), reached reflectively
 * as JLine reaches it: javac flags a direct use, and the build treats warnings as errors. Not through JLine's
 * {@code Signals}: its debug logging asks the JDK for a logger, and the JDK's search for a logging backend opens
 * every JAR of the class path (the distribution's 150 or so: 25 ms of every {@code run}).
 */
public final class JvmSignals {
    private JvmSignals() {}

    /**
     * Calls {@code action} on each signal {@code name} ({@code INT}, {@code TERM}); returns the handler it replaced,
     * for {@link #restore}, or null when this JVM cannot handle that signal (the platform has none, or the JVM
     * keeps it, as with {@code -Xrs}).
     */
    public static Object register(String name, Runnable action) {
        try {
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(
                    JvmSignals.class.getClassLoader(), new Class<?>[] {handlerType}, (proxy, method, args) -> {
                        if (method.getDeclaringClass() == Object.class) return objectMethod(proxy, method, args, name);
                        action.run();
                        return null;
                    });
            return handle(signalType, handlerType, name, handler);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Puts back the handler {@link #register} replaced. */
    public static void restore(String name, Object previous) {
        if (previous == null) return;
        try {
            handle(Class.forName("sun.misc.Signal"), Class.forName("sun.misc.SignalHandler"), name, previous);
        } catch (ReflectiveOperationException | RuntimeException e) {
            // the signal was handled before, so it can be again; nothing to undo if not
        }
    }

    private static Object handle(Class<?> signalType, Class<?> handlerType, String name, Object handler)
            throws ReflectiveOperationException {
        Object signal = signalType.getConstructor(String.class).newInstance(name);
        try {
            return signalType.getMethod("handle", signalType, handlerType).invoke(null, signal, handler);
        } catch (InvocationTargetException e) {
            // IllegalArgumentException: a signal the JVM or the OS keeps
            return null;
        }
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args, String name) {
        return switch (method.getName()) {
            case "equals" -> proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> "dataflare handler of SIG" + name;
        };
    }
}
