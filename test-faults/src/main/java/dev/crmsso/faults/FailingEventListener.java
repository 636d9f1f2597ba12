package dev.crmsso.faults;

import org.keycloak.Config;
import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/**
 * A fault for the tests, installed in the test Keycloak's providers/ only (crm-sso-test-faults), never in the release:
 * an event listener that throws on every event. A realm that lists it shows whether a failing listener can fail a
 * login.
 */
public final class FailingEventListener implements EventListenerProviderFactory, EventListenerProvider {

    public static final String ID = "crm-sso-test-failing-listener";

    @Override
    public void onEvent(Event event) {
        throw new IllegalStateException("test listener: failing on purpose");
    }

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        throw new IllegalStateException("test listener: failing on purpose");
    }

    @Override
    public EventListenerProvider create(KeycloakSession session) {
        return this;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
