package dev.crmsso.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed server certificate made with the JDK's {@code keytool} (no library): its PKCS12 key store for a
 * test server, and the certificate as PEM for a truststore ({@code kc.sh --truststore-paths}).
 */
public final class TestTls {

    private static final char[] PASSWORD = "test-tls".toCharArray();

    private final Path keyStore;
    private final Path certificate;

    private TestTls(Path keyStore, Path certificate) {
        this.keyStore = keyStore;
        this.certificate = certificate;
    }

    /** A new key pair and certificate for these host names (and 127.0.0.1), valid 7 days, in {@code dir/name.*}. */
    public static TestTls selfSigned(Path dir, String name, String... hostNames) {
        try {
            Files.createDirectories(dir);
            Path store = dir.resolve(name + ".p12");
            Path pem = dir.resolve(name + ".pem");
            Files.deleteIfExists(store);
            Files.deleteIfExists(pem);
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            String san = Stream.concat(Stream.of(hostNames).map(h -> "dns:" + h), Stream.of("ip:127.0.0.1"))
                    .collect(Collectors.joining(","));
            KeycloakServer.run(new ProcessBuilder(List.of(keytool, "-genkeypair", "-alias", name, "-keyalg", "RSA",
                    "-keysize", "2048", "-validity", "7", "-dname", "CN=" + hostNames[0], "-ext", "SAN=" + san,
                    "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", new String(PASSWORD))),
                    "keytool -genkeypair");
            KeycloakServer.run(new ProcessBuilder(List.of(keytool, "-exportcert", "-rfc", "-alias", name,
                    "-keystore", store.toString(), "-storepass", new String(PASSWORD), "-file", pem.toString())),
                    "keytool -exportcert");
            return new TestTls(store, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The certificate, PEM: what a client must trust. */
    public Path certificate() {
        return certificate;
    }

    /** A server's TLS context with this key and certificate. */
    public SSLContext sslContext() {
        try (InputStream in = Files.newInputStream(keyStore)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
