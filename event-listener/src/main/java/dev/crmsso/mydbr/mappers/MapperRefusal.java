package dev.crmsso.mydbr.mappers;

import java.text.MessageFormat;
import java.util.Locale;

import org.jboss.logging.Logger;
import org.keycloak.locale.LocaleSelectorProvider;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.services.ErrorResponse;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.resources.admin.AdminRoot;

import jakarta.ws.rs.core.Response;

/**
 * Why a myDBR mapper's settings are refused when saved: a message key of {@code theme-resources/messages} (shipped
 * in the five languages) and its parameters, answered to the admin as a 400 in the admin console's language.
 * <p>
 * Not a {@code ProtocolMapperConfigException}: Keycloak 26.7's {@code ProtocolMappersResource.validateModel} logs
 * every such exception at ERROR, but a refused save is the admin's mistake, not a server fault. This answer is
 * Keycloak's own {@code ErrorResponse} with the message of the realm's admin theme ({@code AdminRoot.getMessages},
 * as that method does), in the admin console's language: the locale the console's {@code whoami} gives the admin
 * (the admin's user and realm through the {@code LocaleSelectorProvider}). That method takes the {@code locale}
 * claim of the admin's token instead, which lightweight admin tokens do not carry (admin-cli's in 26.7 has none), so
 * it answers those admins in English. Keycloak's {@code KeycloakErrorHandler} logs a 4xx only at DEBUG, so the one line for the admin is the
 * WARN written here (the level Keycloak's event logger gives failed operations).
 */
public record MapperRefusal(String messageKey, Object... parameters) {

    private static final Logger LOG = Logger.getLogger(MapperRefusal.class);

    /** Logs the refusal once and gives the admin's answer, to be thrown from {@code validateConfig}. */
    ErrorResponseException answer(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel container,
                                  ProtocolMapperModel mapper) {
        LOG.warnf("myDBR SSO: mapper '%s' of %s (realm %s) not saved: %s", mapper.getName(), nameOf(container),
                realm.getName(), text(session, realm, Locale.ENGLISH));
        return ErrorResponse.error(text(session, realm, adminLocale(session)), Response.Status.BAD_REQUEST);
    }

    /** The message in a language, as the realm's admin theme has it. */
    private String text(KeycloakSession session, RealmModel realm, Locale locale) {
        String pattern = AdminRoot.getMessages(session, realm, locale.toLanguageTag()).getProperty(messageKey, messageKey);
        return new MessageFormat(pattern, locale).format(parameters);
    }

    /**
     * The admin console's language for this admin: what {@code whoami} answers, the locale selector asked with the
     * admin's own realm and user (the user session Keycloak verified the bearer token against); English without one.
     */
    private static Locale adminLocale(KeycloakSession session) {
        UserSessionModel admin = session.getContext().getUserSession();
        if (admin == null) {
            return Locale.ENGLISH;
        }
        return session.getProvider(LocaleSelectorProvider.class).resolveLocale(admin.getRealm(), admin.getUser());
    }

    private static String nameOf(ProtocolMapperContainerModel container) {
        if (container instanceof ClientModel client) {
            return "client " + client.getClientId();
        }
        return container instanceof ClientScopeModel scope ? "client scope " + scope.getName() : "a client";
    }
}
