package dev.crmsso.userstorage;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.keycloak.models.UserModel;

class SearchParamsTest {

    @Test
    void whatTheCrmQueryExpressesIsAnswered() {
        assertFalse(SearchParams.answersNobody(Map.of(UserModel.SEARCH, "alice"), true));
        assertFalse(SearchParams.answersNobody(Map.of(UserModel.SEARCH, "*ali*"), true), "the search box's wildcards");
        assertFalse(SearchParams.answersNobody(Map.of(UserModel.USERNAME, "alice@example.com", UserModel.EXACT, "true"), true));
        assertFalse(SearchParams.answersNobody(Map.of(UserModel.ENABLED, "true", UserModel.EMAIL_VERIFIED, "true"), true));
        assertFalse(SearchParams.answersNobody(Map.of(UserModel.INCLUDE_SERVICE_ACCOUNT, "false"), true));
    }

    @Test
    void whatItCannotIsAnsweredWithNobody() {
        assertTrue(SearchParams.answersNobody(Map.of(UserModel.ENABLED, "false"), true));
        assertTrue(SearchParams.answersNobody(Map.of(UserModel.EMAIL_VERIFIED, "false"), true));
        assertTrue(SearchParams.answersNobody(Map.of(UserModel.EMAIL_VERIFIED, "true"), false), "portal off: some unverified");
        assertTrue(SearchParams.answersNobody(Map.of(UserModel.IDP_ALIAS, "google"), true));
        assertTrue(SearchParams.answersNobody(Map.of("crm_account", "Nobody"), true), "q=crm_account:Nobody");
        assertTrue(SearchParams.answersNobody(Map.of(UserModel.USERNAME, "*", UserModel.EXACT, "true"), true));
        assertTrue(SearchParams.answersNobody(Map.of(UserModel.USERNAME, "\"", UserModel.EXACT, "true"), true));
        assertFalse(SearchParams.answersNobody(Map.of(UserModel.USERNAME, "ali*"), true), "not exact: a wildcard");
    }
}
