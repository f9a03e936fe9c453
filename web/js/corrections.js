// corrections.js - correcting a recorded value with a reason (PATCH on the
// record's address: {"reason", FIELD: value, ...}) and the history of each
// field (GET .../history), for the specimen, donor, diagnosis, container and
// site pages.
// Which fields may be corrected, and their kinds, come from
// GET /api/fields/{entity}; a built-in list stands in while that is not served.
import { get, patch, ApiError } from './api.js';
import { h, field, $, $$, showError, clearErrors, fmtTime, words, notice } from './dom.js';
import { TYPES, UNITS, SEXES, PATHOLOGIES, TEMP_BANDS } from './model.js';
import { t, fieldLabel } from './i18n.js';

// The correctable fields of each entity as [name, kind], in display order,
// for a server that does not answer GET /api/fields/{entity} yet.
const BUILT_IN = {
  specimen: [['label', 'text'], ['type', 'text'], ['anatomic_site', 'text'], ['pathology', 'text'],
    ['tumour_pct', 'number'], ['quantity', 'number'], ['initial_quantity', 'number'], ['unit', 'text'],
    ['collected_at', 'text'], ['sprec', 'text'], ['concentration', 'number'], ['a260_280', 'number'],
    ['rin', 'number'], ['din', 'number'], ['collection', 'text'], ['vessel', 'text'],
    ['warm_ischaemia_min', 'number'], ['cold_ischaemia_min', 'number'], ['fixation', 'text'],
    ['fixation_min', 'number'], ['precentrifugation_min', 'number'], ['precentrifugation_temp', 'text'],
    ['centrifugation', 'text'], ['second_centrifugation', 'text'], ['postcentrifugation_min', 'number'],
    ['postcentrifugation_temp', 'text']],
  donor: [['sex', 'text'], ['birth_year', 'integer']],
  container: [['name', 'text'], ['temperature', 'number'], ['parent', 'text']],
  site: [['name', 'text'], ['parent', 'text'], ['retired', 'text']],
  diagnosis: [['topography', 'text'], ['morphology', 'text'], ['diagnosed_on', 'text']],
  study: [['title', 'text'], ['status', 'text'], ['pi', 'text'], ['ethics_ref', 'text'], ['ethics_approved_on', 'text'],
    ['ethics_expires_on', 'text'], ['ppid_format', 'text']],
};

// Fields whose values come from a vocabulary the UI knows: a select.
const VOCAB = {
  type: TYPES.map(([group, list]) => [group, list.map((x) => [x, words(x)])]),
  unit: UNITS.map((x) => [x, x]),
  pathology: PATHOLOGIES.map((x) => [x, x]),
  sex: SEXES.map((x) => [x, x]),
  precentrifugation_temp: TEMP_BANDS,
  postcentrifugation_temp: TEMP_BANDS.slice(0, 2),
};

const DATETIME = new Set(['collected_at']);
const DATE = new Set(['diagnosed_on', 'ethics_approved_on', 'ethics_expires_on']);

const today = () => new Date().toISOString().slice(0, 10);
const day = (v) => String(v || '').slice(0, 10);

const cache = {};

/**
 * The fields of entity ("specimen", "donor", "diagnosis", "container", "site") as
 * [{name, kind, correctable}] in display order.
 */
export async function entityFields(entity) {
  if (cache[entity]) return cache[entity];
  try {
    const r = await get(`/api/fields/${encodeURIComponent(entity)}`);
    const list = Array.isArray(r) ? r : (r && (r.fields || r.items)) || null;
    if (list && list.length) {
      cache[entity] = list.map((f) => (typeof f === 'string'
        ? { name: f, kind: 'text', correctable: true }
        : { name: f.name, kind: f.kind || 'text', correctable: f.correctable !== false }));
      return cache[entity];
    }
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    // Not served yet (404), or not now: the built-in list, asked again next time.
  }
  return (BUILT_IN[entity] || []).map(([name, kind]) => ({ name, kind, correctable: true }));
}

/** The text of a value as the history keeps it ("" when none). */
const text = (v) => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));

/**
 * A value as people read it ("" when none): a site's retirement is a state,
 * what is sent for it ("no", "yes", a day) a change of that state.
 */
