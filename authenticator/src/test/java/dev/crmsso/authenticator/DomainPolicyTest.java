package dev.crmsso.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every rule of the domain decision as a row a reader can check. Policies:
 * D = domains acme.com, *.branch.example, bücher.example (no tenants); T = domain acme.com and tenant TENANT;
 * G = T with the tenant's guests admitted; S = domains acme.com with subdomains allowed;
 * V = domain acme.com, verified email not required.
 * In the tid, tenant, iss and idp columns TENANT, OTHER and CONSUMER stand for those tenant ids.
 */
class DomainPolicyTest {

    static final String TENANT = "11111111-2222-3333-4444-555555555555";
    static final String OTHER = "99999999-0000-0000-0000-000000000001";
    static final String CONSUMER = DomainPolicy.CONSUMER_TENANT;

    static final Map<String, DomainPolicy> POLICIES = Map.of(
            "D", new DomainPolicy(List.of("acme.com", "*.branch.example", "bücher.example"), List.of(), false, true),
            "T", new DomainPolicy(List.of("acme.com"), List.of(TENANT.toUpperCase()), false, true),
            "G", new DomainPolicy(List.of("acme.com"), List.of(TENANT), false, true, true),
            "S", new DomainPolicy(List.of("ACME.com."), List.of(), true, true),
            "V", new DomainPolicy(List.of("acme.com"), List.of(), false, false));

