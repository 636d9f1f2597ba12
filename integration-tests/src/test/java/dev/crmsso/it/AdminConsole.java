package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.crmsso.testsupport.Chromium;
import dev.crmsso.testsupport.KeycloakServer;

/**
 * An admin in Keycloak's admin console (a React app), in Chromium: signs in to the master realm, goes to a realm
 * through "Manage realms" and its menu, reads labels and the help texts behind their (?) icons, changes settings and
 * saves. Every wait is for a condition on the page (generous, for a busy 2-core machine), never for a time.
 * <p>
 * {@link #assertClean} is what every page must pass: no message key of the bundle on the page
 * ({@code crmSso…}, {@code mydbr…}, or a console key built from {@code Mydbr}/{@code CrmSso}, e.g.
 * {@code advancedSettingsMydbr}), and no JavaScript error that belongs to the bundle: an error in the browser's
 * console that names one of the bundle's providers or messages, or any request the server answered with a 5xx.
 * Errors of the console itself on pages that show nothing of the bundle (e.g. PatternFly's "Text input requires
 * either an id or aria-label") are not the bundle's and are left to Keycloak.
 */
final class AdminConsole implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "admin-console");
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A message key of the bundle, or a console key built from the myDBR protocol's name, shown as text. */
    private static final Pattern UNTRANSLATED = Pattern.compile(
            "\\b(?:crmSso|mydbr)[A-Z]\\w*|\\b[a-z]\\w*(?:CrmSso|Mydbr)\\w*");
    /** What names the bundle in a browser console error: its provider ids and message key prefixes. */
    private static final Pattern BUNDLE = Pattern.compile(
            "crm-sso|crmsso|mydbr|crm-contacts|crm-group-sync|crm_account|sso_groups", Pattern.CASE_INSENSITIVE);
    private static final Pattern SERVER_ERROR = Pattern.compile("status of 5\\d\\d");

    final ChromeDriver browser;
    private final WebDriverWait wait;
    private final List<String> bundleErrors = new ArrayList<>();
    private static int failures;

    /** Signs in to the admin console of the Keycloak at this URL as its bootstrap admin. */
    AdminConsole(String keycloakUrl) {
        this(keycloakUrl, KeycloakServer.ADMIN_USER, KeycloakServer.ADMIN_PASSWORD);
    }

    /** Signs in as this admin of the master realm, from a browser whose language is English. */
    AdminConsole(String keycloakUrl, String username, String password) {
        browser = Chromium.start(1400, 1000, "en");
        wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(200));
        // React replaces elements while it renders: look again rather than fail
        wait.ignoring(NoSuchElementException.class, StaleElementReferenceException.class);
        browser.get(keycloakUrl + "/admin/master/console/");
        visible(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("kc-login")).click();
        visible(By.cssSelector("[data-testid=nav-item-realms]"));
    }

    /**
     * Manage realms, the realm's name in its search box, then the realm: its own page. The list shows 10 realms a
     * page in the server's order, not by name, so on a server with more realms (a whole test run has 16) the realm is
     * on page 1 only by chance; an admin searches.
     */
    void openRealm(String realm, String displayName) {
        click(By.cssSelector("[data-testid=nav-item-realms]"));
        WebElement search = visible(By.cssSelector("[data-testid=table-search-input] input"));
        search.sendKeys(realm, Keys.ENTER);
        click(By.xpath("//table//a[normalize-space()=" + xpathString(realm) + "]"));
        wait.until(b -> displayName.equals(b.findElement(By.cssSelector("[data-testid=currentRealm]")).getText()));
    }

    /** An entry of the realm's menu (its data-testid: {@code nav-item-clients}, ...); waits for its page's title. */
    void menu(String navItem, String title) {
        click(By.cssSelector("[data-testid=" + navItem + "]"));
        waitForTitle(title);
    }

    void waitForTitle(String title) {
        until("the page " + title, b -> title.equals(b.findElement(By.cssSelector("h1[data-testid=view-header]")).getText()));
    }

    /** A link in the page's table, by its text. */
    void openLink(String text) {
        click(By.xpath("//table//a[normalize-space()=" + xpathString(text) + "]"));
    }

    /** A tab of the page, by its data-testid. */
    void tab(String testId) {
        click(By.cssSelector("[data-testid='" + testId + "']"));
        until("tab " + testId + " selected", b -> {
            WebElement tab = b.findElement(By.cssSelector("[data-testid='" + testId + "']"));
            return "true".equals(tab.getAttribute("aria-selected"))
                    || tab.findElement(By.xpath("./ancestor-or-self::li[1]")).getAttribute("class").contains("pf-m-current");
        });
    }

    /** The form field whose label reads {@code label} (the label's {@code for}). */
    WebElement field(String label) {
        WebElement labelElement = visible(labelBy(label));
        return browser.findElement(By.id(labelElement.getAttribute("for")));
    }

    /** The help text behind the (?) icon of a form field: opens its popover, reads it, closes it. */
    String help(String label) {
        WebElement icon = visible(By.xpath("//div[contains(@class,'pf-v5-c-form__group-label')][.//span[contains("
                + "@class,'pf-v5-c-form__label-text') and normalize-space()=" + xpathString(label) + "]]"
                + "//button[contains(@class,'pf-v5-c-form__group-label-help')]"));
        return popover(icon);
    }

    /** Opens the popover of a (?) icon, reads its text, closes it. */
    String popover(WebElement icon) {
        scrollTo(icon);
        icon.click();
        WebElement body = visible(By.cssSelector(".pf-v5-c-popover .pf-v5-c-popover__body"));
        String text = body.getText();
        browser.findElement(By.cssSelector(".pf-v5-c-popover .pf-v5-c-popover__close button")).click();
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".pf-v5-c-popover"), 0));
        return text;
    }

    /** A switch's state, by its label. */
    boolean isOn(String label) {
        return field(label).isSelected();
    }

    /** Flips a switch (PatternFly hides the checkbox: its label takes the click). */
    void flip(String label) {
        WebElement input = field(label);
        boolean before = input.isSelected();
        WebElement switchLabel = input.findElement(By.xpath("./ancestor::label[1]"));
        scrollTo(switchLabel);
        switchLabel.click();
        until(label + " flipped", b -> field(label).isSelected() != before);
    }

    /** Picks an option of a select field (the field is its toggle, which shows the chosen option). */
    void choose(String label, String option) {
        WebElement toggle = field(label);
        scrollTo(toggle);
        toggle.click();
        pickOption(label, option);
        until(label + " = " + option, b -> option.equals(field(label).getText()));
    }

    /**
     * Picks an option of a select field, saves with a button (the console must answer {@code saved}), reloads the
     * page and waits until the field shows the option again: the change was kept, not only shown.
     */
    void chooseSaveAndReload(String label, String option, By saveButton, String saved) {
        choose(label, option);
        assertEquals(saved, save(saveButton));
        reload(saveButton);
        until(label + " = " + option + " after a reload", b -> option.equals(field(label).getText()));
    }

    /** Clicks an option of the open menu, by its name (an option may have a description below it). */
    void pickOption(String what, String option) {
        By names = By.xpath("//*[@role='option']//*[contains(@class,'pf-v5-c-menu__item-text')]");
        until(what + "'s options", b -> !b.findElements(names).isEmpty());
        List<String> shown = browser.findElements(names).stream().map(WebElement::getText).toList();
        assertTrue(shown.contains(option), what + " offers " + shown);
        click(By.xpath("//*[@role='option'][.//*[contains(@class,'pf-v5-c-menu__item-text')][normalize-space()="
                + xpathString(option) + "]]"));
    }

    /** Replaces a text field's value. */
    void type(String label, String value) {
        WebElement input = field(label);
        scrollTo(input);
        input.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
        input.sendKeys(value);
        until(label + " = " + value, b -> value.equals(field(label).getAttribute("value")));
    }

    /** Clicks a button (or anything) once it can be clicked. */
    void click(By by) {
        WebElement element = wait.until(ExpectedConditions.elementToBeClickable(by));
        scrollTo(element);
        try {
            element.click();
        } catch (StaleElementReferenceException e) {
            // React re-rendered it between the wait and the click
            wait.until(ExpectedConditions.elementToBeClickable(by)).click();
        }
    }

    /** Saves with a button and returns the alert the console answers with (then closes it). */
    String save(By button) {
        dismissAlerts();
        click(button);
        String text = alert();
        dismissAlerts();
        return text;
    }

    /** The newest alert's title, once one shows. */
    String alert() {
        WebElement alert = visible(By.cssSelector("[data-testid=global-alerts] [data-testid=last-alert]"));
        return alert.findElement(By.cssSelector(".pf-v5-c-alert__title")).getText();
    }

    /** Closes every alert shown, so that the next one read is the answer to the next action. */
    void dismissAlerts() {
        for (WebElement close : browser.findElements(By.cssSelector("[data-testid=global-alerts] .pf-v5-c-alert__action button"))) {
            try {
                close.click();
            } catch (StaleElementReferenceException e) {
                // it closed itself
            }
        }
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("[data-testid=global-alerts] .pf-v5-c-alert"), 0));
    }

    /** Reloads the page, as an admin presses F5, and waits for an element of it. */
    void reload(By ready) {
        browser.navigate().refresh();
        visible(ready);
    }

    /**
     * The page's check: no untranslated key of the bundle in its text, no JavaScript error of the bundle since the
     * last check; then a screenshot {@code target/admin-console/NAME.png}.
     */
    void assertClean(String name) {
        String text = browser.findElement(By.tagName("body")).getText();
        Matcher keys = UNTRANSLATED.matcher(text);
        List<String> found = new ArrayList<>();
        while (keys.find()) {
            found.add(keys.group());
        }
        Chromium.screenshot(browser, SCREENSHOTS.resolve(name + ".png"));
        assertEquals(List.of(), found, "untranslated keys on " + name + " (" + browser.getCurrentUrl() + ")");
        collectErrors();
        assertEquals(List.of(), bundleErrors, "JavaScript errors of the bundle on " + name);
    }

    /** The browser console's errors since the last look, keeping those of the bundle. */
    private void collectErrors() {
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER)) {
            if (entry.getLevel().intValue() >= Level.SEVERE.intValue()
                    && (BUNDLE.matcher(entry.getMessage()).find() || SERVER_ERROR.matcher(entry.getMessage()).find())) {
                bundleErrors.add(entry.getMessage());
            }
        }
    }

    /** Forgets the errors seen so far (after a refusal the test provoked: its 400 is not the bundle's fault). */
    void forgetErrors() {
        browser.manage().logs().get(LogType.BROWSER);
        bundleErrors.clear();
    }

    WebElement visible(By by) {
        try {
            return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
        } catch (TimeoutException e) {
            failureShot();
            throw new AssertionError("not shown: " + by + " on " + browser.getCurrentUrl(), e);
        }
    }

    void until(String what, Function<WebDriver, Boolean> condition) {
        try {
            wait.until(condition);
        } catch (TimeoutException e) {
            failureShot();
            throw new AssertionError("not so: " + what + " on " + browser.getCurrentUrl(), e);
        }
    }

    /** What the page showed when a wait gave up: {@code target/admin-console/failed-N.png}. */
    private void failureShot() {
        Chromium.screenshot(browser, SCREENSHOTS.resolve("failed-" + (++failures) + ".png"));
    }

    String pageText() {
        return browser.findElement(By.tagName("body")).getText();
    }

    void assertShows(String... texts) {
        for (String text : texts) {
            until("the page shows " + text, b -> pageText().contains(text));
        }
    }

    private void scrollTo(WebElement element) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
    }

    private static By labelBy(String label) {
        return By.xpath("//label[.//span[normalize-space()=" + xpathString(label) + "] or normalize-space()="
                + xpathString(label) + "][@for]");
    }

    /** A string literal for XPath (labels hold apostrophes: "myDBR's"). */
    static String xpathString(String s) {
        if (!s.contains("'")) {
            return "'" + s + "'";
        }
        return "concat('" + s.replace("'", "', \"'\", '") + "')";
    }

    @Override
    public void close() {
        browser.quit();
    }
}