function shown(name, v, sent) {
  if (name !== 'retired') return DATE.has(name) ? day(v) : text(v);
  if (sent && v === 'yes') return t('retiredToday');
  return !v || v === 'no' ? t('inService') : t('retiredSince', { date: day(v) });
}

/** The field changes an audit trail's events hold, for a server without /history. */
function changesFromAudit(events) {
  const out = [];
  (events || []).forEach((e, i) => {
    const b = e.before || {}, a = e.after || {};
    for (const k of new Set([...Object.keys(b), ...Object.keys(a)])) {
      if (text(b[k]) === text(a[k])) continue;
      out.push({
        seq: e.seq ?? i + 1, at: e.at, actor: e.actor, action: e.action, reason: e.reason,
        field: k, before: b[k] == null ? null : text(b[k]), after: a[k] == null ? null : text(a[k]),
      });
    }
  });
  return out;
}

/**
 * The changes of the record at path (an /api/... address), oldest first:
 * GET path/history, or what the record's own audit trail holds when that
 * is not served. {changes, fromAudit, refused}: refused is the server's
 * message when the history is not the user's to read (a site outside
 * their scope, whose record is public).
 */
export async function loadHistory(path, record) {
  try {
    const r = await get(`${path}/history`);
    const list = Array.isArray(r) ? r : (r && (r.changes || r.items)) || [];
    return { changes: list.filter((c) => c && c.field), fromAudit: false };
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) throw err;
    if (err instanceof ApiError && err.status === 403) return { changes: [], fromAudit: false, refused: err.message };
    const events = record && (record.audit || record.history);
    return { changes: Array.isArray(events) ? changesFromAudit(events) : [], fromAudit: true };
  }
}

/** Changes grouped by field: a Map in display order (the entity's fields first). */
export function byField(changes, fields) {
  const groups = new Map();
  for (const f of fields || []) groups.set(f.name, []);
  for (const c of changes) {
    if (!groups.has(c.field)) groups.set(c.field, []);
    groups.get(c.field).push(c);
  }
  for (const [k, v] of groups) if (!v.length) groups.delete(k);
  return groups;
}

const histId = (name) => `hist-${name}`;

function actionWords(a) {
  const s = String(a || '');
  const [head, rest] = s.split(':');
  const known = t(`action.${head}`);
  const w = known === `action.${head}` ? words(head) : known;
  return rest ? `${w}: ${words(rest)}` : w;
}

function valueCell(v, label) {
  const empty = v === null || v === undefined || v === '';
  return h('td', { dataset: { label } }, empty ? h('span.muted', { title: t('empty') }, '—', h('span.visually-hidden', t('empty'))) : h('span.val', String(v)));
}

/** A small clock: the history of these fields, or null when they have none. */
export function historyButton(names, groups) {
  const list = (Array.isArray(names) ? names : [names]).filter((n) => groups && groups.has(n));
  if (!list.length) return null;
  const n = list.reduce((s, x) => s + groups.get(x).length, 0);
  const label = `${t('historyOf', { field: list.map(fieldLabel).join(', ') })} (${n === 1 ? t('change1') : t('changes', { n })})`;
  return h('button.hist-link', {
    type: 'button', 'aria-label': label, title: label, 'aria-controls': list.map(histId).join(' '),
    dataset: { fields: list.join(' ') },
    onclick: () => {
      let first = null;
      for (const x of list) {
        const d = document.getElementById(histId(x));
        if (d) { d.open = true; first ||= d; }
      }
      if (first) {
        first.scrollIntoView({ block: 'start', behavior: 'smooth' });
        const s = first.querySelector('summary');
        if (s) s.focus({ preventScroll: true });
      }
    },
  }, clockIcon());
}

function clockIcon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  const c = document.createElementNS(ns, 'circle');
  for (const [k, v] of Object.entries({ cx: 8, cy: 8, r: 6.5, fill: 'none', stroke: 'currentColor', 'stroke-width': 1.6 })) c.setAttribute(k, v);
  const p = document.createElementNS(ns, 'path');
  for (const [k, v] of Object.entries({ d: 'M8 4.2V8l2.6 1.7', fill: 'none', stroke: 'currentColor', 'stroke-width': 1.6, 'stroke-linecap': 'round' })) p.setAttribute(k, v);
  svg.append(c, p);
  return svg;
}

