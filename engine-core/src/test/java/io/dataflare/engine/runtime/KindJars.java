package io.dataflare.engine.runtime;

import io.dataflare.engine.host.java.fixture.LineFileSinkFactory;
import io.dataflare.engine.host.java.fixture.StampedErrorPolicyFactory;
import io.dataflare.engine.host.java.fixture.StampedRetryPolicyFactory;
import io.dataflare.engine.host.java.fixture.StampedRouterFactory;
import io.dataflare.engine.host.java.fixture.StampedSeqFactory;
import io.dataflare.engine.testing.PluginJars;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Versions of a source ({@code seqs}: {@code stamped-seq}), a sink ({@code lines}: {@code line-file}), a key
 * router ({@code router}: {@code stamped-router}), a retry policy ({@code retries}: {@code stamped-retry}) and an
 * error policy ({@code errors}: {@code stamped-errors}) as
 * plugin JARs, each behaving as its {@code stamp} says: the fixtures of the hot swap tests of those kinds.
 */
final class KindJars {
    private KindJars() {}

    static void source(Path jar, String version, String stamp) throws IOException {
        PluginJars.spec("seqs", version)
                .extension(StampedSeqFactory.class)
                .library(StampedSeqFactory.Seq.class)
                .resource("stamp.txt", stamp)
                .write(jar);
    }

    static void sink(Path jar, String version, String stamp) throws IOException {
        PluginJars.spec("lines", version)
                .extension(LineFileSinkFactory.class)
                .library(LineFileSinkFactory.Lines.class)
                .resource("stamp.txt", stamp)
                .write(jar);
    }

    static void router(Path jar, String version, String stamp) throws IOException {
        PluginJars.spec("router", version)
                .extension(StampedRouterFactory.class)
                .library(StampedRouterFactory.Router.class)
                .resource("stamp.txt", stamp)
                .write(jar);
    }

    /** A router version that appends its stamp to {@code closeLog} each time one of its routers is closed. */
    static void router(Path jar, String version, String stamp, Path closeLog) throws IOException {
        PluginJars.spec("router", version)
                .extension(StampedRouterFactory.class)
                .library(StampedRouterFactory.Router.class)
                .resource("stamp.txt", stamp)
                .resource("close-log.txt", closeLog.toString())
                .write(jar);
    }

    static void retryPolicy(Path jar, String version, String stamp) throws IOException {
        PluginJars.spec("retries", version)
                .extension(StampedRetryPolicyFactory.class)
                .resource("stamp.txt", stamp)
                .write(jar);
    }

    static void errorPolicy(Path jar, String version, String stamp) throws IOException {
        PluginJars.spec("errors", version)
                .extension(StampedErrorPolicyFactory.class)
                .resource("stamp.txt", stamp)
                .write(jar);
    }
}
