// The layout renders statically (no circuit), so the phone-width menu button is plain DOM: it toggles
// "nav-open" on <body>, which app.css uses to slide the drawer in. Delegated from the document, so it keeps
// working across enhanced navigations, which patch the layout's elements in place.
document.addEventListener('click', event => {
    const toggle = event.target.closest('[data-nav-toggle]');
    if (toggle) {
        const open = document.body.classList.toggle('nav-open');
        toggle.setAttribute('aria-expanded', String(open));
        return;
    }
    // Following a link in the drawer closes it, so the page the user asked for is not hidden behind it.
    if (event.target.closest('.portal-drawer a') && document.body.classList.contains('nav-open')) {
        document.body.classList.remove('nav-open');
        document.querySelector('[data-nav-toggle]')?.setAttribute('aria-expanded', 'false');
    }
});
