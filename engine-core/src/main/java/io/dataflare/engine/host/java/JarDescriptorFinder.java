package io.dataflare.engine.host.java;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.pf4j.CompoundPluginDescriptorFinder;
import org.pf4j.ManifestPluginDescriptorFinder;
import org.pf4j.PluginDescriptorFinder;
import org.pf4j.PluginRuntimeException;
import org.pf4j.PropertiesPluginDescriptorFinder;

/**
 * PF4J's descriptor finders ({@code plugin.properties} first, then {@code META-INF/MANIFEST.MF}), with the
 * properties read through {@link ZipFile}. PF4J opens the JAR as a zip file system for it, which builds a node
 * per entry: for the bundled plugins with tens of thousands of classes that was a third of a short command's
 * time, for a file that is not there.
 */
final class JarDescriptorFinder {
    private JarDescriptorFinder() {}

    static PluginDescriptorFinder create() {
        return new CompoundPluginDescriptorFinder()
                .add(new ZipPropertiesFinder())
                .add(new ManifestPluginDescriptorFinder());
    }

    private static final class ZipPropertiesFinder extends PropertiesPluginDescriptorFinder {
        @Override
        protected Properties readProperties(Path pluginPath) {
            if (Files.isDirectory(pluginPath)) return super.readProperties(pluginPath);
            try (ZipFile zip = new ZipFile(pluginPath.toFile())) {
                ZipEntry entry = zip.getEntry(propertiesFileName);
                if (entry == null) {
                    throw new PluginRuntimeException("Cannot find '{}' in {}", propertiesFileName, pluginPath);
                }
                Properties properties = new Properties();
                try (InputStream in = zip.getInputStream(entry)) {
                    properties.load(in); // ISO-8859-1, as PF4J reads it
                }
                return properties;
            } catch (IOException e) {
                throw new PluginRuntimeException(e);
            }
        }
    }
}
