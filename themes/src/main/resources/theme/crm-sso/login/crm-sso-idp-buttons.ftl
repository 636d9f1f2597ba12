<#-- The "Continue with Google / Microsoft" buttons, after each brand's published button guidelines. -->

<#-- Which of the realm's IdPs get a branded button (by provider type, or by the aliases in theme.properties). -->
<#function brand p>
    <#if p.providerId == "google" || (properties.crmSsoGoogleAliases!"google")?split(",")?seq_contains(p.alias)>
        <#return "google">
    <#elseif p.providerId == "microsoft" || (properties.crmSsoMicrosoftAliases!"microsoft")?split(",")?seq_contains(p.alias)>
        <#return "microsoft">
    </#if>
    <#return "">
</#function>

<#-- Google first, then Microsoft; everything else keeps the parent's look. -->
<#function split social>
    <#local google = [] microsoft = [] others = []>
    <#if social?? && social.providers??>
        <#list social.providers as p>
            <#switch brand(p)>
                <#case "google"><#local google += [p]><#break>
                <#case "microsoft"><#local microsoft += [p]><#break>
                <#default><#local others += [p]>
            </#switch>
        </#list>
    </#if>
    <#return {"branded": google + microsoft, "others": others}>
</#function>

<#macro show providers>
    <div id="crm-sso-idps" class="crm-sso-idps">
        <#list providers as p>
            <#assign b = brand(p)>
            <a id="social-${p.alias}" class="crm-sso-idp crm-sso-idp--${b}" href="${p.loginUrl}" role="button" data-once-link
               data-disabled-class="crm-sso-idp--disabled">
                <#if b == "google">
                    <svg class="crm-sso-idp__mark" viewBox="0 0 48 48" width="20" height="20" aria-hidden="true" focusable="false">
                        <path fill="#EA4335" d="M24 9.5c3.54 0 6.71 1.22 9.21 3.6l6.85-6.85C35.9 2.38 30.47 0 24 0 14.62 0 6.51 5.38 2.56 13.22l7.98 6.19C12.43 13.72 17.74 9.5 24 9.5z"/>
                        <path fill="#4285F4" d="M46.98 24.55c0-1.57-.15-3.09-.38-4.55H24v9.02h12.94c-.58 2.96-2.26 5.48-4.78 7.18l7.73 6c4.51-4.18 7.09-10.36 7.09-17.65z"/>
                        <path fill="#FBBC05" d="M10.53 28.59c-.48-1.45-.76-2.99-.76-4.59s.27-3.14.76-4.59l-7.98-6.19C.92 16.46 0 20.12 0 24c0 3.88.92 7.54 2.56 10.78l7.97-6.19z"/>
                        <path fill="#34A853" d="M24 48c6.48 0 11.93-2.13 15.89-5.81l-7.73-6c-2.15 1.45-4.92 2.3-8.16 2.3-6.26 0-11.57-4.22-13.47-9.91l-7.98 6.19C6.51 42.62 14.62 48 24 48z"/>
                    </svg>
                    <span class="crm-sso-idp__label">${msg("crmSsoContinueWithGoogle")}</span>
                <#else>
                    <svg class="crm-sso-idp__mark" viewBox="0 0 21 21" width="21" height="21" aria-hidden="true" focusable="false">
                        <rect x="1" y="1" width="9" height="9" fill="#F25022"/>
                        <rect x="11" y="1" width="9" height="9" fill="#7FBA00"/>
                        <rect x="1" y="11" width="9" height="9" fill="#00A4EF"/>
                        <rect x="11" y="11" width="9" height="9" fill="#FFB900"/>
                    </svg>
                    <span class="crm-sso-idp__label">${msg("crmSsoContinueWithMicrosoft")}</span>
                </#if>
            </a>
        </#list>
    </div>
</#macro>
