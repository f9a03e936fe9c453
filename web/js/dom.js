// dom.js - small helpers to build markup without a framework.

/**
 * h('div.card#x', {onclick, 'aria-label': ...}, child, [children], 'text')
 * Attributes starting with "on" become listeners; false/null ones are left out.
 */
export function h(tag, attrs, ...children) {
  const m = /^([a-z0-9]+)((?:[.#][\w-]+)*)$/i.exec(tag);
  const el = document.createElement(m ? m[1] : tag);
  if (m && m[2]) {
    for (const part of m[2].match(/[.#][\w-]+/g)) {
      if (part[0] === '.') el.classList.add(part.slice(1)); else el.id = part.slice(1);
    }
  }
  if (attrs !== null && attrs !== undefined && (typeof attrs !== 'object' || attrs instanceof Node || Array.isArray(attrs))) {
    children.unshift(attrs);
    attrs = null;
  }
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value') el.value = v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export const $ = (sel, root = document) => root.querySelector(sel);
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/** Replaces the contents of el. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let idSeq = 0;
/** A labelled form field: label, control, hint and an error slot tied by aria-describedby. */
export function field(label, control, hint) {
  const id = control.id || `f${++idSeq}`;
  control.id = id;
  const errId = `${id}-err`;
  const hintId = hint ? `${id}-hint` : null;
  control.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
  return h('div.field', { dataset: { field: control.name || '' } },
    h('label', { for: id }, label),
    control,
    hint ? h('small.hint', { id: hintId }, hint) : null,
    h('p.field-error', { id: errId, role: 'alert', hidden: true }));
}

/** A <select> from [value, text] pairs (or plain strings). */
export function select(name, options, value, attrs = {}) {
  return h('select', { name, ...attrs },
    options.map((o) => {
      const [v, t] = Array.isArray(o) ? o : [o, o];
      return h('option', { value: v, selected: String(v) === String(value ?? '') }, t);
    }));
}

export function input(name, attrs = {}) {
  return h('input', { name, type: 'text', ...attrs });
}

/** Clears the errors shown in a form. */
export function clearErrors(form) {
  for (const p of $$('.field-error, .form-error', form)) { p.hidden = true; p.textContent = ''; }
  for (const c of $$('[aria-invalid]', form)) c.removeAttribute('aria-invalid');
}

/**
 * Shows an API error in a form: next to the field named by error.field when
 * the form has it, else in the form's general error slot. Focuses the field.
 */
export function showError(form, err) {
  clearErrors(form);
  // The field named by the error; else the message's "field: ..." prefix
  // (a 409 conflict names its field only there).
  let name = err && err.field;
  if (!name && err && err.message) {
    const m = /^([a-z][a-z0-9_]*): /.exec(err.message);
    if (m) name = m[1];
  }
  const named = (n) => form.querySelector(`[name="${CSS.escape(n)}"]`);
  // "position" of an aliquot belongs to the form's "positions".
  const ctl = name ? named(name) || named(`${name}s`) : null;
  if (ctl) {
    const wrap = ctl.closest('.field');
    const p = wrap && $('.field-error', wrap);
    ctl.setAttribute('aria-invalid', 'true');
    if (p) { p.textContent = err.message; p.hidden = false; }
    ctl.focus();
    return;
  }
  let p = $('.form-error', form);
  if (!p) { p = h('p.form-error', { role: 'alert' }); form.prepend(p); }
  p.textContent = err ? err.message : 'Something went wrong.';
  p.hidden = false;
}

/** The form's named controls as an object of trimmed strings. */
export function formValues(form) {
  const out = {};
  for (const el of form.elements) {
    if (!el.name || el.disabled) continue;
    if (el.type === 'checkbox') {
      if (el.checked) (out[el.name] ||= []).push(el.value);
      continue;
    }
    out[el.name] = typeof el.value === 'string' ? el.value.trim() : el.value;
  }
  return out;
}

/** "2024-03-05T10:02:00Z" -> "2024-03-05 10:02" (UTC, as stored). */
export function fmtTime(iso) {
  if (!iso) return '';
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?/.exec(iso);
  return m ? (m[2] ? `${m[1]} ${m[2]}` : m[1]) : iso;
}

export function fmtNum(n) {
  if (n === null || n === undefined || n === '') return '';
  const x = Number(n);
  return Number.isFinite(x) ? String(Math.round(x * 1000) / 1000) : String(n);
}

/** "fresh_frozen" -> "fresh frozen". */
export const words = (s) => (s == null ? '' : String(s).replace(/_/g, ' '));

export function statusBadge(status) {
  return h(`span.badge.st-${status || 'unknown'}`, words(status));
}

/** A paragraph telling the user something, in a live region. */
export function notice(kind, text) {
  return h(`p.notice.${kind}`, { role: kind === 'error' ? 'alert' : 'status' }, text);
}

export function loading(text = 'Loading…') {
  return h('p.loading', { role: 'status' }, text);
}
