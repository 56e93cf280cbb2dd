package io.dataflare.engine.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests, from the Debian packages ({@code apt-get install postgresql}, which
 * {@code .ci/run} does): a fresh cluster in a temporary directory, on a free loopback port, stopped at
 * the end. As root it runs as the {@code postgres} user (PostgreSQL refuses root). Without PostgreSQL the
 * tests are skipped — except under CI ({@code CI=true}), where that is a failure.
 */
public final class PostgresServer implements AutoCloseable {
    private final Path bin;
    private final Path dir;
    private final int port;
    private final boolean asPostgres;

    private PostgresServer(Path bin, Path dir, int port, boolean asPostgres) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.asPostgres = asPostgres;
    }

    public static PostgresServer start() throws IOException, InterruptedException {
        return start(List.of());
    }

    /**
     * A server started with these extra settings, each {@code name=value} as in postgresql.conf (such as
     * {@code wal_level=logical} for logical replication).
     */
    public static PostgresServer start(List<String> settings) throws IOException, InterruptedException {
        Path bin = findBin();
        if (bin == null) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(
                        "PostgreSQL is not installed; .ci/run installs it (apt-get install postgresql)");
            }
            assumeTrue(false, "PostgreSQL is not installed (apt-get install postgresql): skipping");
        }
        boolean root = "root".equals(System.getProperty("user.name"));
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "dataflare-pg-");
        if (root) run(List.of("chown", "postgres:postgres", dir.toString()), false);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        PostgresServer pg = new PostgresServer(bin, dir, port, root);
        pg.exec(
                bin.resolve("initdb").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-U",
                "dataflare",
                "--auth=trust",
                "--encoding=UTF8",
                "--no-sync");
        pg.exec(
                bin.resolve("pg_ctl").toString(),
                "-D",
                dir.resolve("data").toString(),
                "-w",
                "-t",
                "60",
                "-l",
                dir.resolve("server.log").toString(),
                "-o",
                "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off"
                        + settings.stream().map(o -> " -c " + o).collect(Collectors.joining()),
                "start");
        return pg;
    }

    private static Path findBin() throws IOException {
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) return null;
        try (Stream<Path> versions = Files.list(root)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.naturalOrder())
                    .orElse(null);
        }
    }

    private void exec(String... cmd) throws IOException, InterruptedException {
        List<String> c = new ArrayList<>();
        if (asPostgres) c.addAll(List.of("runuser", "-u", "postgres", "--"));
        c.addAll(List.of(cmd));
        run(c, true);
    }

    private static void run(List<String> cmd, boolean check) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + cmd);
        }
        if (check && p.exitValue() != 0) throw new IOException(cmd + " failed (" + p.exitValue() + "): " + out);
    }

    /** The port the server listens on (on 127.0.0.1), as user {@code dataflare} with trust authentication. */
    public int port() {
        return port;
    }

    /** The JDBC URL of database {@code db}. */
    public String jdbcUrl(String db) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + db + "?user=dataflare";
    }

    /** Creates database {@code db} and returns its URL. */
    public String createDatabase(String db) {
        try (Connection c = DriverManager.getConnection(jdbcUrl("postgres"));
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + db);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + db, e);
        }
        return jdbcUrl(db);
    }

    @Override
    public void close() {
        try {
            exec(
                    bin.resolve("pg_ctl").toString(),
                    "-D",
                    dir.resolve("data").toString(),
                    "-m",
                    "immediate",
                    "-w",
                    "stop");
        } catch (IOException | InterruptedException e) {
            // the temporary cluster goes with the directory
        }
        try {
            run(List.of("rm", "-rf", dir.toString()), false);
        } catch (IOException | InterruptedException e) {
            // leave it to the OS's /tmp cleaning
        }
    }
}
