package dev.crmsso.userstorage;

import static dev.crmsso.userstorage.CrmContactsConstants.*;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jboss.logging.Logger;
import org.keycloak.component.ComponentModel;
import org.keycloak.component.ComponentValidationException;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.storage.UserStorageProviderFactory;
import org.keycloak.storage.UserStorageProviderModel;

import com.google.auto.service.AutoService;

/**
 * "CRM contacts" in User federation. Keeps one {@link CrmClient} (and so one CRM API session)
 * per federation and configuration, shared by every request and thread; saving the
 * federation in the admin console is its "test connection".
 */
@AutoService(UserStorageProviderFactory.class)
public final class CrmContactsProviderFactory implements UserStorageProviderFactory<CrmContactsProvider> {

    private static final Logger LOG = Logger.getLogger(CrmContactsProviderFactory.class);

    private record Federation(CrmClient crm, AccountNames accounts, LastKnownContacts lastKnown, UnknownNames unknown,
            int openSeconds) {
    }

    private final ConcurrentMap<String, Federation> federations = new ConcurrentHashMap<>();

    @Override
    public String getId() {
        return PROVIDER_ID;
    }

    @Override
    public String getHelpText() {
        return "CRM contacts: the contacts of a coreBOS / vtiger CRM as read-only users, "
                + "logging in with their customer-portal password";
    }

