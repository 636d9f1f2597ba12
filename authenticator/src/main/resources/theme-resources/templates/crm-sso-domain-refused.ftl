<#-- The refusal page of the crm-sso-domain-restriction step; renders inside any login theme. -->
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${msg(crmSsoTitle)}
    <#elseif section = "form">
        <div id="crm-sso-refusal" role="alert">
            <p id="crm-sso-refusal-message">${msg(crmSsoMessage, crmSsoAccount)}</p>
            <#if crmSsoAllowedDomains?has_content>
                <p id="crm-sso-allowed-domains">${msg("crmSsoAllowedDomains", crmSsoAllowedDomains?join(", "))}</p>
            </#if>
        </div>
        <p>
            <a id="crm-sso-use-another-account" href="${url.loginRestartFlowUrl}">${msg("crmSsoUseAnotherAccount")}</a>
        </p>
    </#if>
</@layout.registrationLayout>
