package dev.crmsso.mydbr.mappers;

import java.text.MessageFormat;
import java.util.Locale;

import org.jboss.logging.Logger;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperContainerModel;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.ErrorResponse;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.resources.admin.AdminRoot;

import jakarta.ws.rs.core.Response;

/**
 * Why a myDBR mapper's settings are refused when saved: a message key of {@code theme-resources/messages} (shipped
 * in the five languages) and its parameters, answered to the admin as a 400 in the admin console's language.
 * <p>
 * Not a {@code ProtocolMapperConfigException}: Keycloak 26.7's {@code ProtocolMappersResource.validateModel} logs
 * every such exception at ERROR, but a refused save is the admin's mistake, not a server fault. This answer is what
 * that method would send (the message of the realm's admin theme in the locale of the admin's token, English
 * without one, {@code AdminRoot.getMessages}), as Keycloak's own {@code ErrorResponse}; Keycloak's
 * {@code KeycloakErrorHandler} logs a 4xx only at DEBUG, so the one line for the admin is the WARN written here
 * (the level Keycloak's event logger gives failed operations).
 */
public record MapperRefusal(String messageKey, Object... parameters) {

    private static final Logger LOG = Logger.getLogger(MapperRefusal.class);

    /** Logs the refusal once and gives the admin's answer, to be thrown from {@code validateConfig}. */
    ErrorResponseException answer(KeycloakSession session, RealmModel realm, ProtocolMapperContainerModel container,
                                  ProtocolMapperModel mapper) {
        LOG.warnf("myDBR SSO: mapper '%s' of %s (realm %s) not saved: %s", mapper.getName(), nameOf(container),
                realm.getName(), text(session, realm, null));
        return ErrorResponse.error(text(session, realm, adminLocale(session)), Response.Status.BAD_REQUEST);
    }

    /** The message in a language (a language tag, null for English), as the admin console's theme has it. */
    String text(KeycloakSession session, RealmModel realm, String language) {
        String pattern = AdminRoot.getMessages(session, realm, language).getProperty(messageKey, messageKey);
        return new MessageFormat(pattern, language == null ? Locale.ENGLISH : Locale.forLanguageTag(language))
                .format(parameters);
    }

    /** The admin's locale as Keycloak's own refusals take it: the {@code locale} claim of the admin's token. */
    private static String adminLocale(KeycloakSession session) {
        return session.getContext().getBearerToken() instanceof AccessToken token ? token.getLocale() : null;
    }

    private static String nameOf(ProtocolMapperContainerModel container) {
        if (container instanceof ClientModel client) {
            return "client " + client.getClientId();
        }
        return container instanceof ClientScopeModel scope ? "client scope " + scope.getName() : "a client";
    }
}
