package io.dataflare.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sink's offline buffer with the real {@code http} sink of the packaged distribution, against a receiver that
 * goes down and comes back: nothing is lost, the receiver sees every id, and a run killed with a full spool
 * delivers it after its restart. Prints the spool's size and the drain rate.
 */
class OfflineBufferIT {
    private static final Pattern BATCH = Pattern.compile("\\d{19}_p-?\\d+_n(\\d+)_t\\d+\\.batch");
    private static final int COUNT = 40_000;

    @TempDir
    Path dir;

    private Path pipeline(String url) throws IOException {
        return Files.writeString(dir.resolve("to-api.yaml"), """
                name: to-api
                sources: { gen: { use: generator, with: { count: %d } } }
                sinks:
                  api:
                    use: http
                    from: gen
                    grants: [http:127.0.0.1]
                    with: { url: "%s", format: jsonl, max_retries: 0, timeout_ms: 2000 }
                    buffer: { path: spool, retry_ms: 200 }
                runtime: { batch_size: 500, checkpoint_interval_ms: 300, max_records_per_second: 20000 }
                """.formatted(COUNT, url));
    }

    private Process run(Path pipeline, String name) throws IOException {
        return Distribution.startChild(
                List.of("-Xmx128m"),
                Map.of(),
                dir.resolve(name + ".out"),
                dir.resolve(name + ".err"),
                "run",
                pipeline.toString(),
                "--json",
                "--state-dir",
                dir.resolve("state").toString());
    }

    /** Records in the spool, from its file names. */
    private long spooled() throws IOException {
        Path spool = dir.resolve("spool");
        if (!Files.isDirectory(spool)) return 0;
        try (Stream<Path> s = Files.list(spool)) {
            return s.map(p -> BATCH.matcher(p.getFileName().toString()))
                    .filter(Matcher::matches)
                    .mapToLong(m -> Long.parseLong(m.group(1)))
                    .sum();
        }
    }

    private long spoolBytes() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("spool"))) {
            return s.filter(p -> p.toString().endsWith(".batch"))
                    .mapToLong(p -> p.toFile().length())
                    .sum();
        }
    }

    @Test
    void aReceiverThatGoesDownGetsEveryRecordWhenItComesBackAndAKilledRunDeliversItsSpoolAfterARestart()
            throws Exception {
        try (IngestReceiver receiver = new IngestReceiver()) {
            Path pipeline = pipeline(receiver.url());
            // the receiver is down from the start: every batch goes to the spool, the run keeps going
            Process first = run(pipeline, "first");
            // killed once half is spooled and a checkpoint is stored (the sources are paced: unpaced, a fast machine
            // spooled everything before the first checkpoint, and a run waiting for its spool at the end of its input
            // takes no more)
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> spooled() >= COUNT / 2 && Distribution.hasCheckpoint(dir.resolve("state")));
            long spooledBeforeKill = spooled();
            long bytesBeforeKill = spoolBytes();
            assertThat(first.isAlive())
                    .as("a sink that is down does not fail the run")
                    .isTrue();
            first.destroyForcibly(); // SIGKILL with a non-empty spool
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(receiver.distinct()).isZero();

            // restarted with the receiver still down: it resumes, spools the rest, and waits for the receiver
            Process second = run(pipeline, "second");
            await().atMost(Duration.ofSeconds(90)).until(() -> spooled() >= COUNT);
            long spoolAtPeak = spooled();
            long bytesAtPeak = spoolBytes();
            assertThat(second.isAlive()).isTrue();
            assertThat(Files.readString(dir.resolve("second.err"))).contains("resuming 'to-api' from checkpoint");

            long up = System.nanoTime();
            receiver.up();
            assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String err = Files.readString(dir.resolve("second.err"));
            assertThat(second.exitValue()).as(err).isZero();
            String out = Files.readString(dir.resolve("second.out")).trim();
            assertThat(out.substring(out.lastIndexOf('\n') + 1)).contains("\"status\":\"COMPLETED\"");

            assertThat(receiver.distinct()).as("every record arrived").isEqualTo(COUNT);
            assertThat(receiver.counts.keySet()).allMatch(id -> id >= 0 && id < COUNT);
            assertThat(receiver.duplicates()).as("nothing sent twice").isZero();
            assertThat(spooled()).as("the spool is drained").isZero();
            double seconds = (receiver.lastNanos.get() - up) / 1e9;
            System.out.printf(
                    "offline buffer: %,d records (%,d bytes) spooled before SIGKILL, %,d records (%,d bytes) at the"
                            + " peak; drained %,d records in %.2f s after the receiver came back (%,.0f records/s,"
                            + " %d requests)%n",
                    spooledBeforeKill,
                    bytesBeforeKill,
                    spoolAtPeak,
                    bytesAtPeak,
                    COUNT,
                    seconds,
                    COUNT / seconds,
                    receiver.requests.get());
        }
    }

    @Test
    void aReceiverGoingDownMidRunLosesNothing() throws Exception {
        try (IngestReceiver receiver = new IngestReceiver()) {
            receiver.delayMs = 50; // 80 requests: the run lasts a few seconds
            receiver.up();
            Path pipeline = pipeline(receiver.url());
            Process p = run(pipeline, "flaky");
            await().atMost(Duration.ofSeconds(60)).until(() -> receiver.distinct() > 0);
            receiver.down();
            await().atMost(Duration.ofSeconds(60)).until(() -> spooled() > 0);
            Thread.sleep(1000);
            assertThat(p.isAlive()).isTrue();
            receiver.up();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue())
                    .as(Files.readString(dir.resolve("flaky.err")))
                    .isZero();
            assertThat(receiver.distinct()).isEqualTo(COUNT);
            System.out.printf(
                    "offline buffer (down mid-run): %,d duplicates of %,d records (requests cut by the stop)%n",
                    receiver.duplicates(), COUNT);
        }
    }
}
