package dev.crmsso.mydbr;

/** Names of the myDBR login protocol: its id, its wire parameters, client settings, errors and messages. */
public final class MydbrConstants {

    /** The login protocol id: clients with this protocol are myDBR installations; URLs are {@code /protocol/mydbr/...}. */
    public static final String PROTOCOL = "mydbr";

    // Request parameters (myDBR → Keycloak)
    /** Default name of the parameter that carries myDBR's return URL (myDBR's {@code url_parameter}). */
    public static final String PARAM_URL = "url";
    public static final String PARAM_TOKEN = "token";
    public static final String PARAM_HASH = "hash";

    // Response parameters (Keycloak → myDBR), in hash order
    public static final String PARAM_USER = "user";
    public static final String PARAM_NAME = "name";
    public static final String PARAM_GROUPS = "groups";
    public static final String PARAM_EMAIL = "email";
    public static final String PARAM_TELEPHONE = "telephone";
    public static final String PARAM_ADMIN = "admin";
    public static final String PARAM_EXTRA_PREFIX = "extra";
    /** myDBR splits {@code groups} on this character. */
    public static final char GROUP_SEPARATOR = '|';

    // Client settings, kept as client attributes
    /** Name of the request parameter that carries the return URL; default {@value #PARAM_URL}. */
    public static final String ATTR_URL_PARAMETER = "mydbr.url.parameter";
    /** "true": sign the response the old way, {@code sha1(user + name + groups + token + secret)}. */
    public static final String ATTR_LEGACY_HASH = "mydbr.legacy.hash";
    /** Role that makes {@code admin=1}: a role of this client, else a realm role or {@code clientId.role}. */
    public static final String ATTR_ADMIN_ROLE = "mydbr.admin.role";
    public static final String DEFAULT_ADMIN_ROLE = "admin";
    /**
     * How many extras myDBR adds to its hash: myDBR's {@code max_sso_extra_parameters}, which must be set to the same
     * number. Default {@value #DEFAULT_EXTRAS_ACCEPTED}, myDBR's own default.
     */
    public static final String ATTR_EXTRAS_ACCEPTED = "mydbr.extras.accepted";
    public static final int DEFAULT_EXTRAS_ACCEPTED = 5;
    /** What {@code user} carries: {@value #USER_VALUE_USERNAME} (default) or {@value #USER_VALUE_ID}. */
    public static final String ATTR_USER_VALUE = "mydbr.user";
    /** The Keycloak username; the guard looks re-split candidates up among the realm's users. */
    public static final String USER_VALUE_USERNAME = "username";
    /** A fixed-form id (a UUID): no other identity is a prefix of it, so a re-split user is nobody. */
    public static final String USER_VALUE_ID = "id";
    /** myDBR's own accounts, comma-separated, that a re-split {@code user} must never become; default {@value #DEFAULT_LOCAL_ACCOUNTS}. */
    public static final String ATTR_LOCAL_ACCOUNTS = "mydbr.local.accounts";
    public static final String DEFAULT_LOCAL_ACCOUNTS = "admin";

    // Authentication session notes: what myDBR sent, needed again after the login form
    public static final String NOTE_TOKEN = "mydbr.token";

    /** How long a used token is remembered (replay protection), in seconds. */
    public static final long TOKEN_REPLAY_WINDOW_SECONDS = 5 * 60;
    /** Prefix of the keys in Keycloak's single-use object store. */
    public static final String REPLAY_KEY_PREFIX = "mydbr-token:";

    /** Event error for a token seen before (Keycloak's {@code Errors} has none for this). */
    public static final String ERROR_REPLAYED_TOKEN = "replayed_token";
    /** Event error for an answer that was not signed because a re-split of it would gain something. */
    public static final String ERROR_FORGEABLE_ANSWER = "mydbr_forgeable_answer";
    /** Event details of that error: the field where the cut lies, and what it gains. */
    public static final String DETAIL_FIELD = "field";

    // Message keys, shipped in theme-resources/messages
    public static final String MSG_MISSING_PARAMETER = "mydbrMissingParameter";
    public static final String MSG_INVALID_REDIRECT_URI = "mydbrInvalidRedirectUri";
    public static final String MSG_CLIENT_NOT_FOUND = "mydbrClientNotFound";
    public static final String MSG_INVALID_SIGNATURE = "mydbrInvalidSignature";
    public static final String MSG_REPLAYED_TOKEN = "mydbrReplayedToken";
    public static final String MSG_LOGIN_FAILED = "mydbrLoginFailed";
    public static final String MSG_INVALID_MAPPER_PARAMETER = "mydbrInvalidMapperParameter";
    public static final String MSG_FORGEABLE_ANSWER = "mydbrForgeableAnswer";
    public static final String MSG_LEGACY_MAPPER = "mydbrLegacyMapper";
    public static final String MSG_INVALID_EXTRAS_ACCEPTED = "mydbrInvalidExtrasAccepted";

    private MydbrConstants() {
    }
}
