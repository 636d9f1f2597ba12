package dev.crmsso.themes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every message the bundle adds (this theme, and the theme resources of the provider JARs) exists
 * in every shipped language: a key in English missing elsewhere fails here, not in front of a user.
 */
class ShippedLanguagesTest {

    static final List<String> LANGUAGES = List.of("es", "pt", "fr", "de");
    /** The project's root: this module's parent folder. */
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TestFactory
    Stream<DynamicTest> everyEnglishKeyExistsInEveryShippedLanguage() throws IOException {
        List<Path> english;
        try (Stream<Path> files = Files.walk(ROOT)) {
            english = files.filter(p -> p.getFileName().toString().equals("messages_en.properties"))
                    .filter(p -> p.toString().contains("/src/main/resources/")).sorted().toList();
        }
        assertFalse(english.isEmpty(), "no messages_en.properties under " + ROOT);
        return english.stream().flatMap(en -> LANGUAGES.stream().map(lang -> DynamicTest.dynamicTest(
                ROOT.relativize(en.getParent()) + " " + lang, () -> {
                    Path translated = en.resolveSibling("messages_" + lang + ".properties");
                    assertTrue(Files.isRegularFile(translated), "missing " + ROOT.relativize(translated));
                    Set<String> missing = new TreeSet<>(load(en).stringPropertyNames());
                    missing.removeAll(load(translated).stringPropertyNames());
                    assertEquals(Set.of(), missing, "keys missing in " + ROOT.relativize(translated));
                    for (String key : load(translated).stringPropertyNames()) {
                        assertFalse(load(translated).getProperty(key).isBlank(), key + " is empty in " + lang);
                    }
                })));
    }

    private static Properties load(Path file) throws IOException {
        Properties p = new Properties();
        // Keycloak reads theme messages as UTF-8
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        return p;
    }
}