    @ParameterizedTest(name = "{0} {1}: {15}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        # policy | kind          | hd          | tid      | upn                | preferred_username | email       | verified | tenant | iss | acct | idp | userType | allowed | reason | why
        D | GOOGLE | acme.com          | - | - | - | ann@acme.com       | true | - | - | - | - | - | true  | allowed | Workspace of an allowed domain
        D | GOOGLE | ACME.COM.         | - | - | - | ann@acme.com       | true | - | - | - | - | - | true  | allowed | case and trailing dot do not matter
        D | GOOGLE | -                 | - | - | - | ann@acme.com       | true | - | - | - | - | - | false | no_hosted_domain | consumer Gmail: no hd, email alone is no proof
        D | GOOGLE | ''                | - | - | - | ann@acme.com       | true | - | - | - | - | - | false | no_hosted_domain | empty hd
        D | GOOGLE | other.com         | - | - | - | ann@acme.com       | true | - | - | - | - | - | false | domain_not_allowed | another company's Workspace
        D | GOOGLE | acme.com.evil.com | - | - | - | ann@acme.com       | true | - | - | - | - | - | false | domain_not_allowed | suffix spoof
        D | GOOGLE | evilacme.com      | - | - | - | ann@evilacme.com   | true | - | - | - | - | - | false | domain_not_allowed | prefix spoof
        D | GOOGLE | sales.acme.com    | - | - | - | ann@sales.acme.com | true | - | - | - | - | - | false | domain_not_allowed | subdomain not allowed by default
        D | GOOGLE | sales.branch.example | - | - | - | x@sales.branch.example | true | - | - | - | - | - | true | allowed | *.branch.example allows its subdomains
        D | GOOGLE | branch.example    | - | - | - | x@branch.example   | true | - | - | - | - | - | true  | allowed | *.branch.example allows itself
        D | GOOGLE | xn--bcher-kva.example | - | - | - | x@bücher.example | true | - | - | - | - | - | true | allowed | IDN: punycode hd matches the Unicode entry
        D | GOOGLE | аcme.com          | - | - | - | x@acme.com         | true | - | - | - | - | - | false | domain_not_allowed | Cyrillic a is another domain
        D | GOOGLE | acme .com         | - | - | - | x@acme.com         | true | - | - | - | - | - | false | no_hosted_domain | whitespace inside is not a domain
        S | GOOGLE | sales.acme.com    | - | - | - | x@sales.acme.com   | true | - | - | - | - | - | true  | allowed | subdomains when allowed
        S | GOOGLE | acme.com.evil.com | - | - | - | x@acme.com         | true | - | - | - | - | - | false | domain_not_allowed | suffix spoof even with subdomains
        D | MICROSOFT_ENTRA | - | OTHER    | bob@acme.com | bob@acme.com | bob@acme.com | false | - | - | - | - | - | false | no_allowed_tenants | domains only: a UPN of an allowed domain decides nothing (Microsoft: not for authorization)
        D | MICROSOFT_ENTRA | - | OTHER    | -            | bob@acme.com | bob@acme.com | true  | - | - | - | - | - | false | no_allowed_tenants | domains only: preferred_username is mutable, never decides
        D | MICROSOFT_ENTRA | - | CONSUMER | bob@acme.com | bob@acme.com | bob@acme.com | false | - | - | - | - | - | false | consumer_tenant | consumer tenant refused even with an allowed domain
        D | MICROSOFT_ENTRA | - | -        | bob@acme.com | -            | bob@acme.com | false | - | - | - | - | - | false | no_tenant | no tid
        T | MICROSOFT_ENTRA | - | TENANT   | carol@whatever.org | - | - | false | - | - | - | - | - | true | allowed | allowed tenant decides, case-insensitively
        T | MICROSOFT_ENTRA | - | TENANT   | carol@whatever.org | - | - | false | - | https://login.microsoftonline.com/TENANT/v2.0 | 0 | https://sts.windows.net/TENANT/ | - | true | allowed | a member: acct=0, idp of its own tenant
        T | MICROSOFT_ENTRA | - | OTHER    | bob@acme.com | bob@acme.com | bob@acme.com | false | - | - | - | - | - | false | tenant_not_allowed | tenants set: an allowed UPN domain in another tenant is refused
        T | MICROSOFT_ENTRA | - | CONSUMER | bob@acme.com | - | bob@acme.com | false | - | - | - | - | - | false | consumer_tenant | consumer tenant with tenants set
        T | MICROSOFT_ENTRA | - | TENANT   | - | pat@partner.example | pat@partner.example | false | - | - | 1 | - | - | false | guest | B2B guest: acct=1
        T | MICROSOFT_ENTRA | - | TENANT   | pat_partner.example#EXT#@acme.onmicrosoft.com | - | - | false | - | - | - | - | - | false | guest | B2B guest: #EXT# in the UPN
        T | MICROSOFT_ENTRA | - | TENANT   | - | pat_partner.example#ext#@acme.onmicrosoft.com | - | false | - | - | - | - | - | false | guest | B2B guest: #EXT# in any case
        T | MICROSOFT_ENTRA | - | TENANT   | - | pat@partner.example | - | false | - | https://login.microsoftonline.com/TENANT/v2.0 | - | https://sts.windows.net/OTHER/ | - | false | guest | B2B guest: idp is another tenant
        T | MICROSOFT_ENTRA | - | TENANT   | - | dan@outlook.com | - | false | - | - | - | live.com | - | false | guest | personal account invited into the tenant: idp live.com
        G | MICROSOFT_ENTRA | - | TENANT   | - | pat@partner.example | - | false | - | - | 1 | - | - | true | allowed | guests admitted when the admin turns it on
        G | MICROSOFT_ENTRA | - | OTHER    | - | pat@partner.example | - | false | - | - | 1 | - | - | false | tenant_not_allowed | admitted guests only of an allowed tenant
        T | MICROSOFT_ENTRA | - | TENANT   | carol@acme.com | - | - | false | - | https://login.microsoftonline.com/OTHER/v2.0 | - | - | - | false | issuer_tenant_mismatch | the issuer names another tenant than tid
        T | MICROSOFT_GRAPH | - | - | dan@acme.com  | - | - | false | TENANT | - | - | - | - | true  | allowed | built-in provider bound to an allowed tenant
        T | MICROSOFT_GRAPH | - | - | dan@other.com | - | - | false | TENANT | - | - | - | - | true  | allowed | built-in provider: the tenant decides, not the UPN
        T | MICROSOFT_GRAPH | - | - | dan@acme.com  | - | - | false | common | - | - | - | - | false | tenant_not_bound | built-in provider on common: refused
        T | MICROSOFT_GRAPH | - | - | dan@acme.com  | - | - | false | -      | - | - | - | - | false | tenant_not_bound | built-in provider without a tenant: refused
        T | MICROSOFT_GRAPH | - | - | pat_partner.example#EXT#@acme.onmicrosoft.com | - | - | false | TENANT | - | - | - | - | false | guest | built-in provider, a guest's UPN
        T | MICROSOFT_GRAPH | - | - | pat@acme.com  | - | - | false | TENANT | - | - | - | Guest | false | guest | built-in provider, userType Guest
        D | MICROSOFT_GRAPH | - | - | dan@acme.com  | - | - | false | TENANT | - | - | - | - | false | no_allowed_tenants | built-in provider, no allowed tenants
        D | OTHER | - | - | - | - | eve@acme.com          | true  | - | - | - | - | - | true  | allowed | other IdP: verified email of an allowed domain
        D | OTHER | - | - | - | - | eve@acme.com          | false | - | - | - | - | - | false | email_not_verified | other IdP: unverified email refused
        V | OTHER | - | - | - | - | eve@acme.com          | false | - | - | - | - | - | true  | allowed | unverified allowed when the admin turns the check off
        D | OTHER | - | - | - | - | eve@acme.com.evil.com | true  | - | - | - | - | - | false | domain_not_allowed | other IdP: suffix spoof
        D | OTHER | - | - | - | - | eve@ACME.COM          | true  | - | - | - | - | - | true  | allowed | other IdP: case
        D | OTHER | - | - | - | - | a@b@acme.com          | true  | - | - | - | - | - | false | no_email_domain | other IdP: two @
        D | OTHER | - | - | - | - | @acme.com             | true  | - | - | - | - | - | false | no_email_domain | other IdP: empty local part
        D | OTHER | - | - | - | - | eve@                  | true  | - | - | - | - | - | false | no_email_domain | other IdP: empty domain
        D | OTHER | - | - | - | - | -                     | true  | - | - | - | - | - | false | no_email_domain | other IdP: no email at all
        D | OTHER | - | - | - | - | eve@acme..com         | true  | - | - | - | - | - | false | no_email_domain | other IdP: empty label
        D | AMBIGUOUS | acme.com | TENANT | - | - | eve@acme.com | true | - | - | - | - | - | false | ambiguous_idp | endpoints of Google and Microsoft at once: nobody
        """)
    void decides(String policy, IdpKind kind, String hd, String tid, String upn, String preferred, String email,
            boolean verified, String tenant, String iss, String acct, String idp, String userType, boolean allowed,
            String reason, String why) {
        BrokeredClaims claims = new BrokeredClaims(hd, ids(tid), upn, preferred, email, verified, ids(tenant), ids(iss),
                acct, ids(idp), userType);
        Decision decision = POLICIES.get(policy).decide(kind, claims);
        assertEquals(allowed, decision.allowed(), why + ": " + decision.reason());
        assertEquals(reason, decision.code(), why);
    }

    private static String ids(String value) {
        return value == null ? null : value.replace("TENANT", TENANT).replace("OTHER", OTHER).replace("CONSUMER", CONSUMER);
    }
}
