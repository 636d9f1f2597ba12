package dev.crmsso.userstorage;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What vtiger's customer-portal API ({@code modules/CustomerPortal/api.php}, 7.1 and later) answered to
 * {@code FetchProfile}, as a portal login's result. Its checks ({@code apis/AbstractApi.php},
 * {@code authenticatePortalUser}; {@code ../shared/vtiger-portal-api.md}): a {@code vtiger_portalinfo} row with the
 * user name, active, the contact not deleted, {@code portal=1}, today within the support dates, then the password
 * against each such row; the first row whose password matches wins. Seen on the real vtiger 8.2
 * ({@code ../shared/vtiger/README.md}):
 * <ul>
 * <li>{@code success:true}, {@code result.customer_details.id} the contact whose row matched;</li>
 * <li>1414 "Portal access has not been enabled for this account.": a usable row, a wrong password (8.x; 7.1–7.5
 *     answer 1414 to every refusal, so there a contact whose support ended is told its password is wrong);</li>
 * <li>1412 "Login failed": no usable row (unknown user name, portal off, support ended or not started, inactive
 *     row); 1413 "Access to the portal was disabled on ..." (support ended, older releases);</li>
 * <li>HTTP 401 with 1412 "Login Required": no {@code Authorization} header reached PHP;</li>
 * <li>HTTP 500 with an empty body: a PHP fatal (an unknown operation, the fields only in the URL).</li>
 * </ul>
 */
final class PortalApiAnswer {

    /** The code of the refusal that means "the web server kept the Authorization header from PHP". */
    static final String NO_AUTHORIZATION_HEADER = "PORTAL_API_NO_AUTHORIZATION_HEADER";

    private PortalApiAnswer() {
    }

    /**
     * The answer's JSON as {@link CrmResponse#parse} reads {@code webservice.php}'s (HTTP 500, HTML, broken JSON:
     * an unavailable CRM), except HTTP 401: the CRM answered, its web server is set up wrong for the portal API.
     * That is no outage, so it does not pause the CRM (the breaker) for lookups; it refuses every password login.
     */
    static CrmResponse parse(int status, String body) {
        if (status == 401) {
            throw CrmException.error(NO_AUTHORIZATION_HEADER, "the customer-portal API answered HTTP 401 (Login "
                    + "Required): the web server does not hand the Authorization header to PHP");
        }
        return CrmResponse.parse(status, body);
    }

    /**
     * A success is the password of the contact whose portal row matched, and portal user names are not unique:
     * only the contact that was looked up is a success, any other is {@link PortalLoginResult#OTHER_CONTACT}.
     */
    static PortalLoginResult accepted(JsonNode result, String lookedUpContactId) {
        return PortalLoginResult.successFor(result.path("customer_details").path("id").asText(""), lookedUpContactId);
    }

    /** A refusal ({@code success:false}) as a result; any other failure is thrown on as it is. */
    static PortalLoginResult refused(CrmException e) {
        switch (String.valueOf(e.code())) {
            case "1414":
                return PortalLoginResult.WRONG_PASSWORD;
            case "1412":
            case "1413":
                return PortalLoginResult.NO_PORTAL_ACCESS;
            default:
                throw e;
        }
    }
}
