package io.trafficanalyzer.web;

import io.trafficanalyzer.core.testing.Prerequisite;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The browser of the browser tests: Debian's {@code chromium}, headless, driven through its {@code chromedriver};
 * missing, the test is skipped with the reason, or failed under CI ({@link Prerequisite}). Screenshots go to
 * {@code target/screenshots}, kept as test artifacts.
 */
final class HeadlessChromium
{
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium()
    {
    }

    /*
     * Skips (fails under CI) unless chromium and chromedriver are installed.
     */
    static void require()
    {
        Prerequisite.require(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
            "chromium and chromedriver are not installed (apt-get install chromium chromium-driver)");
    }

    static ChromeDriver start() throws IOException
    {
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--window-size=1400,1100", "--lang=en-US");
        final ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .build();
        Files.createDirectories(SCREENSHOTS);
        return new ChromeDriver(service, options);
    }

    static void screenshot(final ChromeDriver browser, final String name) throws IOException
    {
        final File shot = ((TakesScreenshot)browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }
}
