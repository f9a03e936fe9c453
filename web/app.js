// app.js - the oncobank web UI: the shell (header, scan box, logout) and the
// hash router. Pages live in js/*.js; each exports render(main, ctx).
import { api, get, seg, session, setUnauthorizedHandler, ApiError } from './js/api.js';
import { $, h, mount, notice } from './js/dom.js';
import { barcodeChecks, can, ROLE_NAMES } from './js/model.js';
import * as login from './js/login.js';
import * as dashboard from './js/dashboard.js';
import * as search from './js/search.js';
import * as specimen from './js/specimen.js';
import * as freezers from './js/freezers.js';
import * as importer from './js/import.js';
import * as donors from './js/donors.js';
import * as collect from './js/collect.js';
import * as users from './js/users.js';
import * as sequencing from './js/sequencing.js';
import * as sites from './js/sites.js';
import * as studies from './js/studies.js';
import * as consent from './js/consent.js';
import * as shipments from './js/shipments.js';
import { t } from './js/i18n.js';

// [pattern, page, nav key]; ":x" captures one segment.
const ROUTES = [
  ['/login', login, null],
  ['/', dashboard, 'dashboard'],
  ['/search', search, 'search'],
  ['/specimen/:barcode', specimen, 'search'],
  ['/freezers', freezers, 'freezers'],
  ['/container/:barcode', freezers, 'freezers'],
  ['/import', importer, 'import'],
  ['/donors', donors, 'donors'],
  ['/donor/:site/:code', donors, 'donors'],
  ['/collect', collect, 'collect'],
  ['/reports', sequencing, 'reports'],
  ['/sites', sites, 'sites'],
  ['/site/:code', sites, 'sites'],
  ['/studies', studies, 'studies'],
  ['/study/:code', studies, 'studies'],
  ['/consent-forms', consent, 'forms'],
  ['/consent-form/:version', consent, 'forms'],
  ['/shipments', shipments, 'shipments'],
  ['/shipment/:code', shipments, 'shipments'],
  ['/shipment/:code/build', shipments, 'shipments'],
  ['/shipment/:code/receive', shipments, 'shipments'],
  ['/users', users, 'users'],
  ['/password', users, 'password'],
];

let loginMessage = '';
let renderSeq = 0;

/** Goes to a hash route ("/specimen/X", {a: 1}). */
export function navigate(path, query) {
  const q = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '' && v != null)).toString() : '';
  const target = `#${path}${q ? `?${q}` : ''}`;
  if (location.hash === target) route(); else location.hash = target;
}

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = raw.split('?');
  return { path: path || '/', query: Object.fromEntries(new URLSearchParams(qs || '')) };
}

function match(path) {
  for (const [pattern, page, nav] of ROUTES) {
    const names = [];
    const re = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, n) => { names.push(n); return '([^/]+)'; })}$`);
    const m = re.exec(path);
    if (m) {
      const params = {};
      names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
      return { page, nav, params, pattern };
    }
  }
  return null;
}

function showShell(user) {
  const bar = $('#topbar');
  bar.hidden = !user;
  if (!user) return;
  $('#who').textContent = `${user.username} · ${ROLE_NAMES[user.role] || user.role || ''}${user.site ? ` · ${user.site}` : ''}`;
  // A study researcher reads their studies and the specimens collected in
  // them, nothing else: the other entries would only be refused.
  const wide = can(user, 'network');
  for (const a of document.querySelectorAll('.mainnav [data-nav]')) {
    if (!['studies', 'search'].includes(a.dataset.nav)) a.hidden = !wide;
  }
  $('#nav-import').hidden = !can(user, 'import');
  $('#nav-collect').hidden = !wide || !can(user, 'collect');
  $('#nav-users').hidden = !wide || !can(user, 'users');
  $('#nav-sites').textContent = t('network');
  $('#nav-studies').textContent = t('studies');
  $('#nav-forms').textContent = t('consentForms');
  $('#nav-shipments').textContent = t('shipments');
}

async function route() {
  const seq = ++renderSeq;
  const { path, query } = parseHash();
  const main = $('#main');
  const user = session.token ? session.user : null;
  hideScanMessage();
  if (!user && path !== '/login') {
    navigate('/login', path !== '/' ? { next: location.hash.slice(1) } : undefined);
    return;
  }
  showShell(user);
  // A study researcher's home is their studies (the dashboard reads the network).
  if (user && path === '/' && !can(user, 'network')) { navigate('/studies'); return; }
  const m = match(path);
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (m && a.dataset.nav === m.nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!m) {
    mount(main, h('h1', 'Page not found'), h('p', 'There is no page at ', h('code', path), '. ', h('a', { href: '#/' }, 'Go to the dashboard.')));
    return;
  }
  const ctx = {
    params: m.params, query, user, navigate, pattern: m.pattern,
    message: loginMessage,
    /** true while this render is still the current one (the user has not moved on). */
    current: () => seq === renderSeq,
  };
  loginMessage = '';
  main.replaceChildren();
  try {
    await m.page.render(main, ctx);
  } catch (err) {
    if (!ctx.current()) return;
    if (err instanceof ApiError && err.status === 401) return;
    if (err instanceof ApiError && err.status === 403) {
      mount(main, h('h1', 'Not allowed'), notice('error', err.message), h('p', h('a', { href: '#/' }, 'Go to the dashboard.')));
      return;
    }
    mount(main, h('h1', 'Something went wrong'), notice('error', err.message || String(err)));
    console.error(err);
  }
  if (ctx.current() && m.pattern !== '/login') {
    const h1 = main.querySelector('h1');
    if (h1) { h1.tabIndex = -1; }
    document.title = `${h1 ? h1.textContent : 'oncobank'} · oncobank`;
  }
}

function showScanMessage(text) {
  const p = $('#scan-msg');
  p.textContent = text;
  p.hidden = false;
}
function hideScanMessage() {
  const p = $('#scan-msg');
  p.hidden = true;
  p.textContent = '';
}

/** The scan box: a scanner types the barcode then Enter. */
async function onScan(ev) {
  ev.preventDefault();
  const input = $('#scan-input');
  const typed = input.value.trim();
  if (!typed) return;
  const code = typed.toUpperCase();
  input.value = '';
  hideScanMessage();
  try {
    await get(`/api/specimens/${seg(code)}`);
    navigate(`/specimen/${seg(code)}`);
    input.focus();
    return;
  } catch (err) {
    if (!(err instanceof ApiError) || err.status === 401) return;
    if (err.status !== 404 && err.status !== 400) { showScanMessage(err.message); return; }
  }
  // Not a specimen: it may be a box or freezer label.
  try {
    await get(`/api/containers/${seg(typed)}`);
    navigate(`/container/${seg(typed)}`);
    return;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) return;
  }
  showScanMessage(/^[0-9A-Z]{4,32}$/.test(code) && !barcodeChecks(code)
    ? `No specimen with barcode ${code}: its check character is wrong, so it was misread or mistyped. Scan it again.`
    : `No specimen with barcode ${code}.`);
  input.focus();
}

async function onLogout() {
  try { await api('POST', '/api/logout'); } catch { /* the session ends here anyway */ }
  session.clear();
  loginMessage = 'You have logged out.';
  navigate('/login');
}

setUnauthorizedHandler((msg) => {
  if (parseHash().path === '/login') return;
  loginMessage = msg;
  const next = location.hash.slice(1);
  navigate('/login', next && !next.startsWith('/login') ? { next } : undefined);
});

$('#scan-form').addEventListener('submit', onScan);
$('#logout').addEventListener('click', onLogout);
window.addEventListener('hashchange', route);
route();
