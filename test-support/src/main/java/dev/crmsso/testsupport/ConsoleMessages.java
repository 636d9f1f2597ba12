package dev.crmsso.testsupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.keycloak.provider.ConfiguredProvider;
import org.keycloak.provider.ProviderConfigProperty;

/**
 * The messages a provider JAR ships for the admin console (theme-resources/messages, which Keycloak merges into the
 * admin theme's), in the five languages of the bundle, and the module's factories whose settings the console shows
 * with them. One module's test asks: is every label and help text a key of all five files, and do the files have
 * the same keys.
 */
public final class ConsoleMessages {

    public static final List<String> LANGUAGES = List.of("en", "es", "pt", "fr", "de");

    private final Map<String, Properties> byLanguage = new LinkedHashMap<>();

    private ConsoleMessages(Map<String, Properties> byLanguage) {
        this.byLanguage.putAll(byLanguage);
    }

    /** The module's own files, as its JAR ships them: {@code theme-resources/messages/messages_xx.properties}. */
    public static ConsoleMessages ofModule() {
        Map<String, Properties> files = new LinkedHashMap<>();
        for (String lang : LANGUAGES) {
            files.put(lang, load(Path.of("target/classes/theme-resources/messages/messages_" + lang + ".properties")));
        }
        return new ConsoleMessages(files);
    }

    /** The same messages with one key taken out of one language: what a forgotten translation looks like. */
    public ConsoleMessages without(String lang, String key) {
        Map<String, Properties> copy = new LinkedHashMap<>();
        byLanguage.forEach((l, p) -> {
            Properties c = new Properties();
            c.putAll(p);
            if (l.equals(lang)) {
                c.remove(key);
            }
            copy.put(l, c);
        });
        return new ConsoleMessages(copy);
    }

    /** The English text of a key (what the console shows an admin whose language is English). */
    public String english(String key) {
        String text = byLanguage.get("en").getProperty(key);
        assertNotNull(text, "no English message " + key);
        return text;
    }

    /** Fails unless every language has exactly the keys of English. */
    public void assertSameKeysInEveryLanguage() {
        Set<String> english = byLanguage.get("en").stringPropertyNames();
        for (String lang : LANGUAGES) {
            Set<String> keys = byLanguage.get(lang).stringPropertyNames();
            Set<String> missing = new TreeSet<>(english);
            missing.removeAll(keys);
            Set<String> extra = new TreeSet<>(keys);
            extra.removeAll(english);
            assertEquals("missing [] extra []", "missing " + missing + " extra " + extra,
                    "keys of messages_" + lang + " against messages_en");
        }
    }

    /**
     * Fails unless each text (a label or help text, as {@code owner: text}) is a key with a non-blank message in
     * every language. A plain English text fails here too: the console would show it untranslated.
     */
    public void assertTranslated(Map<String, String> textsByOwner) {
        assertFalse(textsByOwner.isEmpty(), "no labels or help texts to check");
        List<String> missing = new ArrayList<>();
        textsByOwner.forEach((owner, key) -> {
            for (String lang : LANGUAGES) {
                String message = byLanguage.get(lang).getProperty(key);
                if (message == null || message.isBlank()) {
                    missing.add(owner + " '" + key + "' in messages_" + lang);
                }
            }
        });
        assertEquals(List.of(), missing, "labels and help texts without a message");
    }

    /** Fails unless every label and help text of every registered factory's settings has its five messages. */
    public void assertEverySettingTranslated() {
        assertTranslated(settingTexts());
    }

    /** The labels and help texts of the module's factories' settings, as {@code factory setting label: key}. */
    public static Map<String, String> settingTexts() {
        Map<String, String> texts = new LinkedHashMap<>();
        for (Object factory : registeredFactories()) {
            if (factory instanceof ConfiguredProvider configured) {
                String owner = factory.getClass().getSimpleName() + " ";
                for (ProviderConfigProperty p : configured.getConfigProperties()) {
                    texts.put(owner + p.getName() + " label", p.getLabel());
                    texts.put(owner + p.getName() + " help text", p.getHelpText());
                }
            }
        }
        return texts;
    }

    /**
     * One instance of every class the module registers as a provider ({@code META-INF/services}, written by
     * AutoService), so a factory added later is checked without anyone listing it here.
     */
    public static List<Object> registeredFactories() {
        Path services = Path.of("target/classes/META-INF/services");
        List<Object> factories = new ArrayList<>();
        try (Stream<Path> files = Files.list(services)) {
            for (Path file : files.sorted().toList()) {
                for (String line : Files.readAllLines(file)) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        factories.add(Class.forName(line.strip()).getDeclaredConstructor().newInstance());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("a registered provider of " + services + " cannot be made", e);
        }
        assertFalse(factories.isEmpty(), "no providers registered in " + services.toAbsolutePath());
        return factories;
    }

    private static Properties load(Path file) {
        Properties p = new Properties();
        // Keycloak reads theme messages as UTF-8
        try (InputStream in = Files.newInputStream(file); Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file.toAbsolutePath(), e);
        }
        return p;
    }
}
