// login.js - #/login: username and password, POST /api/login.
import { api, session, ApiError } from './api.js';
import { h, field, input, showError, clearErrors, notice } from './dom.js';

export async function render(main, ctx) {
  const user = input('username', { autocomplete: 'username', required: true, autocapitalize: 'none', spellcheck: 'false' });
  const pass = input('password', { type: 'password', autocomplete: 'current-password', required: true });
  const button = h('button', { type: 'submit' }, 'Log in');
  const form = h('form.card.login-form', { novalidate: true, 'aria-labelledby': 'login-title' },
    h('img.login-logo', { src: 'favicon.svg', alt: '', width: 48, height: 48 }),
    h('h1#login-title', 'Log in to oncobank'),
    ctx.message ? notice('info', ctx.message) : null,
    field('Username', user),
    field('Password', pass),
    button);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    if (!user.value.trim()) { showError(form, { field: 'username', message: 'Enter your username.' }); return; }
    if (!pass.value) { showError(form, { field: 'password', message: 'Enter your password.' }); return; }
    button.disabled = true;
    try {
      const r = await api('POST', '/api/login', { body: { username: user.value.trim(), password: pass.value } });
      session.save(r.token, r.user);
      const next = ctx.query.next && ctx.query.next.startsWith('/') && !ctx.query.next.startsWith('/login') ? ctx.query.next : '/';
      location.hash = `#${next}`;
    } catch (err) {
      button.disabled = false;
      if (err instanceof ApiError && err.status === 401) {
        showError(form, { field: 'password', message: 'Wrong username or password.' });
      } else if (err instanceof ApiError && err.status === 429) {
        const s = err.retryAfter;
        const wait = !s ? 'a few minutes' : s < 90 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`;
        showError(form, { message: `Too many failed attempts from here. Try again in ${wait}.` });
      } else {
        showError(form, err);
      }
    }
  });
  main.append(h('div.login-wrap', form));
  user.focus();
}
