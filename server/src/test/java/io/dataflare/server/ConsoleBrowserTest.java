package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dataflare.api.data.Record;
import io.dataflare.api.data.RecordBatch;
import io.dataflare.engine.Engine;
import io.dataflare.engine.plugin.sign.KeyFiles;
import io.dataflare.engine.plugin.sign.PluginSignature;
import io.dataflare.engine.plugin.sign.PluginTrust;
import io.dataflare.engine.testing.Fixtures;
import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.server.access.AuthSettings;
import io.dataflare.server.access.NamedToken;
import io.dataflare.server.access.Role;
import io.dataflare.server.access.TaskPatterns;
import io.dataflare.server.http.Auth;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's headless Chromium driven by Selenium through its chromedriver (no
 * driver is downloaded). An admin sees the task list with the actions its state allows, a viewer the same list
 * without any; an admin writes a pipeline with a mistake, sees it at its line, fixes it, creates and starts the
 * task, sees records/s move, pauses it and finds a plugin's two versions. Every page passes axe-core's WCAG 2.1
 * A/AA rules (labels, contrast, keyboard-reachable controls, landmarks); screenshots go to
 * target/console-screenshots/.
 */
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final String VIEWER_TOKEN = "viewer-token-0123456789";

    /** Its dead letters are kept by the server (a memory dead-letter sink), which a writer could replay. */
    private static final String PIPELINE = """
            sources:
              numbers: { use: seq, with: { count: 10 } }
            sinks:
              out: { use: collect, from: numbers, with: { name: out } }
            policies:
              errors: { on_error: dead-letter, dead_letter: { use: memory } }
            """;

    /** Whether {@code picky} has been "fixed": until then it refuses the ids ending in 07. */
    private static final java.util.concurrent.atomic.AtomicBoolean PICKY_FIXED =
            new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * A deliberate mistake on line 7 (an option the collect sink does not have); that sink is slow so it runs, the
     * memory sink keeps the last records for the page's output tail, and the records {@code picky} refuses go to a
     * memory dead-letter sink, which the page lists with their reasons.
     */
    private static final String MISTAKEN = """
            sources:
              numbers: { use: seq, with: { count: 100000000, chunk: 10 } }
            sinks:
              out:
                use: collect
                from: numbers
                with: { name: live, dealy_ms: 20 }
              tail: { use: memory, from: checked }
            processors:
              checked: { use: picky, from: numbers }
            policies:
              errors: { on_error: dead-letter, dead_letter: { use: memory } }
            runtime: { checkpoint_interval_ms: 500 }
            """;

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @BeforeEach
    void needsChromium() {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    }

    private TestServer server() {
        return server(null);
    }

    /** A server with a viewer token besides the admin one, over {@code engine} (null: the test plugins only). */
    private TestServer server(Engine engine) {
        AuthSettings auth = new AuthSettings(
                List.of(new NamedToken("grafana", Auth.hash(VIEWER_TOKEN), Role.VIEWER, TaskPatterns.ALL, null)),
                null,
                null,
                Map.of());
        ServerConfig config = ServerConfig.defaults().auth(auth);
        TestServer s = engine == null
                ? new TestServer(new InProcessPlugins(), dir.resolve("state"), config)
                : new TestServer(new InProcessPlugins(), engine, dir.resolve("state"), config);
        s.create("orders-demo", PIPELINE);
        return s;
    }

    private static ChromeDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(WAIT);
        return browser;
    }

    /** Logs in with {@code token} and answers the task row once the list shows it. */
    private static WebElement logIn(ChromeDriver browser, TestServer s, String token, String screenshotPrefix)
            throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get(s.url() + "/");
        WebElement field = wait.until(b -> b.findElement(By.id("token")));
        screenshot(browser, screenshotPrefix + "-login.png");
        assertAccessible(browser, "login");
        field.sendKeys(token, Keys.ENTER); // the form works from the keyboard
        return wait.until(b -> b.findElement(By.cssSelector("tr[data-task='orders-demo']")));
    }

    @Test
    void anAdminSeesTheTaskListWithItsActions() throws Exception {
        try (TestServer s = server()) {
            ChromeDriver browser = browser();
            try {
                WebElement row = logIn(browser, s, TestServer.TOKEN, "admin");
                assertThat(row.getText()).contains("orders-demo").contains("READY");
                assertThat(row.findElements(By.cssSelector("button[data-action]")))
                        .extracting(b -> b.getDomAttribute("data-action"))
                        .containsExactly("start", "delete");
                assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("admin (admin)");
                assertThat(browser.findElement(By.id("nav-new")).isDisplayed()).isTrue();
                assertThat(browser.findElement(By.id("tasks")).getText()).contains("Dead-lettered");
                assertThat(row.findElements(By.cssSelector("svg.spark"))).hasSize(1);
                assertAccessible(browser, "tasks");
                screenshot(browser, "admin-tasks.png");

                // keyboard: Tab from the task's link reaches its first action, and the focus survives the list's
                // refresh (the rows are redrawn every two seconds)
                WebElement link = row.findElement(By.linkText("orders-demo"));
                browser.executeScript("arguments[0].focus()", link);
                browser.switchTo().activeElement().sendKeys(Keys.TAB);
                assertThat(browser.switchTo().activeElement().getDomAttribute("data-action"))
                        .isEqualTo("start");
                new WebDriverWait(browser, WAIT).until(ExpectedConditions.stalenessOf(row));
                assertThat(browser.switchTo().activeElement().getDomAttribute("data-action"))
                        .isEqualTo("start");

                // the check can fail: an input without a label is a violation axe reports
                browser.executeScript(
                        "document.getElementById('main').insertAdjacentHTML('beforeend', '<input id=\"unlabelled\">')");
                assertThat(violations(browser)).contains("\"rule\":\"label\"").contains("#unlabelled");
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void aViewerSeesTheTaskListWithoutActions() throws Exception {
        try (TestServer s = server()) {
            ChromeDriver browser = browser();
            try {
                WebElement row = logIn(browser, s, VIEWER_TOKEN, "viewer");
                assertThat(row.getText()).contains("orders-demo").contains("READY");
                assertThat(browser.findElements(By.cssSelector("button[data-action]")))
                        .isEmpty();
                assertThat(browser.findElement(By.id("tasks")).getText()).doesNotContain("Actions");
                assertThat(browser.findElement(By.id("who")).getText()).isEqualTo("grafana (viewer)");
                assertThat(browser.findElement(By.id("nav-new")).isDisplayed()).isFalse();
                screenshot(browser, "viewer-tasks.png");

                // the task page: no lifecycle buttons either, and the editor is not offered by its address
                browser.findElement(By.linkText("orders-demo")).click();
                new WebDriverWait(browser, WAIT)
                        .until(b -> b.findElement(By.id("task-state")).getText().equals("READY"));
                assertThat(browser.findElements(By.cssSelector("#task-actions button")))
                        .isEmpty();
                // its dead letters are kept, but a viewer is offered no replay
                new WebDriverWait(browser, WAIT)
                        .until(b ->
                                b.findElement(By.id("dead-letters")).getText().contains("None kept."));
                assertThat(browser.findElements(By.id("replay-dead"))).isEmpty();
                browser.get(s.url() + "/#/new");
                new WebDriverWait(browser, WAIT)
                        .until(b -> !b.findElements(By.id("tasks")).isEmpty());
                assertThat(browser.findElements(By.id("pipeline-text"))).isEmpty();
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void anAdminWritesAPipelineFixesItRunsItPausesItAndFindsAPluginsTwoVersions() throws Exception {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        Path trusted = Files.createDirectories(dir.resolve("trusted"));
        KeyPair acme = KeyFiles.generate();
        KeyFiles.writePublic(acme.getPublic(), trusted.resolve("acme.pub"));
        Fixtures.stamp(plugins.resolve("stamp-1.0.0.jar"), "1.0.0");
        PluginSignature.sign(Fixtures.stamp(plugins.resolve("stamp-1.5.0.jar"), "1.5.0"), acme.getPrivate());
        PICKY_FIXED.set(false);
        InProcessPlugins inProcess = new InProcessPlugins().processor("picky", () -> batch -> {
            RecordBatch.Builder out = RecordBatch.builder(batch.size());
            for (Record r : batch) {
                long id = ((Number) r.get("id")).longValue();
                if (id % 100 == 7 && !PICKY_FIXED.get()) out.reject(r, "id " + id + " ends in 07");
                else out.add(r);
            }
            return out.build();
        });
        // signatures are checked against the trust store (not required: the unsigned version loads too)
        Engine engine = Engine.builder()
                .meters(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
                .environment(Map.of())
                .pluginDirectory(plugins)
                .registry(r -> r.engineVersion("1.0.0").trust(new PluginTrust(false, List.of(trusted))))
                .build();
        engine.plugins().register(inProcess.plugin());
        engine.plugins().register(RequestingPlugin.fetcher());
        try (TestServer s = server(engine)) {
            ChromeDriver browser = browser();
            // the pages redraw parts of themselves from the event stream: look elements up again when that happens
            WebDriverWait wait = new WebDriverWait(browser, WAIT);
            wait.ignoring(StaleElementReferenceException.class);
            try {
                logIn(browser, s, TestServer.TOKEN, "flow");

                // the editor: the mistake is shown at its line, in the list and in the gutter
                browser.findElement(By.linkText("New task")).click();
                WebElement text = wait.until(b -> b.findElement(By.id("pipeline-text")));
                browser.findElement(By.id("task-id")).sendKeys("live-numbers");
                text.clear();
                text.sendKeys(MISTAKEN);
                WebElement problem = wait.until(b -> b.findElement(By.cssSelector("#problems li[data-line='7']")));
                assertThat(problem.getText()).contains("Line 7").contains("dealy_ms");
                assertThat(browser.findElements(By.cssSelector("#gutter .bad")))
                        .extracting(e -> e.getDomAttribute("data-line"))
                        .containsExactly("7");
                assertThat(browser.findElement(By.id("validity")).getText()).contains("1 problem");
                assertAccessible(browser, "editor");
                screenshot(browser, "editor-problem.png");

                // fixed: valid, created, and its page opens
                text.clear();
                text.sendKeys(MISTAKEN.replace("dealy_ms", "delay_ms"));
                wait.until(b -> b.findElement(By.id("validity")).getText().equals("The pipeline is valid."));
                assertThat(browser.findElements(By.cssSelector("#problems li"))).isEmpty();
                assertThat(browser.findElements(By.cssSelector("#gutter .bad"))).isEmpty();
                browser.findElement(By.id("create")).click();
                wait.until(b -> b.findElement(By.id("task-state")).getText().equals("READY"));
                assertThat(s.state("live-numbers")).isEqualTo("READY");

                // started: records/s moves on the page, from the task's event stream
                browser.findElement(By.cssSelector("#task-actions button[data-action='start']"))
                        .click();
                wait.until(b -> b.findElement(By.id("task-state")).getText().equals("RUNNING"));
                wait.until(b -> rate(b.findElement(By.id("rate-now")).getText()) > 0);
                // a few points on the chart (progress comes about twice a second)
                wait.until(b -> points(b, "rate") >= 4);
                // end-to-end latency (p50, p99), charted beside it
                wait.until(b -> points(b, "latency") >= 2);
                String latencyNow = browser.findElement(By.id("latency-now")).getText();
                assertThat(latencyNow).matches("p50 [\\d.,]+ ms · p99 .*");
                assertThat(rate(latencyNow.split(" ")[1])).isPositive();
                // the queue on each edge of the graph, batches waiting / capacity: the slow sink's is full
                // (read at once: the graph is redrawn every two seconds)
                String fullEdge = wait.until(b -> {
                    WebElement e = b.findElement(
                            By.cssSelector("#dag text.edge-label.full[data-from='numbers'][data-to='out']"));
                    return e.getDomAttribute("data-depth") + " " + e.getDomAttribute("data-capacity") + " "
                            + e.getText();
                });
                assertThat(fullEdge).matches("(\\d+) \\1 numbers → out: \\1 of \\1 batches queued \\(full\\)\\1/\\1");
                assertThat(browser.findElements(By.cssSelector("#dag text.edge-label")))
                        .extracting(e -> e.getDomAttribute("data-from") + "→" + e.getDomAttribute("data-to"))
                        .containsExactlyInAnyOrder("numbers→checked", "numbers→out", "checked→tail");
                // each stage: plugin id@version and language, its instances, and its records/s between two
                // drawings (the source keeps going at the slow sink's pace)
                String checked = wait.until(b -> {
                    WebElement node = b.findElement(By.cssSelector("#dag g.node[data-stage='checked']"));
                    String rate = node.getDomAttribute("data-rate");
                    return rate == null || rate.isEmpty() || Double.parseDouble(rate) <= 0
                            ? null
                            : node.getDomAttribute("data-language") + " " + node.getDomAttribute("data-instances") + " "
                                    + node.getText().replace('\n', ' ');
                });
                assertThat(checked).matches("java 1 checked \\S+@\\S+ · java ×1 · [\\d,]+ out · [\\d,.]+/s");
                assertThat(s.state("live-numbers")).isEqualTo("RUNNING");
                // the output tail: the memory sink's last records
                wait.until(b -> b.findElement(By.cssSelector("pre.tail[data-sink='tail']"))
                        .getText()
                        .contains("\"id\":"));
                // the dead letters kept by the memory dead-letter sink, with the stage and the reason
                // the table is redrawn as letters arrive: read the row's text in the wait, not after it
                String dead = wait.until(b -> b.findElement(By.cssSelector("#dead-letters tr.dead-letter"))
                        .getText());
                assertThat(dead).contains("checked").containsPattern("id \\d*07 ends in 07");
                wait.until(b -> !b.findElement(By.id("dead-summary")).getText().startsWith("0 "));
                assertThat(browser.findElement(By.id("dead-summary")).getText())
                        .contains("dead-lettered")
                        .contains("dead-letter sink memory");
                // the event log: the start, from the task's event stream
                wait.until(b -> eventLog(b, "state").contains("READY → RUNNING"));
                wait.until(b -> eventLog(b, "checkpoint").matches("(?s).*checkpoint #\\d+ saved.*"));
                assertAccessible(browser, "task");
                screenshot(browser, "task-running.png");

                // paused: the page shows the new state and offers resume instead of pause
                browser.findElement(By.cssSelector("#task-actions button[data-action='pause']"))
                        .click();
                wait.until(b -> b.findElement(By.id("task-state")).getText().equals("PAUSED"));
                assertThat(s.state("live-numbers")).isEqualTo("PAUSED");
                wait.until(b -> b.findElements(By.cssSelector("#task-actions button")).stream()
                        .map(e -> e.getDomAttribute("data-action"))
                        .toList()
                        .equals(List.of("resume", "stop")));
                wait.until(b -> b.findElement(By.id("rate-now")).getText().equals("0"));
                wait.until(b -> eventLog(b, "state").contains("RUNNING → PAUSED"));
                assertThat(eventLog(browser, "state").indexOf("RUNNING → PAUSED"))
                        .as("newest first")
                        .isLessThan(eventLog(browser, "state").indexOf("READY → RUNNING"));
                assertAccessible(browser, "task (paused)");
                screenshot(browser, "task-paused.png");
                // the lower half of the page: the dead letters and the event log
                browser.executeScript("document.getElementById('dead-title').scrollIntoView()");
                screenshot(browser, "task-events.png");

                // fixed: Replay puts the dead letters back into the paused task; they reach the sinks and leave the
                // list
                PICKY_FIXED.set(true);
                WebElement replay = wait.until(b -> {
                    WebElement r = b.findElement(By.id("replay-dead"));
                    return r.isEnabled() ? r : null;
                });
                replay.click();
                wait.until(b -> b.findElement(By.id("replay-result"))
                        .getText()
                        .matches("[\\d,]+ dead letter\\(s\\) put back \\([\\d,]+ into checked\\)\\."));
                await().atMost(WAIT)
                        .until(() -> s.get("/api/tasks/live-numbers/output?sink=tail&limit=10000")
                                .body()
                                .matches("(?s).*\"id\":\\d*07[,}].*"));
                wait.until(b -> b.findElement(By.id("dead-letters")).getText().contains("None kept."));
                wait.until(b -> eventLog(b, "replay").contains("put back"));
                assertAccessible(browser, "task (replayed)");
                screenshot(browser, "task-replayed.png");

                // the plugins page: both installed versions of stamp side by side, newest first
                browser.findElement(By.linkText("Plugins")).click();
                WebElement stamp = wait.until(b -> b.findElement(By.cssSelector("tr[data-component='stamp']")));
                assertThat(stamp.findElements(By.cssSelector("li.version")))
                        .extracting(e -> e.getDomAttribute("data-version"))
                        .containsExactly("1.5.0", "1.0.0");
                // which task uses which version: the running task's components, not the others of their plugin
                assertThat(browser.findElement(By.cssSelector("tr[data-component='seq']"))
                                .getText())
                        .contains("used by live-numbers");
                assertThat(browser.findElement(By.cssSelector("tr[data-component='abort']"))
                                .getText())
                        .doesNotContain("used by");
                // each version's signature as the server checked it against its trust store
                assertThat(signature(stamp, "1.5.0")).isEqualTo("signed by acme");
                assertThat(signature(stamp, "1.0.0")).isEqualTo("unsigned");
                assertThat(signature(browser.findElement(By.cssSelector("tr[data-component='seq']")), "1.0.0"))
                        .isEqualTo("built into the server");
                // the capabilities a plugin's manifest requests
                WebElement fetch = browser.findElement(By.cssSelector("tr[data-component='fetch']"));
                assertThat(fetch.findElement(By.cssSelector(".capabilities")).getText())
                        .isEqualTo("Capabilities: http:api.example.com, file:read:data/*.csv");
                assertThat(stamp.findElement(By.cssSelector("li.version .capabilities"))
                                .getText())
                        .isEqualTo("No capabilities beyond log and state");
                assertAccessible(browser, "plugins");
                screenshot(browser, "plugins.png");
            } finally {
                browser.quit();
            }
        }
    }

    @Test
    void aViewerFollowsAWorkflowExecutionInItsStateMachineAndHistory() throws Exception {
        try (TestServer s = server()) {
            String workflow = """
                    {"id": "nightly", "definition": {"StartAt": "Prepare", "States": {
                      "Prepare": {"Type": "Pass", "Next": "Hold"},
                      "Hold": {"Type": "Wait", "Seconds": 600, "Next": "Done"},
                      "Done": {"Type": "Succeed"}}}}
                    """;
            assertThat(s.post("/api/workflows", "application/json", workflow).status())
                    .isEqualTo(201);
            assertThat(s.post("/api/workflows/nightly/executions", "application/json", "{\"name\": \"nightly-1\"}")
                            .status())
                    .isEqualTo(201);
            String expense = """
                    {"id": "expense", "definition": {"StartAt": "Approve", "States": {
                      "Approve": {"Type": "Task", "Resource": "approval.waitForTaskToken",
                                  "Parameters": {"approvers": ["manager"], "amount.$": "$.amount"},
                                  "ResultPath": "$.approval", "End": true}}}}
                    """;
            assertThat(s.post("/api/workflows", "application/json", expense).status())
                    .isEqualTo(201);
            assertThat(s.post(
                                    "/api/workflows/expense/executions",
                                    "application/json",
                                    "{\"name\": \"exp-1\", \"input\": {\"amount\": 700}}")
                            .status())
                    .isEqualTo(201);
            ChromeDriver browser = browser();
            WebDriverWait wait = new WebDriverWait(browser, WAIT);
            wait.ignoring(StaleElementReferenceException.class);
            try {
                logIn(browser, s, VIEWER_TOKEN, "workflow");
                browser.findElement(By.linkText("Workflows")).click();
                wait.until(b -> b.findElement(By.cssSelector("tr[data-workflow='nightly']")));
                WebElement execution = wait.until(b -> b.findElement(By.cssSelector("tr[data-execution='nightly-1']")));
                assertThat(execution.getText()).contains("nightly").contains("RUNNING");
                // the pending approval, without buttons for a viewer
                WebElement approval = wait.until(b -> b.findElement(By.cssSelector("#approvals tr[data-approval]")));
                assertThat(approval.getText())
                        .contains("exp-1")
                        .contains("Approve")
                        .contains("manager");
                assertThat(browser.findElements(By.cssSelector("#approvals button")))
                        .isEmpty();
                assertThat(browser.findElement(By.id("approvals")).getText()).doesNotContain("Decide");
                assertAccessible(browser, "workflows");
                screenshot(browser, "workflows-viewer.png");
                execution.findElement(By.linkText("nightly-1")).click();

                // the machine drawn with the state it waits in highlighted, the history as a timeline
                wait.until(b -> b.findElement(By.id("current-state")).getText().equals("Hold"));
                assertThat(browser.findElement(By.id("execution-status")).getText())
                        .isEqualTo("RUNNING");
                assertThat(browser.findElements(By.cssSelector("#machine g.node.current")))
                        .extracting(e -> e.getDomAttribute("data-state"))
                        .containsExactly("Hold");
                assertThat(browser.findElements(By.cssSelector("#machine g.node.visited")))
                        .extracting(e -> e.getDomAttribute("data-state"))
                        .containsExactly("Prepare");
                assertThat(browser.findElements(By.cssSelector("#history li")))
                        .extracting(e -> e.getDomAttribute("data-type"))
                        .startsWith("ExecutionStarted")
                        .contains("StateEntered", "StateExited", "WaitStarted");
                assertAccessible(browser, "execution");
                screenshot(browser, "execution.png");

                // an admin may decide, here on behalf of the approver: approved, the execution goes on and ends
                browser.findElement(By.id("logout")).click();
                logIn(browser, s, TestServer.TOKEN, "approver");
                browser.findElement(By.linkText("Workflows")).click();
                WebElement approve = wait.until(b ->
                        b.findElement(By.cssSelector("#approvals tr[data-approval] button[data-decision='approve']")));
                assertThat(approve.getText()).isEqualTo("Approve as manager");
                assertThat(browser.findElements(By.cssSelector("#approvals button")).stream()
                                .map(WebElement::getText)
                                .toList())
                        .containsExactly("Approve as manager", "Reject as manager");
                assertAccessible(browser, "workflows (admin)");
                screenshot(browser, "workflows.png");
                approve.click();
                wait.until(
                        b -> b.findElement(By.id("approvals-status")).getText().equals("Approved as manager."));
                wait.until(b -> b.findElements(By.cssSelector("#approvals tr[data-approval]"))
                        .isEmpty());
                await().atMost(WAIT)
                        .until(
                                () -> s.get("/api/executions/exp-1")
                                        .json()
                                        .get("status")
                                        .asText(),
                                "SUCCEEDED"::equals);
                assertThat(s.get("/api/executions/exp-1/history").body()).contains("manager");
            } finally {
                browser.quit();
            }
        }
    }

    /** How many points the chart {@code id} has drawn. */
    private static int points(org.openqa.selenium.WebDriver b, String id) {
        return Integer.parseInt(
                Objects.requireNonNullElse(b.findElement(By.id(id)).getDomAttribute("data-points"), "0"));
    }

    /** The task page's event log entries of {@code type}, newest first, one a line. */
    private static String eventLog(org.openqa.selenium.WebDriver b, String type) {
        return String.join(
                "\n",
                b.findElements(By.cssSelector("#event-log li[data-event='" + type + "']")).stream()
                        .map(WebElement::getText)
                        .toList());
    }

    /** The signature status shown for {@code version} in a component's row. */
    private static String signature(WebElement row, String version) {
        return row.findElement(By.cssSelector("li.version[data-version='" + version + "'] .signature"))
                .getText();
    }

    /** The number a page shows (formatted with thousands separators). */
    private static double rate(String shown) {
        try {
            return Double.parseDouble(shown.replace(",", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** axe-core, injected into the page as it is, run against WCAG 2.0/2.1 A and AA: no violation. */
    private static void assertAccessible(ChromeDriver browser, String page) {
        assertThat(violations(browser)).as("axe-core on the %s page", page).isEqualTo("[]");
    }

    /** axe-core's violations on the page as it is now, as JSON. */
    private static String violations(ChromeDriver browser) {
        browser.executeScript(AXE);
        return (String) browser.executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } })
                  .then((r) => done(JSON.stringify(r.violations.map((v) => ({
                    rule: v.id, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")) })))))
                  .catch((e) => done("axe failed: " + e));
                """);
    }

    private static final String AXE = resource("/axe/axe.min.js");

    private static String resource(String name) {
        try (InputStream in = ConsoleBrowserTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " is missing (npm run build copies it)");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Path target = Path.of("target", "console-screenshots");
        Files.createDirectories(target);
        Files.write(target.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }
}
