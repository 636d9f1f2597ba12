package dev.crmsso.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.RealmRepresentation;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;

import dev.crmsso.testsupport.Chromium;
import dev.crmsso.testsupport.CrmSsoExtension;
import dev.crmsso.testsupport.KeycloakServer;
import dev.crmsso.testsupport.TestStack;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/** The crm-sso login theme in a real headless Chromium, on the imported crm realm. */
@ExtendWith(CrmSsoExtension.class)
class LoginThemeIT {

    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    private ChromeDriver browser;

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    private List<WebElement> idpButtons() {
        return new WebDriverWait(browser, Duration.ofSeconds(10))
                .until(ExpectedConditions.presenceOfAllElementsLocatedBy(By.cssSelector("#crm-sso-idps a")));
    }

    @Test
    void putsContinueWithGoogleThenMicrosoftAboveTheForm(KeycloakServer keycloak) {
        browser = Chromium.start(1280, 900, "en");
        browser.get(keycloak.accountConsoleLoginUrl("crm"));

        List<WebElement> buttons = idpButtons();
        assertEquals(List.of("Continue with Google", "Continue with Microsoft"),
                buttons.stream().map(WebElement::getText).toList());
        for (WebElement b : buttons) {
            assertEquals("button", b.getAttribute("role"));
            assertTrue(b.findElement(By.tagName("svg")).isDisplayed(), "brand mark of " + b.getText());
        }
        WebElement form = browser.findElement(By.id("kc-form-login"));
        assertTrue(buttons.get(0).getRect().getY() < buttons.get(1).getRect().getY());
        assertTrue(buttons.get(1).getRect().getY() < form.getRect().getY(), "the buttons come before the form");
        assertEquals(form.getRect().getWidth(), buttons.get(0).getRect().getWidth(), 2, "full width, like the form");
        Chromium.screenshot(browser, SCREENSHOTS.resolve("login-desktop.png"));
    }

    @Test
    void keyboardReachesGoogleThenMicrosoftThenTheUsername(KeycloakServer keycloak) {
        browser = Chromium.start(1280, 900, "en");
        browser.get(keycloak.accountConsoleLoginUrl("crm"));
        browser.executeScript("document.activeElement.blur()");
        List<String> focusOrder = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
            focusOrder.add(browser.switchTo().activeElement().getAttribute("id"));
        }
        int google = focusOrder.indexOf("social-google");
        int microsoft = focusOrder.indexOf("social-microsoft");
        int username = focusOrder.indexOf("username");
        assertTrue(google >= 0 && google < microsoft && microsoft < username, "tab order: " + focusOrder);
    }

    @Test
    void fitsAPhone(KeycloakServer keycloak) {
        browser = Chromium.start(390, 844, "en");
        browser.get(keycloak.accountConsoleLoginUrl("crm"));
        for (WebElement b : idpButtons()) {
            assertTrue(b.getRect().getX() >= 0 && b.getRect().getX() + b.getRect().getWidth() <= 390,
                    b.getText() + " inside the screen");
        }
        Chromium.screenshot(browser, SCREENSHOTS.resolve("login-mobile-390.png"));
    }

    @Test
    void speaksSpanishWhenChosenInTheLanguageMenu(KeycloakServer keycloak) {
        browser = Chromium.start(1280, 900, "en");
        browser.get(keycloak.accountConsoleLoginUrl("crm"));
        // the menu's options are the page's own URL with kc_locale=<language>
        Select languages = new Select(browser.findElement(By.id("login-select-toggle")));
        WebElement spanish = languages.getOptions().stream()
                .filter(o -> o.getDomAttribute("value").endsWith("kc_locale=es")).findFirst().orElseThrow();
        languages.selectByValue(spanish.getAttribute("value"));
        assertTrue(browser.getCurrentUrl().contains("kc_locale=es"), browser.getCurrentUrl());
        assertEquals(List.of("Continuar con Google", "Continuar con Microsoft"),
                idpButtons().stream().map(WebElement::getText).toList());
    }

    @Test
    void speaksTheBrowsersLanguage(KeycloakServer keycloak) {
        browser = Chromium.start(1280, 900, "es");
        browser.get(keycloak.accountConsoleLoginUrl("crm"));
        assertEquals("Continuar con Google", idpButtons().get(0).getText());
        Chromium.screenshot(browser, SCREENSHOTS.resolve("login-desktop-es.png"));
    }

    @Test
    void showsTheRealmsLogoAndNameFromTheRealmSettings(KeycloakServer keycloak) {
        RealmResource crm = keycloak.admin().realm("crm");
        RealmRepresentation before = crm.toRepresentation();
        RealmRepresentation branded = new RealmRepresentation();
        branded.setDisplayNameHtml("<img src=\"https://crm.acme.example/logo.png\" alt=\"ACME Corp\"> ACME Corp");
        crm.update(branded);
        try {
            browser = Chromium.start(1280, 900, "en");
            browser.get(keycloak.accountConsoleLoginUrl("crm"));
            WebElement header = browser.findElement(By.id("kc-header-wrapper"));
            assertEquals("https://crm.acme.example/logo.png", header.findElement(By.tagName("img")).getDomAttribute("src"));
            assertEquals("ACME Corp", header.getDomProperty("textContent").strip());
        } finally {
            RealmRepresentation restore = new RealmRepresentation();
            restore.setDisplayNameHtml(before.getDisplayNameHtml() == null ? "" : before.getDisplayNameHtml());
            crm.update(restore);
        }
    }

    @Test
    void hasNoSeriousAccessibilityViolations(KeycloakServer keycloak) {
        browser = Chromium.start(1280, 900, "en");
        browser.get(keycloak.accountConsoleLoginUrl("crm"));
        Results results = new AxeBuilder().analyze(browser);
        List<String> serious = results.getViolations().stream()
                .filter(v -> "serious".equals(v.getImpact()) || "critical".equals(v.getImpact()))
                .map(Rule::getId).toList();
        assertEquals(List.of(), serious, "axe-core: serious or critical violations");
    }

    @Test
    void clickingGoogleStartsTheBrokerFlow(KeycloakServer keycloak, MockOAuth2Server oidc) throws Exception {
        oidc.enqueueCallback(new DefaultOAuth2TokenCallback(TestStack.GOOGLE, "theme-click", "JWT",
                List.of("demo-google"), Map.of("email", "theme.click@acme.example", "email_verified", true,
                        "hd", TestStack.ACME_DOMAIN), 3600));
        browser = Chromium.start(1280, 900, "en");
        browser.get(keycloak.accountConsoleLoginUrl("crm"));
        idpButtons().get(0).click();
        // The click returns before the browser has followed the redirects through the stand-in, and once at
        // /account/ the account console (its own PKCE, not this test's) starts a login of its own: watch the URLs
        // go by until one is back at Keycloak in the broker flow or at the account console.
        String crm = keycloak.realmUrl("crm");
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        String reached;
        try {
            reached = new WebDriverWait(browser, Duration.ofSeconds(15)).pollingEvery(Duration.ofMillis(20)).until(b -> {
                String url = b.getCurrentUrl();
                seen.add(url);
                return url.startsWith(crm + "/broker/") || url.startsWith(crm + "/login-actions/")
                        || url.startsWith(crm + "/account") ? url : null;
            });
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("never in the broker flow nor at the account console; seen: " + seen, e);
        }
        assertTrue(reached.startsWith(crm), "back at Keycloak after the stand-in, in the broker flow: " + reached);
    }
}
