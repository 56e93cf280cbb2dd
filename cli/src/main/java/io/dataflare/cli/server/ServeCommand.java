package io.dataflare.cli.server;

import io.dataflare.cli.ExitCodes;
import io.dataflare.cli.PluginFolders;
import io.dataflare.cli.Problems;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.Redactor;
import io.dataflare.engine.config.Substitution;
import io.dataflare.engine.plugin.sign.PluginTrust;
import io.dataflare.engine.state.StateIntegrityException;
import io.dataflare.engine.state.StateStores;
import io.dataflare.server.ServerConfig;
import io.dataflare.server.ServerConfigFile;
import io.dataflare.server.TaskServer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code dataflare serve}: keeps tasks running and serves the HTTP API until SIGTERM or Ctrl-C. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the task server: loads the tasks of the config file, resumes the ones that were running, and serves the HTTP API",
            "(bearer token from DATAFLARE_TOKEN, the config file, or generated and printed at the first start).",
            "SIGTERM or Ctrl-C stops every task at a checkpoint (what was read drains to the sinks, which are flushed) and exits 0.",
            "Exit code: 0 stopped, 1 could not start, 2 invalid config file."
        })
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "The server's config file: server settings and tasks (YAML; JSON and TOML by extension).")
    Path configFile;

    @Option(names = "--port", paramLabel = "P", description = "The port (default 8080; 0: any free port).")
    Integer port;

    @Option(
            names = "--bind",
            paramLabel = "ADDR",
            description = "The address to listen on (default 127.0.0.1: this machine only).")
    String bind;

    @Mixin
    PluginFolders folders;

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Where tasks and checkpoints are kept (default .dataflare/state).")
    Path stateDir;

    @Option(
            names = "--state",
            paramLabel = "URL",
            description = "A state store instead: jdbc:sqlite:FILE, jdbc:postgresql://HOST/DB?user=...,"
                    + " memory:, or a directory (DIR or file:DIR).")
    String stateUrl;

    @Option(names = "--tls-cert", paramLabel = "PEM", description = "Serve HTTPS with this certificate (chain) ...")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "... and this unencrypted PKCS#8 private key.")
    Path tlsKey;

    @Option(
            names = "--tls-keystore",
            paramLabel = "FILE",
            description = "Serve HTTPS with this PKCS#12 or JKS keystore (password from DATAFLARE_KEYSTORE_PASSWORD).")
    Path keystore;

    @Option(
            names = "--max-request-bytes",
            paramLabel = "N",
            description = "The largest request body accepted (default 16 MiB).")
    Long maxRequestBytes;

    @Option(
            names = "--watch-plugins",
            negatable = true,
            description =
                    "Watch the plugin folders (on unless the config file's"
                            + " server.watch_plugins says otherwise): running tasks' stages switch to newer versions of their plugin (within their"
                            + " range): processors at a batch boundary, sources, sinks and policies at a barrier. --no-watch-plugins reads the folders once, at start.")
    Boolean watchPlugins;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ServerConfig config;
        try {
            config = config();
        } catch (InvalidConfigException e) {
            return Problems.print(e, err);
        }
        try {
            StateStores.check(config.state());
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            err.println("error: --tls-cert and --tls-key go together");
            return ExitCodes.INVALID;
        }
        if (tlsCert != null) config.tls(tlsCert, tlsKey);
        if (keystore != null) config.keystore(keystore, System.getenv("DATAFLARE_KEYSTORE_PASSWORD"));

        // the config file's require_signed and trusted keys, with --require-signed and --trusted-keys
        PluginTrust trust = folders.trust(config.requireSignedPlugins(), config.trustedKeyDirs());
        Engine engine = TaskServer.engineBuilder(config, folders.folders())
                .registry(r -> r.trust(trust))
                .build();
        TaskServer server;
        try {
            server = TaskServer.start(config, engine, err);
        } catch (InvalidConfigException e) {
            engine.close();
            return Problems.print(e, err);
        } catch (StateIntegrityException e) {
            engine.close(); // encrypted state without its key, or damaged: nothing is started on it
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTerminate(stop::countDown);
        Thread hook = new Thread(server::close, "df-server-shutdown"); // other ways out (SIGHUP, System.exit)
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("dataflare serve: listening on " + server.url() + " ("
                + server.tasks().list().size() + " tasks; state: " + server.stateStore() + ")");
        out.flush();
        stop.await();
        err.println("dataflare serve: stopping: running tasks drain to their sinks and checkpoint...");
        err.flush();
        server.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        err.println("dataflare serve: stopped");
        return ExitCodes.OK;
    }

    /**
     * The config file's settings, overridden by the command-line options.
     *
     * @throws InvalidConfigException listing every located problem of the config file
     */
    ServerConfig config() {
        ServerConfig config = ServerConfig.defaults();
        if (configFile != null) ServerConfigFile.read(configFile, Substitution.fromSystem(new Redactor()), config);
        if (port != null) config.port(port);
        if (bind != null) config.bind(bind);
        if (stateUrl != null) config.state(stateUrl);
        else if (stateDir != null) config.state(stateDir.toString());
        if (maxRequestBytes != null) config.maxRequestBytes(maxRequestBytes);
        if (watchPlugins != null) config.watchPlugins(watchPlugins);
        return config;
    }
}