    /**
     * Labels and help texts are message keys of this JAR's theme-resources/messages (en, es, pt, fr, de): Keycloak
     * 26.7's admin console shows them through its translator, {@code t(label)} and {@code t(helpText)} in every
     * component of components/dynamic, and merges a provider JAR's theme messages into the admin theme's. The
     * option values of a list are shown as they are, so they stay plain.
     */
    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(CONFIG_BASE_URL).label("crmSsoContactsCrmUrl").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("crmSsoContactsCrmUrlHelp").required(true).add()
                .property().name(CONFIG_API_USER).label("crmSsoContactsApiUser").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("crmSsoContactsApiUserHelp")
                .required(true).add()
                .property().name(CONFIG_ACCESS_KEY).label("crmSsoContactsAccessKey").type(ProviderConfigProperty.PASSWORD)
                .helpText("crmSsoContactsAccessKeyHelp").secret(true).required(true).add()
                .property().name(CONFIG_FLAVOUR).label("crmSsoContactsFlavour").type(ProviderConfigProperty.LIST_TYPE)
                .options(FLAVOUR_COREBOS, FLAVOUR_VTIGER, FLAVOUR_VTIGER_LOOKUP_ONLY).defaultValue(FLAVOUR_COREBOS)
                .helpText("crmSsoContactsFlavourHelp").add()
                .property().name(CONFIG_USERNAME_FIELD).label("crmSsoContactsUsernameField").type(ProviderConfigProperty.LIST_TYPE)
                .options(CrmConfig.USERNAME_EMAIL, CrmConfig.USERNAME_CONTACT_NO).defaultValue(CrmConfig.USERNAME_EMAIL)
                .helpText("crmSsoContactsUsernameFieldHelp").add()
                .property().name(CONFIG_PORTAL_ONLY).label("crmSsoContactsPortalOnly")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true")
                .helpText("crmSsoContactsPortalOnlyHelp").add()
                .property().name(CONFIG_EXTRA_FIELDS).label("crmSsoContactsExtraFields").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("crmSsoContactsExtraFieldsHelp").add()
                .property().name(CONFIG_GROUP_FIELD).label("crmSsoContactsGroupField").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("crmSsoContactsGroupFieldHelp").add()
                .property().name(CONFIG_ALLOW_PLAIN_HTTP).label("crmSsoContactsAllowPlainHttp")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
                .helpText("crmSsoContactsAllowPlainHttpHelp").add()
                .property().name(CONFIG_CONNECT_TIMEOUT).label("crmSsoContactsConnectTimeout")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue("3000")
                .helpText("crmSsoContactsConnectTimeoutHelp").add()
                .property().name(CONFIG_READ_TIMEOUT).label("crmSsoContactsReadTimeout")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue("5000")
                .helpText("crmSsoContactsReadTimeoutHelp").add()
                .property().name(CONFIG_BREAKER_OPEN_SECONDS).label("crmSsoContactsBreakerOpenSeconds")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(String.valueOf(CrmBreaker.DEFAULT_OPEN_SECONDS))
                .helpText("crmSsoContactsBreakerOpenSecondsHelp").add()
                .property().name(CONFIG_PORTAL_FAILURE_LIMIT).label("crmSsoContactsPortalFailureLimit")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(String.valueOf(PortalFailures.DEFAULT_LIMIT))
                .helpText("crmSsoContactsPortalFailureLimitHelp").add()
                .build();
    }

    @Override
    public CrmContactsProvider create(KeycloakSession session, ComponentModel model) {
        CrmConfig config = config(session, model);
        int openSeconds = breakerOpenSeconds(model);
        Federation federation = federations.compute(model.getId(), (id, current) -> {
            if (current != null && current.crm().config().equals(config) && current.openSeconds() == openSeconds) {
                return current;
            }
            if (current != null) {
                current.crm().close();
            }
            boolean allowHttp = model.get(CONFIG_ALLOW_PLAIN_HTTP, false);
            String refused = PlainHttp.refusal(config.baseUrl(), allowHttp);
            if (refused != null) {
                // saved before this check existed (a save or an import now refuses it): nothing is sent
                LOG.errorf("CRM contacts %s: %s; the CRM is not asked", model.getName(), refused);
            } else if (PlainHttp.allowedToAnotherHost(config.baseUrl(), allowHttp)) {
                LOG.warnf("CRM contacts %s: plain http:// to %s is allowed by \"Allow plain http\": contacts' "
                        + "md5(token + password), the API user's key hash and its session travel in clear text; "
                        + "use https://", model.getName(), config.baseUrl().getHost());
            }
            CrmClient crm = new CrmClient(config, new CrmBreaker(model.getName(), Duration.ofSeconds(openSeconds)),
                    refused, CrmHttp.keycloaks(session, config));
            return new Federation(crm, new AccountNames(crm), new LastKnownContacts(), new UnknownNames(), openSeconds);
        });
        return new CrmContactsProvider(session, model, federation.crm(), federation.accounts(), federation.lastKnown(),
                federation.unknown(), PortalFailures.limit(model));
    }

    /**
     * Test connection: runs whenever the admin saves the federation. Logs the API user in and
     * counts the contacts it would serve; a failure refuses the save with the CRM's reason.
     * A disabled federation is not tested: a realm file can carry it, switched off, into a
     * Keycloak whose CRM is not set up yet.
     */
    @Override
    public void validateConfiguration(KeycloakSession session, RealmModel realm, ComponentModel model) {
        int limit;
        try {
            limit = PortalFailures.limit(model);
            breakerOpenSeconds(model);
        } catch (IllegalArgumentException e) {
            throw new ComponentValidationException(e.getMessage());
        }
        if (limit > PortalFailures.DEFAULT_LIMIT) {
            LOG.warnf("CRM contacts %s: password login pauses after %d wrong passwords; coreBOS locks a contact "
                    + "for good after more than 5 (its Application_MaxFailedLoginAttempts)", model.getName(), limit);
        }
        if (!new UserStorageProviderModel(model).isEnabled()) {
            LOG.infof("CRM contacts %s: disabled, connection not tested", model.getName());
            return;
        }
        CrmConfig config;
        try {
            config = config(session, model);
        } catch (IllegalArgumentException e) {
            throw new ComponentValidationException(e.getMessage());
        }
        String refused = PlainHttp.refusal(config.baseUrl(), model.get(CONFIG_ALLOW_PLAIN_HTTP, false));
        if (refused != null) {
            throw new ComponentValidationException(refused);
        }
        CrmClient crm = new CrmClient(config, new CrmBreaker(model.getName(), Duration.ofSeconds(breakerOpenSeconds(model))),
                null, CrmHttp.keycloaks(session, config));
        try {
            String version = crm.testLogin();
            Vtql count = Vtql.count("Contacts");
            if (config.portalOnly()) {
                count.whereEquals("portal", "1");
            }
            int contacts = crm.query(count).result().path(0).path("count").asInt(0);
            if (config.flavour().passwordCheck() == Flavour.PasswordCheck.PORTAL_API) {
                crm.probePortalApi();
            }
            LOG.infof("CRM contacts %s: test connection to %s as %s succeeded: CRM %s, %d contacts%s",
                    model.getName(), config.baseUrl(), config.apiUser(), version, contacts,
                    config.portalOnly() ? " with portal access" : "");
        } catch (CrmException e) {
            LOG.warnf("CRM contacts %s: test connection to %s as %s failed: %s",
                    model.getName(), config.baseUrl(), config.apiUser(), e.getMessage());
            throw new ComponentValidationException("Test connection to the CRM failed: " + e.getMessage());
        } finally {
            crm.close();
        }
    }

    @Override
    public void onUpdate(KeycloakSession session, RealmModel realm, ComponentModel oldModel, ComponentModel newModel) {
        forget(newModel);
    }

    @Override
    public void preRemove(KeycloakSession session, RealmModel realm, ComponentModel model) {
        forget(model);
    }

    private void forget(ComponentModel model) {
        Federation federation = federations.remove(model.getId());
        if (federation != null) {
            federation.crm().close();
        }
    }

    /** How long the breaker stays open, {@value CrmBreaker#DEFAULT_OPEN_SECONDS} s when unset; 1 to 3600. */
    static int breakerOpenSeconds(ComponentModel model) {
        String value = model.get(CONFIG_BREAKER_OPEN_SECONDS);
        if (value == null || value.isBlank()) {
            return CrmBreaker.DEFAULT_OPEN_SECONDS;
        }
        try {
            int seconds = Integer.parseInt(value.trim());
            if (seconds >= 1 && seconds <= 3600) {
                return seconds;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new IllegalArgumentException("Pause the CRM after failures (s): a whole number from 1 to 3600");
    }

    /** The access key may be a {@code ${vault.NAME}} reference: resolved through Keycloak's vault. */
    private static CrmConfig config(KeycloakSession session, ComponentModel model) {
        String key = model.get(CONFIG_ACCESS_KEY);
        if (key == null || key.isBlank()) {
            throw new IllegalArgumentException("Missing setting " + CONFIG_ACCESS_KEY);
        }
        String resolved = session.vault().getStringSecret(key).get()
                .orElseThrow(() -> new IllegalArgumentException("The vault has no secret for the access key reference"));
        return CrmConfig.from(model, resolved);
    }
}
