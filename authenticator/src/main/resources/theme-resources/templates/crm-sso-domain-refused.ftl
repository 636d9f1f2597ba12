<#-- The refusal page of the crm-sso-domain-restriction step; renders inside any login theme. -->
<#-- Values from outside (the account, the domains) are never parameters of msg(): it expands ${key} in its
     parameters. The sentence is cut at its {0} and the value printed between, escaped like any ${...}. -->
<#macro withValue key value><#assign parts = msg(key, "\x1F")?split("\x1F")>${parts[0]}${value}<#if parts?size gt 1>${parts[1]}</#if></#macro>
<#import "template.ftl" as layout>
<@layout.registrationLayout displayMessage=false; section>
    <#if section = "header">
        ${msg(crmSsoTitle)}
    <#elseif section = "form">
        <div id="crm-sso-refusal" role="alert">
            <p id="crm-sso-refusal-message"><@withValue key=crmSsoMessage value=crmSsoAccount/></p>
            <#if crmSsoAllowedDomains?has_content>
                <p id="crm-sso-allowed-domains"><@withValue key="crmSsoAllowedDomains" value=crmSsoAllowedDomains?join(", ")/></p>
            </#if>
        </div>
        <p>
            <a id="crm-sso-use-another-account" href="${url.loginRestartFlowUrl}">${msg("crmSsoUseAnotherAccount")}</a>
        </p>
    </#if>
</@layout.registrationLayout>
