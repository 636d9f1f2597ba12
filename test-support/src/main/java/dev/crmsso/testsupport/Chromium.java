package dev.crmsso.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from Debian's packages ({@code chromium}, {@code chromium-driver}; .ci/run
 * installs them), driven by Selenium, with the flags this closed-network machine needs.
 */
public final class Chromium {

    private static final String BINARY = System.getProperty("chromium.binary", "/usr/bin/chromium");
    private static final String DRIVER = System.getProperty("chromium.driver", "/usr/bin/chromedriver");

    private Chromium() {
    }

    /** A fresh browser (own profile, no cookies) with a window of the given width and height. */
    public static ChromeDriver start(int width, int height, String acceptLanguage) {
        try {
            Path profile = Files.createTempDirectory("crm-sso-chromium");
            ChromeOptions options = new ChromeOptions().setBinary(BINARY).addArguments(
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--lang=" + acceptLanguage,
                    "--window-size=" + width + "," + height);
            options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", acceptLanguage));
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(new File(DRIVER)).usingAnyFreePort().build();
            ChromeDriver driver = new ChromeDriver(service, options) {
                @Override
                public void quit() {
                    try {
                        super.quit();
                    } finally {
                        // a profile is some 13 MB, and a test run starts hundreds of browsers
                        try {
                            KeycloakServer.deleteTree(profile);
                        } catch (IOException e) {
                            // left in the system's temporary folder
                        }
                    }
                }
            };
            driver.manage().window().setSize(new Dimension(width, height));
            driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
            return driver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a PNG of what the browser shows, for a reviewer to look at. */
    public static Path screenshot(ChromeDriver driver, Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
