// The IdP buttons are links (they navigate) announced as buttons: let Space press them too,
// as a native button would.
document.addEventListener('keydown', function (event) {
    var target = event.target;
    if (event.key === ' ' && target.matches && target.matches('a.crm-sso-idp[role="button"]')) {
        event.preventDefault();
        target.click();
    }
});
