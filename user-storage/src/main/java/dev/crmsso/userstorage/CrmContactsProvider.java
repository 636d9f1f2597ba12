package dev.crmsso.userstorage;

import static dev.crmsso.userstorage.CrmContactsConstants.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.AuthenticationFlowException;
import org.keycloak.component.ComponentModel;
import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialInputUpdater;
import org.keycloak.credential.CredentialInputValidator;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.models.cache.UserCache;
import org.keycloak.storage.StorageId;
import org.keycloak.storage.UserStorageUtil;
import org.keycloak.storage.UserStorageProvider;
import org.keycloak.storage.user.UserLookupProvider;
import org.keycloak.storage.user.UserQueryProvider;
import org.keycloak.userprofile.AttributeContext;
import org.keycloak.userprofile.AttributeGroupMetadata;
import org.keycloak.userprofile.AttributeMetadata;
import org.keycloak.userprofile.UserProfileDecorator;
import org.keycloak.userprofile.UserProfileMetadata;
import org.keycloak.userprofile.UserProfileUtil;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The CRM's contacts as read-only users of one realm: lookups and admin-console search run
 * VTQL through the federation's shared {@link CrmClient}; passwords are checked by the CRM's
 * portal login and never kept. One instance serves one Keycloak request: a contact it has
 * looked up, or whose password it has just checked, is not asked of the CRM again in that
 * request (Keycloak looks a user up by email, id and username within one login).
 */
