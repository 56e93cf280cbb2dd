package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dataflare.engine.testing.InProcessPlugins;
import io.dataflare.server.access.AuthSettings;
import io.dataflare.server.access.NamedToken;
import io.dataflare.server.access.Role;
import io.dataflare.server.access.TaskPatterns;
import io.dataflare.server.http.Auth;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser: Debian's headless Chromium driven by Selenium through its chromedriver (no
 * driver is downloaded). An admin sees the task list with the actions its state allows, a viewer the same list
 * without any; screenshots go to target/console-screenshots/.
 */
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");
    private static final String VIEWER_TOKEN = "viewer-token-0123456789";

    private static final String PIPELINE = """
            sources:
              numbers: { use: seq, with: { count: 10 } }
            sinks:
              out: { use: collect, from: numbers, with: { name: out } }
            """;

    @TempDir
    Path dir;

    @BeforeEach
    void needsChromium() {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (.ci/run installs them)");
    }

    private TestServer server() {
        AuthSettings auth = new AuthSettings(
                List.of(new NamedToken("grafana", Auth.hash(VIEWER_TOKEN), Role.VIEWER, TaskPatterns.ALL, null)),
                null,
                null,
                Map.of());
        TestServer s = new TestServer(
                new InProcessPlugins(),
                dir.resolve("state"),
                ServerConfig.defaults().auth(auth));
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
        return new ChromeDriver(service, options);
    }

    /** Logs in with {@code token} and answers the task row once the list shows it. */
    private static WebElement logIn(ChromeDriver browser, TestServer s, String token, String screenshotPrefix)
            throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        browser.get(s.url() + "/");
        WebElement field = wait.until(b -> b.findElement(By.id("token")));
        screenshot(browser, screenshotPrefix + "-login.png");
        field.sendKeys(token);
        browser.findElement(By.cssSelector("#login button[type=submit]")).click();
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
                screenshot(browser, "admin-tasks.png");
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
                screenshot(browser, "viewer-tasks.png");
            } finally {
                browser.quit();
            }
        }
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Path target = Path.of("target", "console-screenshots");
        Files.createDirectories(target);
        Files.write(target.resolve(name), browser.getScreenshotAs(OutputType.BYTES));
    }
}
