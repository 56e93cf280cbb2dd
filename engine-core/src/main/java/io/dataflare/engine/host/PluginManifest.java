package io.dataflare.engine.host;

import java.util.List;
import java.util.Objects;
import org.pf4j.PluginDependency;
import org.pf4j.PluginDescriptor;

/**
 * What every plugin declares about itself, whatever its language: a PF4J {@link PluginDescriptor}
 * (id, version, requires, dependencies, description, provider, license) plus DataFlare's own fields
 * (language, the kinds it provides, sandbox capabilities, checksum).
 */
public final class PluginManifest implements PluginDescriptor {
    private final String id;
    private final String version;
    private final String language;
    private final List<String> kinds;
    private final String requires;
    private final List<PluginDependency> dependencies;
    private final String description;
    private final String provider;
    private final String license;
    private final List<String> capabilities;
    private final String checksum;

    private PluginManifest(Builder b) {
        this.id = Objects.requireNonNull(b.id, "id");
        this.version = Objects.requireNonNull(b.version, "version");
        this.language = Objects.requireNonNull(b.language, "language");
        this.kinds = List.copyOf(b.kinds);
        this.requires = b.requires == null || b.requires.isBlank() ? "*" : b.requires.trim();
        this.dependencies = List.copyOf(b.dependencies);
        this.description = b.description == null ? "" : b.description;
        this.provider = b.provider == null ? "" : b.provider;
        this.license = b.license == null ? "" : b.license;
        this.capabilities = List.copyOf(b.capabilities);
        this.checksum = b.checksum;
    }

    /** A new builder. */
    public static Builder builder(String id, String version, String language) {
        Builder b = new Builder();
        b.id = id;
        b.version = version;
        b.language = language;
        return b;
    }

    @Override
    public String getPluginId() {
        return id;
    }

    @Override
    public String getPluginDescription() {
        return description;
    }

    /** Not used: DataFlare finds a plugin's components through its factories, not a plugin class. */
    @Override
    public String getPluginClass() {
        return null;
    }

    @Override
    public String getVersion() {
        return version;
    }

    /** The engine version range the plugin works with ({@code *} for any). */
    @Override
    public String getRequires() {
        return requires;
    }

    @Override
    public String getProvider() {
        return provider;
    }

    @Override
    public String getLicense() {
        return license;
    }

    @Override
    public List<PluginDependency> getDependencies() {
        return dependencies;
    }

    /** {@code java}, {@code wasm}, {@code javascript} or {@code python}. */
    public String language() {
        return language;
    }

    /** The manifest kinds of the plugin's components ({@code source}, {@code sink}, {@code processor}, {@code policy}). */
    public List<String> kinds() {
        return kinds;
    }

    /** What a sandboxed plugin is allowed to do ({@code log}, {@code state}, {@code http:host}...); empty for none. */
    public List<String> capabilities() {
        return capabilities;
    }

    /** The SHA-256 of the plugin file in hex, or null. */
    public String checksum() {
        return checksum;
    }

    /** {@code id@version}. */
    public String label() {
        return id + "@" + version;
    }

    @Override
    public String toString() {
        return label();
    }

    /** Builds a {@link PluginManifest}. */
    public static final class Builder {
        private String id;
        private String version;
        private String language;
        private List<String> kinds = List.of();
        private String requires;
        private List<PluginDependency> dependencies = List.of();
        private String description;
        private String provider;
        private String license;
        private List<String> capabilities = List.of();
        private String checksum;

        private Builder() {}

        public Builder kinds(List<String> kinds) {
            this.kinds = kinds;
            return this;
        }

        public Builder requires(String requires) {
            this.requires = requires;
            return this;
        }

        public Builder dependencies(List<PluginDependency> dependencies) {
            this.dependencies = dependencies;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder provider(String provider) {
            this.provider = provider;
            return this;
        }

        public Builder license(String license) {
            this.license = license;
            return this;
        }

        public Builder capabilities(List<String> capabilities) {
            this.capabilities = capabilities;
            return this;
        }

        public Builder checksum(String checksum) {
            this.checksum = checksum;
            return this;
        }

        public PluginManifest build() {
            return new PluginManifest(this);
        }
    }
}
