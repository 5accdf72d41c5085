// Boot, navigation and routing. Screens are rebuilt from the records on every visit.

import { h, clear } from './dom.js';
import { t, setLanguage, message } from './i18n.js';
import * as api from './api.js';
import { parseRoute, isExternalHref, NAV } from './logic.js';
import { setOffice } from './office.js';
import { confirmDialog, showError, modalOpen } from './widgets/ui.js';
import { renderHome } from './screens/home.js';
import { renderList } from './screens/lists.js';
import { renderDetail } from './screens/detail.js';
import { renderEdit } from './screens/edit.js';
import { renderSettings } from './screens/settings.js';
import { renderAbout } from './screens/about.js';
import { renderAudit } from './screens/audit.js';
import { renderTableImport } from './screens/table-import.js';
import { renderInvitation } from './screens/invitation.js';
import { renderReport } from './screens/report.js';
import { renderRecovery } from './screens/recovery.js';
import { renderSetup, renderUnlock } from './screens/security.js';
import { openPalette } from './screens/palette.js';

const main = document.getElementById('main');

function drawChrome(route) {
  document.getElementById('tagline').textContent = t('app.tagline');
  document.getElementById('skip-link').textContent = t('nav.skip');
  const button = document.getElementById('search-button');
  clear(button).append(t('nav.search'), h('kbd', {}, 'Ctrl+K'));
  const nav = clear(document.getElementById('nav'));
  nav.setAttribute('aria-label', t('nav.main'));
  const current = route.view === 'list' || route.view === 'detail' || route.view === 'edit' ? route.kind
    : route.view === 'import' || route.view === 'invitation' ? 'settings' : route.view;
  nav.append(h('ul', {}, NAV.map((entry) => {
    if (!entry) return h('li', { class: 'nav-gap', 'aria-hidden': 'true' });
    const [key, href] = entry;
    return h('li', {}, h('a', { href, 'aria-current': key === current ? 'page' : null }, t(`nav.${key}`)));
  })));
}

let rendering = 0;
let startReported = false;

async function render() {
  const route = parseRoute(location.hash);
  const mine = ++rendering;
  drawChrome(route);
  const status = await api.storeStatus().catch((err) => ({ ready: false, error: err }));
  if (mine !== rendering) return;
  const target = h('div', {});
  // Before the first passphrase and while locked, the window shows nothing but that screen.
  const gate = status.ready ? null : { storeNotSetUp: renderSetup, storeEncrypted: renderUnlock }[status.error?.code];
  document.body.classList.toggle('locked', Boolean(gate));
  protectedStore = status.protection === 'encrypted';
  try {
    if (gate) {
      gate(target, render);
    } else if (!status.ready && status.error?.code === 'storeDamaged') {
      await renderRecovery(target, render);
    } else if (!status.ready) {
      renderUnavailable(target, status.error);
    } else if (route.view === 'home') {
      await renderHome(target, render);
    } else if (route.view === 'list') {
      await renderList(target, route.kind, route.section);
    } else if (route.view === 'detail') {
      await renderDetail(target, route.kind, route.id, render);
    } else if (route.view === 'edit') {
      await renderEdit(target, route.kind, route.id, route.from);
    } else if (route.view === 'settings') {
      await renderSettings(target, applySettings, render, lockNow);
    } else if (route.view === 'audit') {
      await renderAudit(target, route.record ?? null);
    } else if (route.view === 'import') {
      await renderTableImport(target, Boolean(route.vcard));
    } else if (route.view === 'invitation') {
      await renderInvitation(target);
    } else if (route.view === 'report') {
      await renderReport(target);
    } else if (route.view === 'about') {
      await renderAbout(target);
    }
  } catch (err) {
    clear(target).append(h('section', { class: 'card', role: 'alert' }, h('p', {}, message(err.code || 'internal', err.params || {}))));
  }
  if (mine !== rendering) return;
  clear(main).append(target);
  // A new screen opens at its top; the same one drawn again (after a change) stays where it was.
  const shown = location.hash || '#/home';
  if (main.dataset.shown !== shown) window.scrollTo(0, 0);
  // Which address the screen shows once it is drawn (tests wait on it; harmless otherwise).
  main.dataset.shown = shown;
  // The first time, tell the app once the frame showing it is painted: the start is over.
  if (!startReported) {
    startReported = true;
    requestAnimationFrame(() => requestAnimationFrame(() => api.shown().catch(() => {})));
  }
  document.title = `${main.querySelector('h1')?.textContent || ''} · Vínculo`;
  // New screen: focus its first field when it is a form, else the screen itself.
  const firstField = route.view === 'edit' || gate ? main.querySelector('form:not([hidden]) input, form select, form textarea') : null;
  (firstField || main).focus({ preventScroll: !firstField });
}

