package dev.crmsso.userstorage;

import java.util.List;
import java.util.stream.Stream;

import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SubjectCredentialManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.storage.UserStorageUtil;
import org.keycloak.storage.federated.UserFederatedStorageProvider;

/**
 * The credentials of a contact: the password, checked by the CRM, never stored, never changed
 * here; and what Keycloak keeps for the contact in its federated storage, as it does for any
 * federated user: the count of wrong passwords sent to the CRM (type {@code crm-portal-failures},
 * see {@link PortalFailures}), which an admin may delete.
 */
final class CrmCredentialManager implements SubjectCredentialManager {

    private final CrmContactsProvider provider;
    private final KeycloakSession session;
    private final RealmModel realm;
    private UserModel user;

    CrmCredentialManager(CrmContactsProvider provider, KeycloakSession session, RealmModel realm) {
        this.provider = provider;
        this.session = session;
        this.realm = realm;
    }

    private UserFederatedStorageProvider federated() {
        return UserStorageUtil.userFederatedStorage(session);
    }

    /** The adapter and its manager point at each other; the adapter is built second. */
    void bind(UserModel user) {
        this.user = user;
    }

    @Override
    public boolean isValid(List<CredentialInput> inputs) {
        return !inputs.isEmpty() && inputs.stream().allMatch(i -> provider.isValid(realm, user, i));
    }

    @Override
    public boolean isConfiguredFor(String type) {
        return PasswordCredentialModel.TYPE.equals(type);
    }

    @Override
    public boolean isConfiguredLocally(String type) {
        return false;
    }

    @Override
    public Stream<String> getConfiguredUserStorageCredentialTypesStream() {
        return Stream.of(PasswordCredentialModel.TYPE);
    }

    @Override public boolean updateCredential(CredentialInput input) { throw CrmContactAdapter.readOnly(); }
    @Override public void updateStoredCredential(CredentialModel cred) { throw CrmContactAdapter.readOnly(); }
    @Override public CredentialModel createStoredCredential(CredentialModel cred) { throw CrmContactAdapter.readOnly(); }
    @Override public CredentialModel createCredentialThroughProvider(CredentialModel model) { throw CrmContactAdapter.readOnly(); }
    @Override
    public boolean removeStoredCredentialById(String id) {
        return federated().removeStoredCredential(realm, user.getId(), id);
    }

    @Override
    public CredentialModel getStoredCredentialById(String id) {
        return federated().getStoredCredentialById(realm, user.getId(), id);
    }

    @Override
    public Stream<CredentialModel> getStoredCredentialsStream() {
        return federated().getStoredCredentialsStream(realm, user.getId());
    }

    @Override
    public Stream<CredentialModel> getStoredCredentialsByTypeStream(String type) {
        return federated().getStoredCredentialsByTypeStream(realm, user.getId(), type);
    }

    @Override public CredentialModel getStoredCredentialByNameAndType(String name, String type) { return null; }
    @Override public boolean moveStoredCredentialTo(String id, String newPreviousCredentialId) { return false; }
    @Override public void updateCredentialLabel(String credentialId, String label) { throw CrmContactAdapter.readOnly(); }
    @Override public void disableCredentialType(String type) { throw CrmContactAdapter.readOnly(); }
    @Override public Stream<String> getDisableableCredentialTypesStream() { return Stream.empty(); }
}