/**
 * The "History by field" section: one disclosure per field with its
 * changes, newest first (when, who, what, before → after, reason).
 */
export function historySection(hist, groups) {
  const cols = [t('when'), t('who'), t('action'), t('before'), t('after'), t('reason')];
  return h('section.card.wide#field-history', { 'aria-labelledby': 'field-history-h' },
    h('h2#field-history-h', t('history')),
    hist.refused ? h('p.muted', t('historyRefused')) : groups.size ? h('p.hint', t('historyIntro')) : h('p.muted', t('historyNone')),
    hist.fromAudit && groups.size ? h('p.hint', t('historyFrom')) : null,
    [...groups].map(([name, list]) => {
      const last = list[list.length - 1];
      const label = fieldLabel(name);
      return h('details.field-history', { id: histId(name), dataset: { field: name } },
        h('summary', h('strong', label), ' ',
          h('span.muted', `${list.length === 1 ? t('change1') : t('changes', { n: list.length })} · ${t('lastBy', { when: fmtTime(last.at), who: last.actor || '?' })}`)),
        h('div.table-wrap', h('table.data.history',
          h('caption.visually-hidden', t('caption', { field: label })),
          h('thead', h('tr', cols.map((x) => h('th', { scope: 'col' }, x)))),
          h('tbody', list.slice().reverse().map((c) => h('tr.change', { dataset: { seq: c.seq ?? '' } },
            h('td.nowrap', { dataset: { label: cols[0] } }, fmtTime(c.at)),
            h('td', { dataset: { label: cols[1] } }, c.actor || ''),
            h('td', { dataset: { label: cols[2] } }, actionWords(c.action)),
            valueCell(c.before, cols[3]),
            valueCell(c.after, cols[4]),
            h('td.reason', { dataset: { label: cols[5] } }, c.reason || '')))))));
    }));
}

// ---- the correction form --------------------------------------------------------

/** "2024-03-05T10:02:00Z" -> "2024-03-05T10:02" for a datetime-local input. */
function toLocalInput(v) {
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})/.exec(String(v || ''));
  return m ? `${m[1]}T${m[2]}` : '';
}

function valueControl(f, current, choices) {
  const name = f.name;
  const attrs = { name, spellcheck: 'false', autocomplete: 'off' };
  if (name === 'retired') {
    const retired = !!text(current);
    return h('select', attrs,
      h('option', { value: 'no', selected: !retired }, t('inService')),
      h('option', { value: 'yes' }, t('retireToday')),
      h('option', { value: 'date', selected: retired }, t('retireOn')));
  }
  if (VOCAB[name] || (choices && choices[name])) {
    const opts = VOCAB[name] || choices[name];
    const cur = text(current);
    const el = h('select', attrs, h('option', { value: '' }, t('choose')));
    const option = ([v, w]) => h('option', { value: v, selected: v === cur }, w);
    for (const o of opts) {
      if (Array.isArray(o[1])) el.append(h('optgroup', { label: o[0] }, o[1].map(option)));
      else el.append(option(o));
    }
    // A recorded value outside the vocabulary stays choosable as it is.
    if (cur && ![...el.options].some((o) => o.value === cur)) el.append(h('option', { value: cur, selected: true }, cur));
    return el;
  }
  if (DATETIME.has(name)) return h('input', { ...attrs, type: 'datetime-local', value: toLocalInput(current) });
  if (DATE.has(name)) return h('input', { ...attrs, type: 'date', value: day(current) });
  if (f.kind === 'number' || f.kind === 'integer') {
    return h('input', { ...attrs, type: 'text', inputmode: f.kind === 'integer' ? 'numeric' : 'decimal', value: text(current) });
  }
  return h('input', { ...attrs, type: 'text', value: text(current) });
}

/** The value to send for field f from its control's text; throws {field, message}. */
function valueOf(f, raw, form) {
  if (f.name === 'retired' && raw === 'date') {
    const on = form.querySelector('[name="retired_on"]');
    const d = on ? on.value : '';
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) throw { field: 'retired_on', message: `${fieldLabel('retired')}: ${t('needDate')}` };
    return d;
  }
  if (f.kind === 'number' || f.kind === 'integer') {
    const n = Number(raw.replace(',', '.'));
    if (raw === '' || !Number.isFinite(n)) throw { field: f.name, message: `${fieldLabel(f.name)}: ${t('notNumber')}` };
    if (f.kind === 'integer' && !Number.isInteger(n)) throw { field: f.name, message: `${fieldLabel(f.name)}: ${t('notInteger')}` };
    return n;
  }
  if (DATETIME.has(f.name)) return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(raw) ? `${raw}:00Z` : raw;
  return raw;
}

