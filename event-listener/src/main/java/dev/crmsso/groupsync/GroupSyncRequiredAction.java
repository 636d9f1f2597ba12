package dev.crmsso.groupsync;

import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;

/**
 * The sync's early hook. Keycloak 26.7 sends the LOGIN event only after the login protocol has
 * built its response ({@code AuthenticationManager.finishedRequiredActions}), too late for an
 * implicit-flow token or a myDBR redirect of that same login. Every enabled required action is
 * asked {@link #evaluateTriggers} on every login (browser flow, SSO cookie, direct grant) before
 * that: the sync runs there, and is never added to a user as an action to perform.
 */
final class GroupSyncRequiredAction implements RequiredActionProvider {

    private final GroupSync sync;

    GroupSyncRequiredAction(GroupSync sync) {
        this.sync = sync;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        if (context.getUser() != null) {
            sync.applyOnce(context.getSession(), context.getRealm(), context.getUser());
        }
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        // never asked: the action is not added to users
        context.success();
    }

    @Override
    public void processAction(RequiredActionContext context) {
        context.success();
    }

    @Override
    public void close() {
    }
}
