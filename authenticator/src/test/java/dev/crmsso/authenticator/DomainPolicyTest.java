package dev.crmsso.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every rule of the domain decision as a row a reader can check. Policies:
 * D = domains acme.com, *.branch.example, bücher.example; T = the same plus tenant 11111111-…;
 * S = domains acme.com with subdomains allowed; V = domain acme.com, verified email not required.
 */
class DomainPolicyTest {

    static final String TENANT = "11111111-2222-3333-4444-555555555555";
    static final String CONSUMER = DomainPolicy.CONSUMER_TENANT;

    static final Map<String, DomainPolicy> POLICIES = Map.of(
            "D", new DomainPolicy(List.of("acme.com", "*.branch.example", "bücher.example"), List.of(), false, true),
            "T", new DomainPolicy(List.of("acme.com"), List.of(TENANT.toUpperCase()), false, true),
            "S", new DomainPolicy(List.of("ACME.com."), List.of(), true, true),
            "V", new DomainPolicy(List.of("acme.com"), List.of(), false, false));

    @ParameterizedTest(name = "{0} {1}: {9}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
        # policy | kind            | hd               | tid       | upn                  | email                  | verified | tenant   | allowed | why
        D | GOOGLE          | acme.com         | -         | -                    | ann@acme.com           | true  | -        | true  | Workspace of an allowed domain
        D | GOOGLE          | ACME.COM.        | -         | -                    | ann@acme.com           | true  | -        | true  | case and trailing dot do not matter
        D | GOOGLE          | -                | -         | -                    | ann@acme.com           | true  | -        | false | consumer Gmail: no hd, email alone is no proof
        D | GOOGLE          | ''               | -         | -                    | ann@acme.com           | true  | -        | false | empty hd
        D | GOOGLE          | other.com        | -         | -                    | ann@acme.com           | true  | -        | false | another company's Workspace
        D | GOOGLE          | acme.com.evil.com| -         | -                    | ann@acme.com           | true  | -        | false | suffix spoof
        D | GOOGLE          | evilacme.com     | -         | -                    | ann@evilacme.com       | true  | -        | false | prefix spoof
        D | GOOGLE          | sales.acme.com   | -         | -                    | ann@sales.acme.com     | true  | -        | false | subdomain not allowed by default
        D | GOOGLE          | sales.branch.example | -     | -                    | x@sales.branch.example | true  | -        | true  | *.branch.example allows its subdomains
        D | GOOGLE          | branch.example   | -         | -                    | x@branch.example       | true  | -        | true  | *.branch.example allows itself
        D | GOOGLE          | xn--bcher-kva.example | -    | -                    | x@bücher.example       | true  | -        | true  | IDN: punycode hd matches the Unicode entry
        D | GOOGLE          | аcme.com         | -         | -                    | x@acme.com             | true  | -        | false | Cyrillic a is another domain
        D | GOOGLE          | acme .com        | -         | -                    | x@acme.com             | true  | -        | false | whitespace inside is not a domain
        S | GOOGLE          | sales.acme.com   | -         | -                    | x@sales.acme.com       | true  | -        | true  | subdomains when allowed
        S | GOOGLE          | acme.com.evil.com| -         | -                    | x@acme.com             | true  | -        | false | suffix spoof even with subdomains
        D | MICROSOFT_ENTRA | -                | 99999999-0000-0000-0000-000000000001 | bob@acme.com | bob@acme.com | false | - | true | domains only: UPN domain allowed, business tenant
        D | MICROSOFT_ENTRA | -                | CONSUMER  | bob@acme.com         | bob@acme.com           | false | -        | false | consumer tenant refused even with an allowed domain
        D | MICROSOFT_ENTRA | -                | 99999999-0000-0000-0000-000000000001 | bob@outlook.com | bob@acme.com | true | - | false | nOAuth: the editable email claim is ignored
        D | MICROSOFT_ENTRA | -                | -         | bob@acme.com         | bob@acme.com           | false | -        | false | no tid
        D | MICROSOFT_ENTRA | -                | 99999999-0000-0000-0000-000000000001 | a@b@acme.com | - | false | - | false | a second @ is no address
        T | MICROSOFT_ENTRA | -                | TENANT    | carol@whatever.org   | -                      | false | -        | true  | allowed tenant decides, case-insensitively
        T | MICROSOFT_ENTRA | -                | 99999999-0000-0000-0000-000000000001 | bob@acme.com | bob@acme.com | false | - | false | tenants set: an allowed UPN domain in another tenant is refused
        T | MICROSOFT_ENTRA | -                | CONSUMER  | bob@acme.com         | bob@acme.com           | false | -        | false | consumer tenant with tenants set
        T | MICROSOFT_GRAPH | -                | -         | dan@acme.com         | -                      | false | TENANT   | true  | built-in provider bound to an allowed tenant, UPN allowed
        T | MICROSOFT_GRAPH | -                | -         | dan@acme.com         | -                      | false | common   | false | built-in provider on common: refused
        T | MICROSOFT_GRAPH | -                | -         | dan@acme.com         | -                      | false | -        | false | built-in provider without a tenant: refused
        T | MICROSOFT_GRAPH | -                | -         | dan@other.com        | -                      | false | TENANT   | false | built-in provider, UPN of another domain
        D | MICROSOFT_GRAPH | -                | -         | dan@acme.com         | -                      | false | TENANT   | false | built-in provider, its tenant not in the allowed tenants
        D | OTHER           | -                | -         | -                    | eve@acme.com           | true  | -        | true  | other IdP: verified email of an allowed domain
        D | OTHER           | -                | -         | -                    | eve@acme.com           | false | -        | false | other IdP: unverified email refused
        V | OTHER           | -                | -         | -                    | eve@acme.com           | false | -        | true  | unverified allowed when the admin turns the check off
        D | OTHER           | -                | -         | -                    | eve@acme.com.evil.com  | true  | -        | false | other IdP: suffix spoof
        D | OTHER           | -                | -         | -                    | eve@ACME.COM           | true  | -        | true  | other IdP: case
        D | OTHER           | -                | -         | -                    | a@b@acme.com           | true  | -        | false | other IdP: two @
        D | OTHER           | -                | -         | -                    | @acme.com              | true  | -        | false | other IdP: empty local part
        D | OTHER           | -                | -         | -                    | eve@                   | true  | -        | false | other IdP: empty domain
        D | OTHER           | -                | -         | -                    | -                      | true  | -        | false | other IdP: no email at all
        D | OTHER           | -                | -         | -                    | eve@acme..com          | true  | -        | false | other IdP: empty label
        """)
    void decides(String policy, IdpKind kind, String hd, String tid, String upn, String email, boolean verified,
            String tenant, boolean allowed, String why) {
        BrokeredClaims claims = new BrokeredClaims(hd, tenant(tid), upn, email, verified, tenant(tenant));
        assertEquals(allowed, POLICIES.get(policy).decide(kind, claims).allowed(), why);
    }

    private static String tenant(String value) {
        if ("TENANT".equals(value)) {
            return TENANT;
        }
        return "CONSUMER".equals(value) ? CONSUMER : value;
    }
}