public final class CrmContactsProvider implements UserStorageProvider, UserLookupProvider, UserQueryProvider,
        CredentialInputValidator, CredentialInputUpdater, UserProfileDecorator {

    private static final Logger LOG = Logger.getLogger(CrmContactsProvider.class);
    private static final String CONTACTS = "Contacts";
    private static final Pattern CRM_ID = Pattern.compile("\\d+x\\d+");
    /** The most users one unbounded admin search pages through. */
    private static final int SEARCH_CAP = 1000;

    static final String MSG_LOCKED = "Your account is locked in the CRM after too many failed logins. "
            + "Please contact us to unlock it.";
    static final String MSG_NO_PORTAL = "Your customer-portal access is not active. Please contact us.";
    static final String MSG_NO_PASSWORD_LOGIN = "Password login is not available for CRM contacts on this server. "
            + "Please sign in another way.";
    static final String MSG_UNAVAILABLE = "The customer database cannot be reached right now. Please try again later.";
    static final String MSG_PAUSED = "Too many wrong passwords were entered for this account, so password sign-in is "
            + "paused to keep it from being locked in our customer database. Please contact us to restore it.";
    static final String MSG_BUSY = "Another sign-in for this account is being checked. Please try again in a moment.";

    private final KeycloakSession session;
    private final ComponentModel model;
    private final CrmClient crm;
    private final AccountNames accounts;
    private final LastKnownContacts lastKnown;
    private final UnknownNames unknown;
    private final PortalFailures failures;
    /** This request's users by "field:value" (lower case), filled by lookups and password checks. */
    private final Map<String, UserModel> seen = new HashMap<>();

    CrmContactsProvider(KeycloakSession session, ComponentModel model, CrmClient crm, AccountNames accounts,
            LastKnownContacts lastKnown, UnknownNames unknown, int failureLimit) {
        this.session = session;
        this.model = model;
        this.crm = crm;
        this.accounts = accounts;
        this.lastKnown = lastKnown;
        this.unknown = unknown;
        // a challenge and a portal login, each within the connect and read timeouts, and the database writes
        Duration hold = crm.config().connectTimeout().plus(crm.config().readTimeout()).multipliedBy(2).plusSeconds(5);
        this.failures = new PortalFailures(session, model.getParentId(), failureLimit, hold);
    }

    // lookups

    @Override
    public UserModel getUserById(RealmModel realm, String id) {
        String crmId = StorageId.externalId(id);
        if (crmId == null || !CRM_ID.matcher(crmId).matches()) {
            return null;
        }
        try {
            return findOne(realm, "id", crmId);
        } catch (CrmUnavailableException e) {
            // outside a password login (a token refresh, the admin console): null would end the contact's
            // sessions, so the contact as last read goes on, read-only as always, until the CRM answers
            CrmContact known = lastKnown.get(crmId);
            if (known == null) {
                // not read by this node since its start (a restart, another node): Keycloak's UserStorageManager
                // lets a provider's exception out of a look-up by id, which a token refresh answers with a 500.
                // Nobody vouches for this contact now, so it is not found: the refresh is refused as invalid_grant,
                // the admin console answers 404, and a contact taken out of the CRM meanwhile cannot go on
                LOG.infof("CRM contacts %s: contact %s not read since this node started and the CRM cannot answer: "
                        + "not found", model.getName(), crmId);
                return null;
            }
            LOG.debugf("CRM contacts %s: %s as last read, the CRM cannot answer", model.getName(), known.username());
            UserModel user = adapter(realm, known);
            remember(user);
            return user;
        }
    }

    @Override
    public UserModel getUserByUsername(RealmModel realm, String username) {
        return findOne(realm, crm.config().usernameField(), username);
    }

    @Override
    public UserModel getUserByEmail(RealmModel realm, String email) {
        return findOne(realm, "email", email);
    }

    /** An unwritable value (empty, control characters) is nobody, without asking the CRM. */
    private UserModel findOne(RealmModel realm, String field, String value) {
        if (!Vtql.isWritable(value)) {
            return null;
        }
        UserModel known = seen.get(key(field, value));
        if (known != null) {
            return known;
        }
        boolean byName = !"id".equals(field);
        if (byName && unknown.isUnknown(field, value)) {
            return null;
        }
        List<UserModel> found = query(realm, contactsWhere().whereEquals(field, value).limit(0, 2), "lookup");
        if (found.isEmpty() && byName) {
            // the CRM's answer "nobody", kept a short while; a failure above is never kept
            unknown.unknown(field, value);
        }
        if (found.size() > 1) {
            LOG.warnf("CRM contacts %s: %d contacts share the %s of one login; refusing the lookup",
                    model.getName(), found.size(), field);
            return null;
        }
        if (found.isEmpty()) {
            return null;
        }
        remember(found.get(0));
        return found.get(0);
    }

    private void remember(UserModel user) {
        unknown.known(crm.config().usernameField(), user.getUsername());
        unknown.known("email", user.getEmail());
        seen.put(key("id", StorageId.externalId(user.getId())), user);
        seen.put(key(crm.config().usernameField(), user.getUsername()), user);
        if (user.getEmail() != null) {
            seen.put(key("email", user.getEmail()), user);
        }
    }

    private static String key(String field, String value) {
        return field + ":" + value.toLowerCase(Locale.ROOT);
    }

    // admin-console search and count

    @Override
    public Stream<UserModel> searchForUserStream(RealmModel realm, Map<String, String> params, Integer first, Integer max) {
        if (SearchParams.answersNobody(params, crm.config().portalOnly())) {
            return Stream.empty();
        }
        SearchText text = SearchText.of(params, crm.config().usernameField());
        if (text.matchesNobody()) {
            return Stream.empty();
        }
        int offset = first == null || first < 0 ? 0 : first;
        int wanted = max == null || max < 0 ? SEARCH_CAP : Math.min(max, SEARCH_CAP);
        List<UserModel> users = new ArrayList<>();
        while (users.size() < wanted) {
            int page = Math.min(Vtql.MAX_ROWS, wanted - users.size());
            List<UserModel> rows = query(realm, text.apply(contactsWhere()).orderBy("lastname").limit(offset, page), "search");
            users.addAll(rows);
            if (rows.size() < page) {
                break;
            }
            offset += page;
        }
        return users.stream();
    }

    @Override
    public int getUsersCount(RealmModel realm, Map<String, String> params) {
        if (SearchParams.answersNobody(params, crm.config().portalOnly())) {
            return 0;
        }
        SearchText text = SearchText.of(params, crm.config().usernameField());
        return text.matchesNobody() ? 0 : count(text.apply(countWhere()));
    }

    @Override
    public int getUsersCount(RealmModel realm) {
        return count(countWhere());
    }

    /** Contacts' memberships live in Keycloak's federated storage, which Keycloak lists itself. */
    @Override
    public Stream<UserModel> getGroupMembersStream(RealmModel realm, GroupModel group, Integer first, Integer max) {
        return Stream.empty();
    }

    @Override
    public Stream<UserModel> searchForUserByUserAttributeStream(RealmModel realm, String name, String value) {
        return Stream.empty();
    }

    private Vtql contactsWhere() {
        return portalFilter(Vtql.select(CONTACTS, CrmContact.fieldsFor(crm.config())));
    }

    private Vtql countWhere() {
        return portalFilter(Vtql.count(CONTACTS));
    }

    private Vtql portalFilter(Vtql query) {
        return crm.config().portalOnly() ? query.whereEquals("portal", "1") : query;
    }

    /** A CRM that cannot count counts nobody: Keycloak adds the local users and the other federations. */
    private int count(Vtql query) {
        try {
            JsonNode rows = crm.query(query).result();
            return rows.path(0).path("count").asInt(0);
        } catch (CrmException e) {
            logUnavailable(e, "count");
            return 0;
        }
    }

    private List<UserModel> query(RealmModel realm, Vtql query, String what) {
        List<Map<String, String>> rows;
        try {
            rows = rows(crm.query(query).result());
            Map<String, String> accountNames = accounts.namesOf(rows.stream().map(r -> r.get("account_id")).toList());
            List<UserModel> users = new ArrayList<>();
            for (Map<String, String> row : rows) {
                CrmContact contact = CrmContact.of(row, accountNames.get(row.get("account_id")), crm.config());
                lastKnown.put(contact);
                UserModel user = adapter(realm, contact);
                // Keycloak looks each user of a search page up again by id to show it (by id only:
                // a lookup by email or username must still see two contacts that share one)
                seen.put(key("id", StorageId.externalId(user.getId())), user);
                users.add(user);
            }
            return users;
        } catch (CrmException e) {
            throw unavailable(e, what);
        }
    }

    private UserModel adapter(RealmModel realm, CrmContact contact) {
        return new CrmContactAdapter(session, realm, model, contact);
    }

    static List<Map<String, String>> rows(JsonNode result) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode node : result) {
            Map<String, String> row = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                row.put(field.getKey(), field.getValue().isNull() ? null : field.getValue().asText());
            }
            rows.add(row);
        }
        return rows;
    }

    // passwords

    @Override
    public boolean supportsCredentialType(String type) {
        return PasswordCredentialModel.TYPE.equals(type);
    }

    /**
     * The password is the CRM's customer-portal password: nobody sets one in Keycloak. Keycloak's credential
     * manager asks this federation first and, when it answers false, lets its own password provider store a hash in
     * the contact's federated storage, which would then let the contact in without the CRM (after the CRM took its
     * portal access away, or with a password the CRM never knew): so a change is refused, as a read-only LDAP refuses
     * it ({@code UserCredentialManager.updateCredential}; the admin console and the update-password form show it as a
     * read-only password).
     */
    @Override
    public boolean updateCredential(RealmModel realm, UserModel user, CredentialInput input) {
        if (supportsCredentialType(input.getType())) {
            throw CrmContactAdapter.readOnly();
        }
        return false;
    }

    @Override
    public void disableCredentialType(RealmModel realm, UserModel user, String credentialType) {
        // the CRM's password cannot be switched off here
    }

    @Override
    public Stream<String> getDisableableCredentialTypesStream(RealmModel realm, UserModel user) {
        return Stream.empty();
    }

    @Override
    public boolean isConfiguredFor(RealmModel realm, UserModel user, String type) {
        return supportsCredentialType(type);
    }

    @Override
    public boolean isValid(RealmModel realm, UserModel user, CredentialInput input) {
        if (!supportsCredentialType(input.getType()) || input.getChallengeResponse() == null
                || input.getChallengeResponse().isEmpty()) {
            return false;
        }
        Flavour flavour = crm.config().flavour();
        if (flavour.passwordCheck() == Flavour.PasswordCheck.NONE) {
            LOG.infof("CRM contacts %s: password login refused for %s: flavour %s checks no portal password",
                    model.getName(), user.getUsername(), flavour.configValue());
            throw refusal("crm_no_portal_login", MSG_NO_PASSWORD_LOGIN);
        }
        UserModel contact = current(realm, user);
        String email = contact.getEmail();
        if (email == null || email.isBlank()) {
            return false;
        }
        if (crm.isBreakerOpen()) {
            // told at once: no lock, no count, no request
            throw unavailable(CrmException.breakerOpen(0), "portal login");
        }
        if (flavour.passwordCheck() == Flavour.PasswordCheck.PORTAL_API && !contact.isEmailVerified()) {
            // portal off in the CRM (found with "only contacts with portal access" off): vtiger would refuse it
            // (vtiger_customerdetails.portal), so its password is not sent, as coreBOS's challenge already fails
            return outcome(user, contact, PortalLoginResult.NO_PORTAL_ACCESS, PortalFailures.NOT_COUNTED);
        }
        PortalFailures.Attempt attempt = PortalFailures.NOT_COUNTED;
        if (flavour.crmLocksContacts()) {
            try {
                attempt = failures.begin(contact);
            } catch (PortalFailures.Paused e) {
                LOG.debugf("CRM contacts %s: %s: password login paused (%d wrong passwords), the CRM not asked",
                        model.getName(), user.getUsername(), e.count.failures());
                throw refusal("crm_password_paused", MSG_PAUSED);
            } catch (PortalFailures.Busy e) {
                LOG.infof("CRM contacts %s: %s: another portal login of this contact held its lock too long",
                        model.getName(), user.getUsername());
                throw refusal("crm_login_in_progress", MSG_BUSY);
            }
        }
        PortalLoginResult result;
        try {
            String contactId = StorageId.externalId(contact.getId());
            result = flavour.crmLocksContacts() ? crm.loginPortal(email, contactId, input.getChallengeResponse())
                    : crm.checkPortalPassword(email, contactId, input.getChallengeResponse());
        } catch (CrmException e) {
            if (e.mayHaveReachedCrm()) {
                counted(user, attempt.failed());
            } else {
                attempt.notCounted();
            }
            throw unavailable(e, "portal login");
        } catch (RuntimeException e) {
            counted(user, attempt.failed());
            throw e;
        }
        return outcome(user, contact, result, attempt);
    }

    /** The CRM's answer to a contact's password as Keycloak's: true, false, or a refusal with its own page. */
    private boolean outcome(UserModel user, UserModel contact, PortalLoginResult result, PortalFailures.Attempt attempt) {
        switch (result) {
            case SUCCESS:
                attempt.succeeded();
                // Keycloak's checks after the password look this user up again (by id, by username)
                remember(contact);
                return true;
            case WRONG_PASSWORD:
                counted(user, attempt.failed());
                return false;
            case OTHER_CONTACT:
                counted(user, attempt.failed());
                LOG.warnf("CRM contacts %s: %s: the CRM's portal accepted the password for another contact sharing "
                        + "this portal user name, not %s; refused as a wrong password", model.getName(),
                        user.getUsername(), StorageId.externalId(contact.getId()));
                return false;
            case LOCKED:
                attempt.notCounted();
                LOG.warnf("CRM contacts %s: contact %s is locked in the CRM (more than 5 failed portal logins)",
                        model.getName(), user.getUsername());
                throw refusal("crm_contact_locked", MSG_LOCKED);
            default:
                attempt.notCounted();
                LOG.infof("CRM contacts %s: contact %s has no active portal access", model.getName(), user.getUsername());
                throw refusal("crm_no_portal_access", MSG_NO_PORTAL);
        }
    }

    /**
     * The contact whose password is checked, as the CRM answered in this request when it did: Keycloak hands over its
     * cached copy, which can be older than the contact just found (an email changed in the CRM: the CRM knows the
     * password under the new one). A cached copy the CRM contradicts is evicted from Keycloak's user cache, so the
     * rest of the login and its tokens carry the CRM's values too.
     */
    private UserModel current(RealmModel realm, UserModel user) {
        if (user instanceof CrmContactAdapter) {
            return user;
        }
        UserModel fresh = seen.get(key("id", StorageId.externalId(user.getId())));
        if (fresh == null) {
            return adapter(realm, CrmContact.of(user));
        }
        if (!fresh.getAttributes().equals(user.getAttributes()) || fresh.isEmailVerified() != user.isEmailVerified()) {
            UserCache cache = UserStorageUtil.userCache(session);
            if (cache != null) {
                cache.evict(realm, user);
            }
        }
        return fresh;
    }

    /** The log line of the failure that pauses the contact's password login (a lost answer counts too). */
    private void counted(UserModel user, PortalFailures.Count count) {
        if (count.failures() == failures.limit()) {
            LOG.warnf("CRM contacts %s: %s: %d wrong passwords sent to the CRM since the last success; "
                    + "password login paused, the CRM is not asked again (it locks for good after more "
                    + "than 5); an admin lifts it by deleting the contact's %s credential",
                    model.getName(), user.getUsername(), count.failures(), PortalFailures.CREDENTIAL_TYPE);
        }
    }

    /**
     * One log line with the cause (CrmException messages carry no key, session or password; none while the
     * breaker is open, whose opening was logged) and what the caller gets: in a password login, a message on
     * the themed error page and an error event for the contact; anywhere else (admin console, token refresh,
     * a brokered login looking up an email) Keycloak's "storage unavailable", with which it goes on without
     * this federation.
     */
    private RuntimeException unavailable(CrmException e, String what) {
        logUnavailable(e, what);
        if (inPasswordLogin()) {
            return refusal("crm_unavailable", MSG_UNAVAILABLE);
        }
        return new CrmUnavailableException("CRM contacts " + model.getName() + ": " + what + " failed: " + e.getMessage());
    }

    private void logUnavailable(CrmException e, String what) {
        if (e.isBreakerOpen()) {
            LOG.debugf("CRM contacts %s: %s not sent, breaker open", model.getName(), what);
        } else {
            LOG.warnf("CRM contacts %s: %s failed at %s: %s", model.getName(), what, crm.config().baseUrl(), e.getMessage());
        }
    }

    /** A login form with a password was posted: whoever typed it may be a contact, who is told why not. */
    private boolean inPasswordLogin() {
        KeycloakContext context = session.getContext();
        if (context == null || context.getAuthenticationSession() == null) {
            return false;
        }
        try {
            HttpRequest request = context.getHttpRequest();
            return request != null && "POST".equals(request.getHttpMethod())
                    && request.getDecodedFormParameters().containsKey(PasswordCredentialModel.TYPE);
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static AuthenticationFlowException refusal(String eventDetail, String userMessage) {
        return new AuthenticationFlowException(AuthenticationFlowError.GENERIC_AUTHENTICATION_ERROR, eventDetail, userMessage);
    }

    // user profile

    /** What the CRM owns of a contact, and what Keycloak's user profile must neither ask for nor validate. */
    private static final List<String> CRM_OWNED = List.of(UserModel.USERNAME, UserModel.EMAIL, UserModel.FIRST_NAME,
            UserModel.LAST_NAME);

    /** The attributes every contact may carry beside its names, as the admin console labels them. */
    private static final Map<String, String> PUBLISHED = new LinkedHashMap<>();

    static {
        PUBLISHED.put(ATTR_ACCOUNT, "CRM account");
        PUBLISHED.put(ATTR_ACCOUNT_ID, "CRM account id");
        PUBLISHED.put(ATTR_GROUPS, "CRM groups");
        PUBLISHED.put(ATTR_CONTACT_NO, "CRM contact number");
        PUBLISHED.put(ATTR_PHONE, "Phone");
        PUBLISHED.put(ATTR_MOBILE, "Mobile");
    }

    /**
     * The user-storage SPI's hook into the user profile: Keycloak's {@code DefaultAttributes} asks it, through
     * {@code UserStorageManager}, for the users of this federation only. Username, email and names are read-only
     * for contacts, as LDAP's read-only mode declares them: Keycloak then neither validates a read-only value the
     * user cannot change (a first name such as "Smith &amp; Co" that the realm's name validator refuses) nor shows
     * the contact "Update account information" for it, and no form writes to it.
     * <p>
     * What else the federation publishes ({@link #PUBLISHED} and the extra fields) is declared as LDAP declares its
     * metadata attributes, with Keycloak's {@code UserProfileUtil.createAttributeMetadata}: never writable, shown in
     * admin contexts only (the admin console's user page and {@code GET /admin/realms/{realm}/users/{id}}). Without
     * a declaration the realm's profile (no unmanaged attributes) hides them from the admin while the token mappers,
     * which read the user model, still see them. An attribute the realm's profile declares itself keeps that
     * declaration and is made read-only for contacts.
     */
    @Override
    public List<AttributeMetadata> decorateUserProfile(String providerId, UserProfileMetadata metadata) {
        Predicate<AttributeContext> contact = c -> c.getUser() != null && model.getId().equals(c.getUser().getFederationLink());
        for (String name : CRM_OWNED) {
            for (AttributeMetadata attribute : metadata.getAttribute(name)) {
                attribute.addWriteCondition(contact.negate());
            }
        }
        Map<String, String> published = new LinkedHashMap<>(PUBLISHED);
        crm.config().extraFields().forEach(field -> published.putIfAbsent(field, field));
        AttributeGroupMetadata group = UserProfileUtil.lookupUserMetadataGroup(session);
        int guiOrder = metadata.getAttributes().size();
        List<AttributeMetadata> declared = new ArrayList<>();
        for (Map.Entry<String, String> attribute : published.entrySet()) {
            AttributeMetadata added = UserProfileUtil.createAttributeMetadata(attribute.getKey(), metadata, group,
                    guiOrder++, model.getName());
            if (added == null) {
                metadata.getAttribute(attribute.getKey()).forEach(a -> a.addWriteCondition(contact.negate()));
                continue;
            }
            added.setAttributeDisplayName(attribute.getValue());
            added.setMultivalued(ATTR_GROUPS.equals(attribute.getKey()));
            declared.add(added);
        }
        return declared;
    }

    @Override
    public void close() {
        // the CRM client belongs to the factory: its session outlives this request
    }
}
