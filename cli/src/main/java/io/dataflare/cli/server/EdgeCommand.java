package io.dataflare.cli.server;

import io.dataflare.cli.ExitCodes;
import io.dataflare.cli.PluginFolders;
import io.dataflare.cli.Problems;
import io.dataflare.engine.Engine;
import io.dataflare.engine.config.InvalidConfigException;
import io.dataflare.engine.config.SecretResolver;
import io.dataflare.engine.plugin.sign.PluginTrust;
import io.dataflare.engine.runtime.HostName;
import io.dataflare.server.ServerConfig;
import io.dataflare.server.TaskServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dataflare edge}: runs this machine as an edge node of a central {@code dataflare serve}: a local task
 * server (on loopback, its tasks and checkpoints in the state directory) runs the tasks the central server assigns
 * to the node's labels, and a heartbeat reports the node and its tasks and fetches the assignments.
 */
@Command(
        name = "edge",
        mixinStandardHelpOptions = true,
        description = {
            "Runs this machine as an edge node of a central 'dataflare serve': registers it (node id, labels,",
            "capabilities, version), heartbeats, runs the tasks assigned to its labels, and reports their status.",
            "The tasks keep running when the central server cannot be reached, and are resumed from the state",
            "directory when the node restarts. Pipelines see DATAFLARE_CENTRAL_URL, DATAFLARE_NODE_ID and the",
            "secret central_token (${secret:central_token}) to send their output to the central server.",
            "SIGTERM or Ctrl-C stops the tasks at a checkpoint and exits 0. Exit code 2: invalid options."
        })
public final class EdgeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--server", required = true, paramLabel = "URL", description = "The central server.")
    String server;

    @Option(
            names = "--token",
            paramLabel = "T",
            description = "The bearer token for the central server (a token with nodes:report); else DATAFLARE_TOKEN.")
    String token;

    @Option(
            names = "--labels",
            split = ",",
            paramLabel = "K=V",
            description = "The node's labels (e.g. site=shop-1,tier=gateway): tasks are assigned by them.")
    Map<String, String> labels = new LinkedHashMap<>();

    @Option(
            names = "--state-dir",
            paramLabel = "DIR",
            description = "Where the node keeps its id, tasks, checkpoints and spools (default .dataflare/edge).")
    Path stateDir = Path.of(".dataflare", "edge");

    @Option(names = "--node-id", paramLabel = "ID", description = "The node id (default: kept in the state directory).")
    String nodeId;

    @Option(
            names = "--grant",
            paramLabel = "PLUGIN=CAP",
            description = "What the assigned tasks' stages may be granted, per plugin id (repeatable), e.g."
                    + " dataflare-http=http:central.example.com.")
    Map<String, String> grants = new LinkedHashMap<>();

    @Option(
            names = "--disk-mb",
            paramLabel = "MB",
            description = "A disk budget over the spools of all the node's tasks (buffered sinks), in MB: a sink whose"
                    + " next batch would take them past it holds its task back until spools drain (default 0: none).")
    long diskMb;

    @Option(names = "--port", paramLabel = "P", description = "The local API's port on 127.0.0.1 (default 0: any).")
    int port;

    @Mixin
    PluginFolders folders;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String t = token != null ? token : System.getenv("DATAFLARE_TOKEN");
        if (t == null || t.isBlank()) {
            err.println("error: give the central server's token with --token or DATAFLARE_TOKEN");
            return ExitCodes.INVALID;
        }
        Files.createDirectories(stateDir);
        String id;
        try {
            id = nodeId(stateDir);
        } catch (IllegalArgumentException e) {
            err.println("error: " + e.getMessage());
            return ExitCodes.INVALID;
        }
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DATAFLARE_CENTRAL_URL", server.replaceAll("/+$", ""));
        env.put("DATAFLARE_NODE_ID", id);
        env.put("DATAFLARE_SECRET_CENTRAL_TOKEN", t);
        ServerConfig config = ServerConfig.defaults()
                .bind("127.0.0.1")
                .port(port)
                .state(stateDir.resolve("state").toString())
                .token(randomHex(24));
        for (Map.Entry<String, String> g : grants.entrySet()) config.grant(g.getKey(), List.of(g.getValue()));
        PluginTrust trust = folders.trust(config.requireSignedPlugins(), config.trustedKeyDirs());
        if (diskMb < 0) {
            err.println("error: --disk-mb must be at least 0: " + diskMb);
            return ExitCodes.INVALID;
        }
        // the plugin files assigned by the central server go to the node's own folder, scanned last (it wins)
        List<Path> pluginFolders = new java.util.ArrayList<>(folders.folders());
        pluginFolders.add(Files.createDirectories(EdgeAgent.pluginDir(stateDir)));
        Engine engine = TaskServer.engineBuilder(config, pluginFolders)
                .registry(r -> r.trust(trust))
                .diskMb(diskMb)
                .build();
        TaskServer local;
        try {
            local = TaskServer.start(config, engine, env::get, SecretResolver.standard(env, null), err);
        } catch (InvalidConfigException e) {
            engine.close();
            return Problems.print(e, err);
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        CountDownLatch stop = new CountDownLatch(1);
        Signals.onTerminate(stop::countDown);
        Thread hook = new Thread(local::close, "df-edge-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        out.println("dataflare edge: node " + id + " " + labels + " reporting to " + server + "; "
                + local.tasks().list().size() + " local tasks; local API on " + local.url());
        out.flush();
        EdgeAgent agent = new EdgeAgent(server, t, id, labels, stateDir, local, err);
        do {
            agent.sync();
        } while (!stop.await(agent.heartbeatMs(), TimeUnit.MILLISECONDS));
        err.println("dataflare edge: stopping: the tasks drain to their sinks and checkpoint...");
        err.flush();
        local.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        err.println("dataflare edge: stopped");
        return ExitCodes.OK;
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The node id: {@code --node-id}, else the one kept in the state directory, else a new one kept there. */
    private String nodeId(Path dir) throws IOException {
        Path file = dir.resolve("node-id");
        if (nodeId != null) {
            if (!nodeId.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"))
                throw new IllegalArgumentException(
                        "--node-id: letters, digits, '-', '_' and '.' (at most 64): " + nodeId);
            Files.writeString(file, nodeId, StandardCharsets.UTF_8);
            return nodeId;
        }
        if (Files.isRegularFile(file))
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        String host = HostName.local().replaceAll("[^A-Za-z0-9_.-]", "-");
        if (host.isEmpty() || !Character.isLetterOrDigit(host.charAt(0))) host = "node" + host;
        String id = (host.length() > 50 ? host.substring(0, 50) : host) + "-" + randomHex(3);
        Files.writeString(file, id, StandardCharsets.UTF_8);
        return id;
    }
}
