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

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return ProviderConfigurationBuilder.create()
                .property().name(CONFIG_BASE_URL).label("CRM base URL").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("The CRM's address, without webservice.php, e.g. https://crm.example.com").required(true).add()
                .property().name(CONFIG_API_USER).label("API user name").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("The CRM user the web service calls run as (give it read access to Contacts and Accounts)")
                .required(true).add()
                .property().name(CONFIG_ACCESS_KEY).label("Access key").type(ProviderConfigProperty.PASSWORD)
                .helpText("The API user's access key (CRM: My Preferences > User Advanced Options), "
                        + "or a vault reference such as ${vault.crm_access_key}").secret(true).required(true).add()
                .property().name(CONFIG_FLAVOUR).label("CRM flavour").type(ProviderConfigProperty.LIST_TYPE)
                .options(FLAVOUR_COREBOS, FLAVOUR_VTIGER, FLAVOUR_VTIGER_LOOKUP_ONLY).defaultValue(FLAVOUR_COREBOS)
                .helpText("corebos: contacts' portal passwords are checked with loginPortal (coreBOS counts failures "
                        + "and locks). vtiger: vtiger 7.1 or later (8.x), passwords checked by its customer-portal API "
                        + "(modules/CustomerPortal/api.php; the web server must hand the Authorization header to PHP), "
                        + "which never locks: keep Keycloak's brute force detection on. vtiger-lookup-only: any vtiger, "
                        + "7.0 included, contacts are looked up but cannot log in with a password (the old value "
                        + "vtiger7 means this)").add()
                .property().name(CONFIG_USERNAME_FIELD).label("Username field").type(ProviderConfigProperty.LIST_TYPE)
                .options(CrmConfig.USERNAME_EMAIL, CrmConfig.USERNAME_CONTACT_NO).defaultValue(CrmConfig.USERNAME_EMAIL)
                .helpText("The contact field users log in with").add()
                .property().name(CONFIG_PORTAL_ONLY).label("Only contacts with portal access")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("true")
                .helpText("Contacts without the CRM's Portal User flag are not users at all").add()
                .property().name(CONFIG_EXTRA_FIELDS).label("Extra CRM fields").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("Comma-separated contact field names (e.g. title, cf_752) published as user attributes "
                        + "of the same name").add()
                .property().name(CONFIG_GROUP_FIELD).label("Group field").type(ProviderConfigProperty.STRING_TYPE)
                .helpText("A contact field (e.g. a multi-select cf_NNN) whose values, with the account name, "
                        + "make up the sso_groups attribute").add()
                .property().name(CONFIG_ALLOW_PLAIN_HTTP).label("Allow plain http")
                .type(ProviderConfigProperty.BOOLEAN_TYPE).defaultValue("false")
                .helpText("Off: a CRM base URL with http:// is refused unless the CRM runs on this machine (localhost, "
                        + "127.x, ::1). On: plain http to another host is used, and logged as a warning at start-up: "
                        + "contacts' md5(token + password), the access key's hash and the API session then travel "
                        + "in clear text. Prefer https://").add()
                .property().name(CONFIG_CONNECT_TIMEOUT).label("Connect timeout (ms)")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue("3000")
                .helpText("How long to wait for the CRM to accept a connection; a CRM that does not within this time "
                        + "counts as unavailable for that request").add()
                .property().name(CONFIG_READ_TIMEOUT).label("Read timeout (ms)")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue("5000")
                .helpText("A CRM slower than this counts as unavailable for that request").add()
                .property().name(CONFIG_BREAKER_OPEN_SECONDS).label("Pause the CRM after failures (s)")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(String.valueOf(CrmBreaker.DEFAULT_OPEN_SECONDS))
                .helpText("After " + CrmBreaker.FAILURES_TO_OPEN + " CRM requests in a row that got no answer (down, "
                        + "slower than the read timeout, an HTTP error, HTML or broken JSON) the CRM is not asked for "
                        + "this many seconds: contacts are told at once that the customer database cannot be reached, "
                        + "local and Google / Microsoft users are not slowed down. Then one request at a time tries the "
                        + "CRM again; its first answer ends the pause. 1 to 3600").add()
                .property().name(CONFIG_PORTAL_FAILURE_LIMIT).label("Pause password login after")
                .type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(String.valueOf(PortalFailures.DEFAULT_LIMIT))
                .helpText("coreBOS only (vtiger never locks: nothing is counted there). Wrong passwords Keycloak "
                        + "sends to the CRM for one contact since the contact's last "
                        + "success; then it stops asking the CRM and the contact is told to contact you. coreBOS "
                        + "locks a contact for good after more than Application_MaxFailedLoginAttempts (5) failures, "
                        + "the customer portal's own included, and time never lowers that count: keep this below 5. "
                        + "Lift a pause in the contact's Credentials tab (delete \"crm-portal-failures\") once the "
                        + "CRM's count is back to 0 or you accept the risk").add()
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