function renderUnavailable(target, error) {
  target.append(h('section', { class: 'card unavailable', role: 'alert' },
    h('h1', {}, t('err.unavailableTitle')),
    h('p', {}, message(error?.code || 'internal', error?.params || {})),
    h('button', { type: 'button', class: 'primary', onclick: async () => {
      await api.retryStore().catch(() => {});
      render();
    } }, t('action.retry'))));
}

function applySettings(settings) {
  setLanguage(settings.language);
  lockAfterMinutes = settings.lockAfterMinutes;
  render();
}

// Locking: on demand (Ctrl+L, the settings' button) and after the idle minutes the settings
// give. The page is emptied at once; Rust closes the store and forgets its key.
let protectedStore = false;
let lockAfterMinutes = 10;
let lastActivity = Date.now();
async function lockNow() {
  if (!protectedStore || document.body.classList.contains('locked')) return;
  // Nothing of the records stays in the page: the dialogs (open or not), the palette's
  // results and the last message go with the screen.
  for (const open of document.querySelectorAll('dialog[open]')) open.close();
  for (const id of ['dialog', 'palette', 'toast']) clear(document.getElementById(id));
  document.getElementById('toast').classList.remove('show');
  document.body.classList.add('locked');
  clear(main);
  try {
    await api.lock();
  } catch (err) {
    showError(err);
  }
  render();
}
for (const type of ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart']) {
  document.addEventListener(type, () => { lastActivity = Date.now(); }, { passive: true, capture: true });
}
// A command still running (a file dialog open, an import) counts as activity.
setInterval(() => {
  if (api.busy()) lastActivity = Date.now();
  else if (Date.now() - lastActivity >= lockAfterMinutes * 60_000) lockNow();
}, 5_000);

// A colleague's changes that came in redraw the screen, unless the user is writing in a form
// or answering a dialog (a form saved over a change gets the usual conflict).
let officeChanges = null;
setInterval(async () => {
  if (document.body.classList.contains('locked')) return;
  const now = await api.officeChanges().catch(() => officeChanges);
  const changed = officeChanges !== null && now !== officeChanges;
  officeChanges = now;
  if (changed && !main.querySelector('form[data-dirty]') && !modalOpen() && !api.busy()) render();
}, 3_000);

// The palette does not open over a dialog that waits for an answer, nor on a locked window.
function search() {
  if (!document.body.classList.contains('locked') && !modalOpen(document.getElementById('palette'))) openPalette();
}
document.addEventListener('keydown', (e) => {
  if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'k') {
    e.preventDefault();
    search();
  } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'l') {
    e.preventDefault();
    lockNow();
  }
});
document.getElementById('search-button').addEventListener('click', search);
// Links never take the window away from the app: routes stay in the page, and web, e-mail and
// phone links built from the records go to the system's programs (Rust checks them again).
// Anything else is not followed at all.
function guardLink(e) {
  const link = e.target.closest?.('a[href]');
  const href = link?.getAttribute('href');
  if (!href || href.startsWith('#')) return;
  e.preventDefault();
  if (e.type === 'click' && isExternalHref(href)) api.openExternal(href).catch(showError);
}
document.addEventListener('click', guardLink);
document.addEventListener('auxclick', guardLink);
// The skip link moves focus without touching the URL hash (the router owns it).
document.getElementById('skip-link').addEventListener('click', (e) => {
  e.preventDefault();
  main.focus();
});
// Leaving a form with unsaved edits asks first; staying puts the address back.
let shownHash = location.hash;
let restoring = false;
window.addEventListener('hashchange', async () => {
  if (restoring) {
    restoring = false;
    return;
  }
  if (main.querySelector('form[data-dirty]') && !(await confirmDialog(t('confirm.discard'), { confirmLabel: t('action.discard'), danger: true }))) {
    restoring = true;
    location.hash = shownHash;
    return;
  }
  shownHash = location.hash;
  render();
});

// The language and the office's rules come first: every screen speaks and counts with them.
Promise.all([api.getSettings().catch(() => ({ language: 'es' })), api.appInfo()])
  .then(([settings, info]) => {
    setLanguage(settings.language);
    lockAfterMinutes = settings.lockAfterMinutes ?? lockAfterMinutes;
    setOffice(info.office);
    render();
  })
  .catch(() => {
    setLanguage('es');
    main.append(h('section', { class: 'card unavailable', role: 'alert' }, h('p', {}, message('internal'))));
  });
