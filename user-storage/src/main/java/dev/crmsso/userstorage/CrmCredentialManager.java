package dev.crmsso.userstorage;

import java.util.List;
import java.util.stream.Stream;

import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SubjectCredentialManager;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;

/**
 * The credentials of a contact that Keycloak does not hold in its own cache: only the
 * password, checked by the CRM; nothing is stored, nothing can be changed here.
 */
final class CrmCredentialManager implements SubjectCredentialManager {

    private final CrmContactsProvider provider;
    private final RealmModel realm;
    private UserModel user;

    CrmCredentialManager(CrmContactsProvider provider, RealmModel realm) {
        this.provider = provider;
        this.realm = realm;
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
    @Override public boolean removeStoredCredentialById(String id) { return false; }
    @Override public CredentialModel getStoredCredentialById(String id) { return null; }
    @Override public Stream<CredentialModel> getStoredCredentialsStream() { return Stream.empty(); }
    @Override public Stream<CredentialModel> getStoredCredentialsByTypeStream(String type) { return Stream.empty(); }
    @Override public CredentialModel getStoredCredentialByNameAndType(String name, String type) { return null; }
    @Override public boolean moveStoredCredentialTo(String id, String newPreviousCredentialId) { return false; }
    @Override public void updateCredentialLabel(String credentialId, String label) { throw CrmContactAdapter.readOnly(); }
    @Override public void disableCredentialType(String type) { throw CrmContactAdapter.readOnly(); }
    @Override public Stream<String> getDisableableCredentialTypesStream() { return Stream.empty(); }
}
