// routes.js - the pages added beside app.js's router: donors, collect,
// accounts, my password. app.js answers an address it does not know with
// "Page not found"; this module, loaded after it, renders its own addresses
// over that, with the same ctx (params, query, user, navigate, current).
import { navigate as appNavigate } from '../app.js';
import { session, ApiError } from './api.js';
import { $, $$, h, mount, notice } from './dom.js';
import { can } from './model.js';
import * as donors from './donors.js';
import * as collect from './collect.js';
import * as users from './users.js';

// [pattern, page, nav key]; ":x" captures one segment.
const ROUTES = [
  ['/donors', donors, 'donors'],
  ['/donor/:site/:code', donors, 'donors'],
  ['/collect', collect, 'collect'],
  ['/users', users, 'users'],
  ['/password', users, 'password'],
];

let seq = 0;

/** app.js's navigate; but going to the address already open re-renders it here. */
function navigate(path, query) {
  const q = query ? new URLSearchParams(Object.entries(query).filter(([, v]) => v !== '' && v != null)).toString() : '';
  if (location.hash === `#${path}${q ? `?${q}` : ''}`) route(); else appNavigate(path, query);
}

function showNav(user) {
  for (const [id, ok] of [['#nav-collect', can(user, 'collect')], ['#nav-users', can(user, 'users')]]) {
    const a = $(id);
    if (a) a.hidden = !ok;
  }
}

async function route() {
  const mine = ++seq;
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, qs] = raw.split('?');
  const user = session.token ? session.user : null;
  if (user) showNav(user);
  if (!user) return;   // app.js sends to login
  let found = null;
  for (const [pattern, page, nav] of ROUTES) {
    const names = [];
    const re = new RegExp(`^${pattern.replace(/:(\w+)/g, (_, n) => { names.push(n); return '([^/]+)'; })}$`);
    const m = re.exec(path);
    if (!m) continue;
    const params = {};
    names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]); });
    found = { page, nav, params, pattern };
    break;
  }
  if (!found) return;
  for (const a of $$('[data-nav]')) {
    if (a.dataset.nav === found.nav) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
  const main = $('#main');
  const ctx = {
    params: found.params, query: Object.fromEntries(new URLSearchParams(qs || '')), user, navigate,
    pattern: found.pattern, message: '', current: () => mine === seq && location.hash.replace(/^#/, '') === raw,
  };
  main.replaceChildren();
  try {
    await found.page.render(main, ctx);
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
  if (ctx.current()) {
    const h1 = main.querySelector('h1');
    if (h1) h1.tabIndex = -1;
    document.title = `${h1 ? h1.textContent : 'oncobank'} · oncobank`;
  }
}

window.addEventListener('hashchange', route);
route();
