package dev.crmsso.testsupport;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import no.nav.security.mock.oauth2.MockOAuth2Server;

/**
 * Starts the {@link TestStack} once for the whole test run (the root store closes it at the
 * end) and hands it, its Keycloak or its OIDC server to test constructors and methods.
 * Reads {@code keycloak.home} and {@code crm.realm.file} from system properties (failsafe sets them).
 */
public final class CrmSsoExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(CrmSsoExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        stack(context);
    }

    private static TestStack stack(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(TestStack.class, k -> {
            String home = System.getProperty("keycloak.home");
            if (home == null) {
                throw new IllegalStateException("System property keycloak.home is not set (run the tests with ./mvnw verify)");
            }
            String realm = System.getProperty("crm.realm.file");
            return TestStack.start(Path.of(home), realm == null ? null : Path.of(realm), 0);
        }, TestStack.class);
    }

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
        Class<?> type = p.getParameter().getType();
        return type == TestStack.class || type == KeycloakServer.class || type == MockOAuth2Server.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext e) {
        TestStack stack = stack(e);
        Class<?> type = p.getParameter().getType();
        if (type == KeycloakServer.class) {
            return stack.keycloak();
        }
        if (type == MockOAuth2Server.class) {
            return stack.oidc();
        }
        return stack;
    }
}
