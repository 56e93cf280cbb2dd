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
import io.dataflare.polyglot.session.ScriptSession;
import java.util.function.BiFunction;

/**
 * The source, sink or policy component of a script plugin, named by the manifest's id. Sources and sinks start
 * their context when created (a broken script fails the run before it starts); policies on their first call
 * (each worker of each stage gets its own retry and error policy, and most are never called).
 */
public abstract sealed class ScriptComponentFactory<C> {
    final ScriptPlugin plugin;
    /** Whether the session starts its context when created ({@link ScriptPlugin#newSession}). */
    private final boolean eager;
    /** The component on a session, given the context the engine created it with. */
    private final BiFunction<ScriptSession, PluginContext, C> component;

    ScriptComponentFactory(ScriptPlugin plugin, boolean eager, BiFunction<ScriptSession, PluginContext, C> component) {
        this.plugin = plugin;
        this.eager = eager;
        this.component = component;
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

    public C create(PluginContext context) {
        return component.apply(plugin.newSession(context, eager), context);
    }

    /** A script source. */
    public static final class Sources extends ScriptComponentFactory<Source> implements SourceFactory {
        Sources(ScriptPlugin plugin) {
            super(plugin, true, (session, context) -> new ScriptSource(session));
        }
    }

    /** A script sink. */
    public static final class Sinks extends ScriptComponentFactory<Sink> implements SinkFactory {
        Sinks(ScriptPlugin plugin) {
            super(plugin, true, (session, context) -> new ScriptSink(session));
        }
    }

    /** A script retry policy. */
    public static final class RetryPolicies extends ScriptComponentFactory<RetryPolicy> implements RetryPolicyFactory {
        RetryPolicies(ScriptPlugin plugin) {
            super(plugin, false, (session, context) -> new ScriptRetryPolicy(session, context.logger()));
        }
    }

    /** A script error policy. */
    public static final class ErrorPolicies extends ScriptComponentFactory<ErrorPolicy> implements ErrorPolicyFactory {
        ErrorPolicies(ScriptPlugin plugin) {
            super(plugin, false, (session, context) -> new ScriptErrorPolicy(session));
        }
    }

    /** A script key router. */
    public static final class KeyRouters extends ScriptComponentFactory<KeyRouter> implements KeyRouterFactory {
        KeyRouters(ScriptPlugin plugin) {
            super(plugin, false, (session, context) -> new ScriptKeyRouter(session));
        }
    }
}
