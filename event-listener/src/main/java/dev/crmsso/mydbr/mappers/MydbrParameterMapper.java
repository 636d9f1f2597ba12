package dev.crmsso.mydbr.mappers;

import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ProtocolMapperModel;
import org.keycloak.models.UserSessionModel;

import dev.crmsso.mydbr.MydbrUserParameters;

/** A protocol mapper of the myDBR protocol: sets parameters of the signed response, as OIDC mappers set claims. */
public interface MydbrParameterMapper {

    void map(MydbrUserParameters parameters, ProtocolMapperModel mapping, KeycloakSession session,
             UserSessionModel userSession, ClientSessionContext clientSessionCtx);

    /**
     * Whether what this mapping writes is covered by the legacy hash {@code sha1(user + name + groups + token +
     * secret)}; a legacy client with any other mapping is refused, since myDBR would read that value unsigned.
     */
    default boolean coveredByLegacyHash(ProtocolMapperModel mapping) {
        return false;
    }
}
