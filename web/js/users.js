// users.js - #/users: accounts for administrators (GET/POST /api/users,
// POST /api/users/{username}/disable); #/password: change my password
// (POST /api/me/password), after which every session of the account ends.
import { get, post, seg, endSession } from './api.js';
import { h, mount, field, select, input, loading, notice, showError, clearErrors, formValues } from './dom.js';
import { can, ROLES, ROLE_NAMES } from './model.js';
import { sites } from './search.js';

let flash = null;

async function renderUsers(main, ctx) {
  if (!can(ctx.user, 'users')) {
    mount(main, h('h1', 'Accounts'), notice('info', 'Accounts are managed by administrators.'));
    return;
  }
  main.append(h('h1', 'Accounts'), loading());
  const [list, siteList] = await Promise.all([get('/api/users'), sites(ctx.user)]);
  if (!ctx.current()) return;
  const rows = Array.isArray(list) ? list : list.items || [];
  const msg = flash; flash = null;
  const form = h('form.card#user-form', { novalidate: true },
    h('h2', 'Add an account'),
    h('div.grid-fields',
      field('Username', input('username', { spellcheck: 'false', autocapitalize: 'none', autocomplete: 'off', required: true })),
      field('Site', select('site', siteList.map((x) => [x.code, `${x.code} · ${x.name || ''}`]), ctx.user.site)),
      field('Role', select('role', ROLES.map((r) => [r, ROLE_NAMES[r]]), 'technician')),
      field('Password', input('password', { type: 'password', autocomplete: 'new-password', required: true }))),
    h('button', { type: 'submit' }, 'Add account'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const pass = form.elements.password.value;
    if (!v.username) { showError(form, { field: 'username', message: 'Give the username.' }); return; }
    if (!pass) { showError(form, { field: 'password', message: 'Give a password.' }); return; }
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      await post('/api/users', { username: v.username, site: v.site, role: v.role, password: pass });
      flash = `Account ${v.username} added.`;
      ctx.navigate('/users');
    } catch (err) {
      btn.disabled = false;
      showError(form, err);
    }
  });
  const status = h('div#users-status', { 'aria-live': 'polite' }, msg ? notice('ok', msg) : null);
  async function disable(u, btn) {
    if (!window.confirm(`Disable the account ${u.username}? Its sessions end and it can no longer log in.`)) return;
    btn.disabled = true;
    try {
      await post(`/api/users/${seg(u.username)}/disable`);
      flash = `Account ${u.username} disabled.`;
      ctx.navigate('/users');
    } catch (err) {
      btn.disabled = false;
      mount(status, notice('error', err.message));
    }
  }
  const disabled = (u) => u.disabled === true || u.disabled === 1 || u.active === false || u.status === 'disabled';
  mount(main,
    h('h1', 'Accounts'),
    status,
    h('section#user-list', { 'aria-labelledby': 'user-list-h' },
      h('h2#user-list-h', `${rows.length} account${rows.length === 1 ? '' : 's'}`),
      h('div.table-wrap', h('table.data.users',
        h('caption.visually-hidden', 'Accounts'),
        h('thead', h('tr', ['Username', 'Site', 'Role', 'State', ''].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', rows.map((u) => {
          const off = disabled(u);
          const btn = h('button.secondary.small', { type: 'button', 'aria-label': `Disable ${u.username}` }, 'Disable');
          btn.addEventListener('click', () => disable(u, btn));
          return h('tr', { dataset: { user: u.username } },
            h('td', u.username), h('td', u.site || 'network'), h('td', ROLE_NAMES[u.role] || u.role),
            h('td', off ? h('span.badge.st-destroyed', 'disabled') : 'active'),
            h('td', off || u.username === ctx.user.username ? '' : btn));
        }))))),
    form);
}

function renderPassword(main, ctx) {
  const form = h('form.card#password-form', { novalidate: true },
    h('p.hint', 'Afterwards every session of your account ends: log in again with the new password.'),
    field('Current password', input('current_password', { type: 'password', autocomplete: 'current-password', required: true })),
    field('New password', input('password', { type: 'password', autocomplete: 'new-password', required: true })),
    field('New password again', input('again', { type: 'password', autocomplete: 'new-password', required: true })),
    h('button', { type: 'submit' }, 'Change password'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const e = form.elements;
    if (!e.current_password.value) { showError(form, { field: 'current_password', message: 'Enter your current password.' }); return; }
    if (!e.password.value) { showError(form, { field: 'password', message: 'Enter the new password.' }); return; }
    if (e.password.value !== e.again.value) { showError(form, { field: 'again', message: 'The two new passwords differ.' }); return; }
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      await post('/api/me/password', { current_password: e.current_password.value, password: e.password.value });
    } catch (err) {
      btn.disabled = false;
      // A wrong current password must not end the session here.
      showError(form, err.status === 401 || err.status === 403 ? { field: 'current_password', message: err.message } : err);
      return;
    }
    history.replaceState(null, '', '#/');
    endSession('Your password was changed. Log in with the new password.');
  });
  mount(main, h('h1', 'Change my password'), form);
}

export async function render(main, ctx) {
  if (ctx.pattern === '/password') return renderPassword(main, ctx);
  return renderUsers(main, ctx);
}
