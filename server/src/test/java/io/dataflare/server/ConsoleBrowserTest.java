package io.dataflare.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dataflare.engine.testing.InProcessPlugins;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * driver is downloaded). Logs in with the admin token and finds the task list; screenshots go to target/.
 */
class ConsoleBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path DRIVER = Path.of("/usr/bin/chromedriver");

    private static final String PIPELINE = """
            sources:
              numbers: { use: seq, with: { count: 10 } }
            sinks:
              out: { use: collect, from: numbers, with: { name: out } }
            """;

    @Test
    void logsInAndSeesTheTaskList(@TempDir Path dir) throws Exception {
        assumeTrue(
                Files.isExecutable(CHROMIUM) && Files.isExecutable(DRIVER),
                "needs Debian's chromium and chromium-driver (.ci/run installs them)");
        try (TestServer s = new TestServer(new InProcessPlugins(), dir.resolve("state"))) {
            s.create("orders-demo", PIPELINE);
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(DRIVER.toFile())
                    .usingAnyFreePort()
                    .build();
            ChromeDriver browser = new ChromeDriver(service, options);
            try {
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
                browser.get(s.url() + "/");
                WebElement token = wait.until(b -> b.findElement(By.id("token")));
                screenshot(browser, "console-login.png");
                token.sendKeys(TestServer.TOKEN);
                browser.findElement(By.cssSelector("#login button[type=submit]"))
                        .click();
                WebElement row = wait.until(b -> b.findElement(By.cssSelector("tr[data-task='orders-demo']")));
                assertThat(row.getText()).contains("orders-demo").contains("READY");
                assertThat(row.findElement(By.cssSelector("button[data-action=start]"))
                                .isDisplayed())
                        .isTrue();
                assertThat(browser.findElement(By.id("who")).getText()).contains("admin");
                screenshot(browser, "console-tasks.png");
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
