package dev.crmsso.userstorage;

import static dev.crmsso.userstorage.CrmContactsConstants.READ_ONLY_MESSAGE;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.storage.ReadOnlyException;
import org.keycloak.storage.StorageId;
import org.keycloak.storage.adapter.AbstractUserAdapterFederatedStorage;

/**
 * A CRM contact as a Keycloak user, on Keycloak's own base for users whose data lives elsewhere
 * ({@code AbstractUserAdapterFederatedStorage}, the user-storage SPI's adapter for providers that import nothing):
 * what Keycloak keeps of the contact is in its federated storage (group memberships, role mappings, required actions,
 * credentials other than the password: an OTP, a WebAuthn key, recovery codes, the count of wrong passwords, see
 * {@link PortalFailures}), and Keycloak's own credential manager serves them; the password is checked by the CRM
 * ({@link CrmContactsProvider#isValid}) and can be changed nowhere here.
 * <p>
 * What the CRM owns (username, names, email, the attributes, portal access as "email verified", the creation time)
 * comes from the contact and is read-only: a change is refused with a message that sends the admin to the CRM, and so
 * is a required action that would change it (update profile, email or password, verify email).
 */
final class CrmContactAdapter extends AbstractUserAdapterFederatedStorage {

    /** Required actions whose end is a change of what the CRM owns: never set on a contact. */
    static final Set<String> CRM_OWNED_ACTIONS = Set.of(RequiredAction.UPDATE_PROFILE.name(),
            RequiredAction.UPDATE_PASSWORD.name(), RequiredAction.VERIFY_EMAIL.name(), RequiredAction.UPDATE_EMAIL.name());

    private final CrmContact contact;

    CrmContactAdapter(KeycloakSession session, RealmModel realm, ComponentModel storage, CrmContact contact) {
        super(session, realm, storage);
        this.contact = contact;
        this.storageId = new StorageId(storage.getId(), contact.crmId());
    }

    CrmContact contact() {
        return contact;
    }

    @Override
    public String getUsername() {
        return contact.username();
    }

    @Override
    public String getFirstAttribute(String name) {
        return contact.first(name);
    }

    @Override
    public Stream<String> getAttributeStream(String name) {
        return contact.attributes().getOrDefault(name, List.of()).stream();
    }

    @Override
    public Map<String, List<String>> getAttributes() {
        return contact.attributes();
    }

    /** The CRM vouches for the address of a contact it lets into the customer portal. */
    @Override
    public boolean isEmailVerified() {
        return contact.portal();
    }

    @Override
    public boolean isEnabled() {
        return true;
    }

    /** The CRM's creation time: the admin console shows "Invalid Date" for a user without one. */
    @Override
    public Long getCreatedTimestamp() {
        return contact.created();
    }

    @Override
    public void addRequiredAction(String action) {
        if (CRM_OWNED_ACTIONS.contains(action)) {
            throw readOnly();
        }
        super.addRequiredAction(action);
    }

    @Override
    public void addRequiredAction(RequiredAction action) {
        addRequiredAction(action.name());
    }

    // read-only: every change belongs in the CRM. The admin console saves a user's page whole (enabled, email
    // verified, federation link included, UserResource.updateUserFromRep): setting what is already so changes nothing,
    // so that an admin can save a contact's required actions.

    @Override public void setUsername(String username) { unchanged(getUsername(), username); }
    @Override public void setCreatedTimestamp(Long timestamp) { unchanged(getCreatedTimestamp(), timestamp); }
    @Override public void setEnabled(boolean enabled) { unchanged(true, enabled); }
    @Override public void setSingleAttribute(String name, String value) { unchanged(getAttributeStream(name).toList(), value == null ? List.of() : List.of(value)); }
    @Override public void setAttribute(String name, List<String> values) { unchanged(getAttributeStream(name).toList(), values); }
    @Override public void removeAttribute(String name) { unchanged(getAttributeStream(name).toList(), List.of()); }
    @Override public void setFirstName(String firstName) { unchanged(getFirstName(), firstName); }
    @Override public void setLastName(String lastName) { unchanged(getLastName(), lastName); }
    @Override public void setEmail(String email) { unchanged(getEmail(), email); }
    @Override public void setEmailVerified(boolean verified) { unchanged(isEmailVerified(), verified); }
    @Override public void setFederationLink(String link) { unchanged(getFederationLink(), link); }
    @Override public void setServiceAccountClientLink(String link) { unchanged(getServiceAccountClientLink(), link); }

    private static void unchanged(Object current, Object wanted) {
        if (!Objects.equals(current, wanted)) {
            throw readOnly();
        }
    }

    static ReadOnlyException readOnly() {
        return new ReadOnlyException(READ_ONLY_MESSAGE);
    }
}