/** Whether v (what would be sent) is what is recorded now. */
function same(f, v, current) {
  if (v === null) return current === null || current === undefined || current === '';
  if (typeof v === 'number') return current !== null && current !== undefined && current !== '' && Number(current) === v;
  if (DATETIME.has(f.name)) return toLocalInput(v) === toLocalInput(current);
  if (DATE.has(f.name)) return v === day(current);
  if (f.name === 'retired') return v === 'no' ? !text(current) : day(current) === (v === 'yes' ? today() : v);
  return text(current) === v;
}

/**
 * The "Correct" action of a record: a button that opens the form, and the
 * form's panel. opts: {path: the record's /api address, fields: from
 * entityFields(), current(name): the value recorded now, hints: {name:
 * text}, choices: {name: [[value, text]]} (a select for that field),
 * onSaved(record, message)}; for several on one page, id (the prefix of
 * the ids: "correct" by default), title (the form's heading) and label
 * (the button's accessible name). Returns {button, panel} (null when no
 * field can be corrected).
 */
export function correctionAction(opts) {
  const fields = (opts.fields || []).filter((f) => f.correctable);
  if (!fields.length) return null;
  const byName = new Map(fields.map((f) => [f.name, f]));
  const current = (n) => opts.current(n);
  const id = opts.id || 'correct';

  const rows = h('div.correct-rows');
  const reason = h('textarea', { name: 'reason', rows: 2, required: true, maxlength: 1000 });
  const form = h('form.correct-form', { id: `${id}-form`, novalidate: true, 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, opts.title || t('correctTitle')),
    h('p.hint', t('correctIntro')),
    rows,
    h('p.actions', h('button.secondary.correct-add', { id: `${id}-add`, type: 'button', onclick: () => { const r = addRow(''); $('select', r).focus(); } }, '+ ', t('addField'))),
    field(t('reason'), reason, t('reasonHint')),
    h('p.actions',
      h('button', { type: 'submit' }, t('save')),
      h('button.secondary', { type: 'button', onclick: () => toggle(false) }, t('cancel'))));
  const panel = h('section.card.correct-panel', { id: `${id}-panel`, hidden: true }, form);
  const button = h('button.secondary.correct-open', {
    id: `${id}-open`, type: 'button', 'aria-expanded': 'false', 'aria-controls': `${id}-panel`,
    'aria-label': opts.label || false,
    onclick: () => toggle(panel.hidden),
  }, t('correct'));

  let rowSeq = 0;
  function chosen() { return $$('select.pick', rows).map((s) => s.value).filter(Boolean); }
  function refreshRows() {
    const all = $$('.correct-row', rows);
    const taken = chosen();
    for (const r of all) {
      const pick = $('select.pick', r);
      for (const o of pick.options) o.disabled = !!o.value && o.value !== pick.value && taken.includes(o.value);
      $('.correct-remove', r).hidden = all.length < 2;
    }
  }
  function fillValue(row, name) {
    const slot = $('.correct-value', row);
    const f = byName.get(name);
    slot.replaceChildren();
    if (!f) return;
    const ctl = valueControl(f, current(name), opts.choices);
    const cur = current(name);
    const now = shown(name, cur);
    const hint = [now === '' ? t('now', { value: `— (${t('empty')})` }) : t('now', { value: now }),
      opts.hints && opts.hints[name] ? ` ${opts.hints[name]}` : ''].join('');
    const wrap = field(t('newValue', { field: fieldLabel(name) }), ctl, hint);
    slot.append(wrap);
    if (name === 'retired') {
      // "Retired on a date": the day, asked beside the choice.
      const on = h('input', { type: 'date', name: 'retired_on', value: day(cur), max: today() });
      const onField = field(t('retiredOn'), on);
      const sync = () => { onField.hidden = ctl.value !== 'date'; };
      ctl.addEventListener('change', sync);
      sync();
      slot.append(onField);
      return;
    }
    const clear = h('input', { type: 'checkbox', class: 'correct-clear', value: name });
    clear.addEventListener('change', () => { ctl.disabled = clear.checked; });
    wrap.append(h('label.check', clear, ' ', t('clear')));
  }
  function addRow(name) {
    const id = ++rowSeq;
    const pick = h('select', { name: `pick-${id}`, class: 'pick' }, h('option', { value: '' }, t('choose')),
      fields.map((f) => h('option', { value: f.name, selected: f.name === name }, fieldLabel(f.name))));
    const row = h('div.correct-row', { dataset: { row: id } },
      field(t('field'), pick),
      h('div.correct-value'),
      h('button.secondary.correct-remove', {
        type: 'button', 'aria-label': t('removeRow', { field: name ? fieldLabel(name) : id }),
        onclick: () => { row.remove(); refreshRows(); const p = $('select.pick', rows); if (p) p.focus(); },
      }, t('remove')));
    pick.addEventListener('change', () => {
      fillValue(row, pick.value);
      $('.correct-remove', row).setAttribute('aria-label', t('removeRow', { field: pick.value ? fieldLabel(pick.value) : id }));
      refreshRows();
    });
    rows.append(row);
    if (name) fillValue(row, name);
    refreshRows();
    return row;
  }
  function toggle(open) {
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) {
      if (!rows.children.length) addRow('');
      const first = $('select.pick', rows);
      if (first) first.focus();
      panel.scrollIntoView({ block: 'nearest' });
    } else {
      button.focus();
    }
  }
  panel.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') { ev.preventDefault(); toggle(false); }
  });

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = {};
    const said = [];
    try {
      const picks = $$('.correct-row', rows);
      for (const row of picks) {
        const pick = $('select.pick', row);
        const name = pick.value;
        if (!name) throw { field: pick.name, message: t('needField') };
        if (name in body) throw { field: pick.name, message: t('twice', { field: fieldLabel(name) }) };
        const f = byName.get(name);
        const clear = $('.correct-clear', row);
        const ctl = form.querySelector(`[name="${CSS.escape(name)}"]`);
        let v;
        if (clear && clear.checked) v = null;
        else {
          const raw = ctl ? String(ctl.value).trim() : '';
          if (raw === '') throw { field: name, message: `${fieldLabel(name)}: ${t('needValue')}` };
          v = valueOf(f, raw, form);
        }
        body[name] = v;
        said.push([name, v]);
      }
      if (said.every(([n, v]) => same(byName.get(n), v, current(n)))) {
        throw { field: said.length ? said[0][0] : null, message: t('unchanged') };
      }
      const why = reason.value.trim();
      if (!why) throw { field: 'reason', message: t('needReason') };
      body.reason = why;
    } catch (err) { showError(form, err); return; }
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const rec = await patch(opts.path, body);
      const what = said.map(([n, v]) => `${fieldLabel(n)} ${shown(n, current(n)) || '—'} → ${v === null ? '—' : shown(n, v, true)}`).join('; ');
      opts.onSaved(rec, t('corrected', { what }));
    } catch (err) {
      btn.disabled = false;
      if (err instanceof ApiError && err.status === 401) return;
      showError(form, namedInForm(form, err));
    }
  });

  return { button, panel };
}

/**
 * The error with its field as this form names it: "preanalytics.fixation"
 * is the "fixation" control; a field the form lacks falls back to the
 * message above the form.
 */
function namedInForm(form, err) {
  let name = err.field;
  if (!name && err.message) {
    const m = /^([a-z][a-z0-9_.]*): /.exec(err.message);
    if (m) name = m[1];
  }
  if (!name) return err;
  const has = (n) => !!form.querySelector(`[name="${CSS.escape(n)}"]`);
  const last = name.split('.').pop();
  const field = has(name) ? name : has(last) ? last : null;
  return { message: err.message, field, status: err.status };
}

/** The notice a page shows after a correction re-rendered it. */
let flash = null;
export function setCorrectionFlash(path, msg) { flash = { path, msg }; }
export function takeCorrectionFlash(path) {
  if (!flash || flash.path !== path) return null;
  const n = notice('ok', flash.msg);
  flash = null;
  return n;
}
