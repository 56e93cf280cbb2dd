package io.dataflare.polyglot.plugin;

import io.dataflare.api.PluginContext;
import io.dataflare.api.config.ConfigSpec;
import io.dataflare.api.config.PluginConfig;
import io.dataflare.api.policy.ErrorPolicy;
import io.dataflare.api.policy.ErrorPolicyFactory;
import io.dataflare.api.policy.KeyRouter;
import io.dataflare.api.policy.KeyRouterFactory;
import io.dataflare.api.policy.RetryPolicy;
import io.dataflare.api.policy.RetryPolicyFactory;
import io.dataflare.api.sink.Sink;
import io.dataflare.api.sink.SinkFactory;
import io.dataflare.api.source.Source;
import io.dataflare.api.source.SourceFactory;
import io.dataflare.polyglot.component.ScriptErrorPolicy;
import io.dataflare.polyglot.component.ScriptKeyRouter;
import io.dataflare.polyglot.component.ScriptRetryPolicy;
import io.dataflare.polyglot.component.ScriptSink;
import io.dataflare.polyglot.component.ScriptSource;

/**
 * The source, sink or policy component of a script plugin, named by the manifest's id. Sources and sinks start
 * their context when created (a broken script fails the run before it starts); policies on their first call
 * (each worker of each stage gets its own retry and error policy, and most are never called).
 */
public abstract sealed class ScriptComponentFactory {
    final ScriptPlugin plugin;

    ScriptComponentFactory(ScriptPlugin plugin) {
        this.plugin = plugin;
    }

    public String name() {
        return plugin.manifest().getPluginId();
    }

    public String description() {
        String d = plugin.manifest().getPluginDescription();
        return d == null || d.isBlank() ? plugin.label() : d;
    }

    public ConfigSpec configSpec() {
        return plugin.configSpec();
    }

    /** Python scripts are parsed here (pipeline validation), as processors are. */
    public void validate(PluginConfig config) {
        plugin.checkSyntax();
    }

    public ScriptPlugin plugin() {
        return plugin;
    }

    /** A script source. */
    public static final class Sources extends ScriptComponentFactory implements SourceFactory {
        Sources(ScriptPlugin plugin) {
            super(plugin);
        }

        @Override
        public Source create(PluginContext context) {
            return new ScriptSource(plugin.newSession(context, true));
        }
    }

    /** A script sink. */
    public static final class Sinks extends ScriptComponentFactory implements SinkFactory {
        Sinks(ScriptPlugin plugin) {
            super(plugin);
        }

        @Override
        public Sink create(PluginContext context) {
            return new ScriptSink(plugin.newSession(context, true));
        }
    }

    /** A script retry policy. */
    public static final class RetryPolicies extends ScriptComponentFactory implements RetryPolicyFactory {
        RetryPolicies(ScriptPlugin plugin) {
            super(plugin);
        }

        @Override
        public RetryPolicy create(PluginContext context) {
            return new ScriptRetryPolicy(plugin.newSession(context, false), context.logger());
        }
    }

    /** A script error policy. */
    public static final class ErrorPolicies extends ScriptComponentFactory implements ErrorPolicyFactory {
        ErrorPolicies(ScriptPlugin plugin) {
            super(plugin);
        }

        @Override
        public ErrorPolicy create(PluginContext context) {
            return new ScriptErrorPolicy(plugin.newSession(context, false));
        }
    }

    /** A script key router. */
    public static final class KeyRouters extends ScriptComponentFactory implements KeyRouterFactory {
        KeyRouters(ScriptPlugin plugin) {
            super(plugin);
        }

        @Override
        public KeyRouter create(PluginContext context) {
            return new ScriptKeyRouter(plugin.newSession(context, false));
        }
    }
}
