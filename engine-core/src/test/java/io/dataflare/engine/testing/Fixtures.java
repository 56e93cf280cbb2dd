package io.dataflare.engine.testing;

import io.dataflare.engine.host.java.fixture.ShoutFactory;
import io.dataflare.engine.host.java.fixture.StampFactory;
import io.dataflare.engine.host.java.fixture.dep.Shouter;
import java.io.IOException;
import java.nio.file.Path;

/** Plugin JARs the registry tests build: versions of "stamp", and "shout" depending on "shouter". */
public final class Fixtures {
    private Fixtures() {}

    /** {@code stamp@version}: a processor setting {@code v} to {@code stamp} (default: the version). */
    public static Path stamp(Path jar, String version, String stamp) throws IOException {
        return PluginJars.spec("stamp", version)
                .extension(StampFactory.class)
                .resource("stamp.txt", stamp)
                .write(jar);
    }

    /** {@code stamp@version} stamping its version. */
    public static Path stamp(Path jar, String version) throws IOException {
        return stamp(jar, version, version);
    }

    /** {@code shouter@version}: a library plugin with no components of its own, providing {@link Shouter}. */
    public static Path shouter(Path jar, String version, String requires) throws IOException {
        PluginJars.Spec s =
                PluginJars.spec("shouter", version).library(Shouter.class).resource("shouter-version.txt", version);
        if (requires != null) s.attribute("Plugin-Requires", requires);
        return s.write(jar);
    }

    /** {@code shout@version}: a processor depending on {@code dependencies} (e.g. {@code shouter@^1}). */
    public static Path shout(Path jar, String version, String dependencies) throws IOException {
        return PluginJars.spec("shout", version)
                .extension(ShoutFactory.class)
                .attribute("Plugin-Dependencies", dependencies)
                .write(jar);
    }
}
