package dev.crmsso.userstorage;

import static dev.crmsso.userstorage.CrmContactsConstants.READ_ONLY_MESSAGE;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.keycloak.component.ComponentModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RoleModel;
import org.keycloak.models.SubjectCredentialManager;
import org.keycloak.models.UserModelDefaultMethods;
import org.keycloak.models.utils.RoleUtils;
import org.keycloak.storage.ReadOnlyException;
import org.keycloak.storage.StorageId;
import org.keycloak.storage.UserStorageUtil;
import org.keycloak.storage.federated.UserFederatedStorageProvider;

/**
 * A CRM contact as a Keycloak user. What the CRM owns (names, email, attributes, password) is
 * read-only: a change is refused with a message that sends the admin to the CRM. Group
 * memberships and role mappings are Keycloak's own: kept in its federated storage, so group
 * sync and role grants work for contacts as for any user.
 */
final class CrmContactAdapter extends UserModelDefaultMethods {

    private final KeycloakSession session;
    private final RealmModel realm;
    private final ComponentModel storage;
    private final CrmContact contact;
    private final SubjectCredentialManager credentials;

    CrmContactAdapter(KeycloakSession session, RealmModel realm, ComponentModel storage, CrmContact contact,
            SubjectCredentialManager credentials) {
        this.session = session;
        this.realm = realm;
        this.storage = storage;
        this.contact = contact;
        this.credentials = credentials;
    }

    CrmContact contact() {
        return contact;
    }

    @Override
    public String getId() {
        return StorageId.keycloakId(storage, contact.crmId());
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

    /** Keycloak routes password checks of a federated user to the provider this names. */
    @Override
    public String getFederationLink() {
        return storage.getId();
    }

    @Override
    public String getServiceAccountClientLink() {
        return null;
    }

    @Override
    public Stream<String> getRequiredActionsStream() {
        return Stream.empty();
    }

    // memberships and roles: Keycloak's federated storage

    private UserFederatedStorageProvider federated() {
        return UserStorageUtil.userFederatedStorage(session);
    }

    @Override
    public Stream<GroupModel> getGroupsStream() {
        return federated().getGroupsStream(realm, getId());
    }

    @Override
    public void joinGroup(GroupModel group) {
        federated().joinGroup(realm, getId(), group);
    }

    @Override
    public void leaveGroup(GroupModel group) {
        federated().leaveGroup(realm, getId(), group);
    }

    @Override
    public boolean isMemberOf(GroupModel group) {
        return RoleUtils.isMember(getGroupsStream(), group);
    }

    @Override
    public Stream<RoleModel> getRealmRoleMappingsStream() {
        return getRoleMappingsStream().filter(r -> !r.isClientRole());
    }

    @Override
    public Stream<RoleModel> getClientRoleMappingsStream(ClientModel client) {
        return getRoleMappingsStream().filter(r -> r.isClientRole() && r.getContainerId().equals(client.getId()));
    }

    /** The realm's default role, which local users hold as a mapping, and the granted roles. */
    @Override
    public Stream<RoleModel> getRoleMappingsStream() {
        return Stream.concat(Stream.of(realm.getDefaultRole()), federated().getRoleMappingsStream(realm, getId()));
    }

    @Override
    public void grantRole(RoleModel role) {
        federated().grantRole(realm, getId(), role);
    }

    @Override
    public void deleteRoleMapping(RoleModel role) {
        federated().deleteRoleMapping(realm, getId(), role);
    }

    @Override
    public boolean hasRole(RoleModel role) {
        return RoleUtils.hasRole(getRoleMappingsStream(), role)
                || RoleUtils.hasRoleFromGroup(getGroupsStream(), role, true);
    }

    @Override
    public SubjectCredentialManager credentialManager() {
        return credentials;
    }

    /** A contact has no required actions, so removing one changes nothing (Keycloak does so after each login). */
    @Override
    public void removeRequiredAction(String action) {
    }

    // read-only: every change belongs in the CRM

    @Override public void setUsername(String username) { throw readOnly(); }
    @Override public void setCreatedTimestamp(Long timestamp) { throw readOnly(); }
    @Override public void setEnabled(boolean enabled) { throw readOnly(); }
    @Override public void setSingleAttribute(String name, String value) { throw readOnly(); }
    @Override public void setAttribute(String name, List<String> values) { throw readOnly(); }
    @Override public void removeAttribute(String name) { throw readOnly(); }
    @Override public void addRequiredAction(String action) { throw readOnly(); }
    @Override public void setFirstName(String firstName) { throw readOnly(); }
    @Override public void setLastName(String lastName) { throw readOnly(); }
    @Override public void setEmail(String email) { throw readOnly(); }
    @Override public void setEmailVerified(boolean verified) { throw readOnly(); }
    @Override public void setFederationLink(String link) { throw readOnly(); }
    @Override public void setServiceAccountClientLink(String link) { throw readOnly(); }

    static ReadOnlyException readOnly() {
        return new ReadOnlyException(READ_ONLY_MESSAGE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CrmContactAdapter other && getId().equals(other.getId());
    }

    @Override
    public int hashCode() {
        return getId().hashCode();
    }
}
