// shipments.js - material sent between the network's sites (docs/shipments.md):
//   #/shipments                 outgoing and incoming shipments by state, and a
//                               new shipment (GET/POST /api/shipments)
//   #/shipment/CODE             its facts, the state actions the user may take
//                               (edit, pack, ship, cancel, discrepancy), the
//                               manifest, boxes, discrepancies, chain of custody
//                               and the documents (manifest and receipt, PDF/CSV)
//   #/shipment/CODE/build       scan barcodes (one POST items each) or pick a box
//   #/shipment/CODE/receive     made for a scanner and a phone in the cold room:
//                               one scan per line, its result at once, the extra
//                               flagged by a banner and a flash (no sound)
// Texts through js/i18n.js.
import { get, post, patch, api, blob, seg } from './api.js';
import { h, mount, field, select, input, loading, notice, fmtNum, fmtTime, words, showError, clearErrors, formValues } from './dom.js';
import { can } from './model.js';
import { sites } from './search.js';
import { t, fieldLabel } from './i18n.js';

export const SHIP_STATES = ['draft', 'packed', 'shipped', 'received', 'cancelled'];
export const CONDITIONS = ['ambient', 'refrigerated', 'dry_ice', 'ln2_dry_shipper'];
const KINDS = ['missing', 'damaged', 'thawed', 'wrong_label', 'extra'];
const SCAN_FLAGS = ['damaged', 'thawed', 'wrong_label'];
const DIRECTIONS = ['outgoing', 'incoming', 'all'];

let flash = null;   // shown once after an action re-renders a page

const shipPath = (code) => `/shipment/${seg(code)}`;
const apiPath = (code) => `/api/shipments/${seg(code)}`;
/** A word's text: its translation when there is one, else the word. */
const tw = (prefix, w) => { const k = `${prefix}.${w}`; const s = t(k); return s === k ? words(w) : s; };

export function shipState(s) {
  return h(`span.badge.ship-${s || 'unknown'}`, { dataset: { state: s || '' } }, tw('shipState', s));
}
function itemState(s) {
  return h(`span.badge.item-${s || 'unknown'}`, tw('itemState', s));
}
function discChips(list) {
  const v = Array.isArray(list) ? list : String(list || '').split(',').filter(Boolean);
  return v.length ? h('ul.chips.discs', v.map((k) => h('li.chip.disc', { dataset: { kind: k } }, tw('disc', k)))) : null;
}
const route = (r) => h('span.route', h('span.mono', r.from_site || '?'), h('span', { 'aria-hidden': 'true' }, ' → '),
  h('span.visually-hidden', ` ${t('ship.to')} `), h('span.mono', r.to_site || '?'));

/** The sites in the user's scope (a Set of codes). */
async function scopeOf(user) {
  return new Set((await sites(user)).map((x) => x.code));
}

/** What the user may do on shipment r: {from, to} (writers whose scope holds that site). */
async function rights(user, r) {
  if (!can(user, 'specimen')) return { from: false, to: false };
  const scope = await scopeOf(user);
  return { from: scope.has(r.from_site), to: scope.has(r.to_site) };
}

/** The refusals of a 409 ({refusals: [{barcode, reason}]}), else none. */
function refusalsOf(err) {
  return (err && Array.isArray(err.refusals) && err.refusals) || [];
}
function refusalList(err) {
  const list = refusalsOf(err);
  return h('div.notice.error.refusals', { role: 'alert' },
    h('p', err.message),
    list.length ? h('ul', list.map((x) => h('li', { dataset: { barcode: x.barcode } }, h('span.mono', x.barcode), ': ', x.reason))) : null);
}

async function download(path, name, status) {
  try {
    const b = await blob(path);
    const u = URL.createObjectURL(b);
    const a = h('a', { href: u, download: name });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(u), 60000);
    status.hidden = true;
  } catch (err) {
    status.textContent = `${name}: ${err.message}`;
    status.className = 'notice error';
    status.hidden = false;
  }
}

function counts(c) {
  return c || { items: 0, boxes: 0, received: 0, missing: 0, pending: 0, extra: 0, discrepancies: 0 };
}

// ---- the list ---------------------------------------------------------------------

function tabs(ctx, dir, state) {
  return h('nav.tabs', { 'aria-label': t('ship.directions') },
    DIRECTIONS.map((d) => h('a.tab', {
      href: `#/shipments?direction=${d}${state ? `&state=${state}` : ''}`,
      'aria-current': d === dir ? 'page' : false, dataset: { direction: d },
    }, t(`ship.dir.${d}`))));
}

function listTable(list) {
  const cols = [fieldLabel('code'), t('ship.route'), fieldLabel('status'), t('ship.items'), t('ship.received'),
    t('ship.missing'), t('ship.discrepancies'), t('ship.created'), t('ship.shippedAt'), t('ship.receivedAt')];
  return h('div.table-wrap', h('table.data.shipments',
    h('caption.visually-hidden', t('shipments')),
    h('thead', h('tr', cols.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', list.map((r) => {
      const c = counts(r.counts);
      return h('tr', { dataset: { shipment: r.code, state: r.state } },
        h('td', h('a.mono', { href: `#${shipPath(r.code)}` }, r.code)),
        h('td.nowrap', route(r)),
        h('td', shipState(r.state)),
        h('td.num', c.items, c.boxes ? h('span.sub', t('ship.nBoxes', { n: c.boxes })) : null),
        h('td.num', c.received),
        h('td.num', c.missing ? h('strong.bad', c.missing) : c.missing),
        h('td.num', c.discrepancies ? h('strong.warn', c.discrepancies) : c.discrepancies),
        h('td.nowrap', fmtTime(r.created_at)),
        h('td.nowrap', fmtTime(r.shipped_at)),
        h('td.nowrap', fmtTime(r.received_at)));
    }))));
}

function newShipmentForm(ctx, mine, all) {
  const from = ctx.user && mine.includes(ctx.user.site) ? ctx.user.site : (mine[0] || '');
  const form = h('form.card#shipment-form', { novalidate: true },
    h('h2', t('ship.new')),
    h('div.grid-fields',
      mine.length > 1 ? field(t('ship.from'), select('from_site', mine.map((c) => [c, c]), from)) : null,
      field(t('ship.toSite'), select('to_site', [['', t('choose')], ...all.map((x) => [x.code, `${x.code} · ${x.name || ''}`])], '', { required: true })),
      field(t('ship.courier'), input('courier', { maxlength: 100 })),
      field(t('ship.tracking'), input('tracking', { maxlength: 100, spellcheck: 'false' })),
      field(t('ship.condition'), select('condition', [['', t('choose')], ...CONDITIONS.map((x) => [x, tw('cond', x)])], '')),
      field(t('ship.logger'), input('logger', { maxlength: 100, spellcheck: 'false' }), t('ship.loggerHint'))),
    field(t('ship.notes'), h('textarea', { name: 'notes', rows: 2, maxlength: 2000 })),
    h('button', { type: 'submit' }, t('ship.create')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    if (!v.to_site) { showError(form, { field: 'to_site', message: `to_site: ${t('ship.needTo')}` }); return; }
    const body = {};
    for (const [k, x] of Object.entries(v)) if (x !== '') body[k] = x;
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const r = await post('/api/shipments', body);
      flash = t('ship.createdOk', { code: r.code });
      ctx.navigate(`${shipPath(r.code)}/build`);
    } catch (err) {
      btn.disabled = false;
      showError(form, err);
    }
  });
  return form;
}

async function renderList(main, ctx) {
  main.append(h('h1', t('shipments')), loading());
  const q = ctx.query;
  const dir = DIRECTIONS.includes(q.direction) ? q.direction : 'outgoing';
  const state = SHIP_STATES.includes(q.state) ? q.state : '';
  const writer = can(ctx.user, 'specimen');
  const [r, mine, all] = await Promise.all([get('/api/shipments', { direction: dir, state, limit: 500 }),
    writer ? sites(ctx.user) : [], writer ? sites(null) : []]);
  if (!ctx.current()) return;
  const list = (r && r.shipments) || [];
  const msg = flash; flash = null;
  const filter = h('form.inline-form#shipment-filter', { role: 'search' },
    field(fieldLabel('status'), select('state', [['', t('ship.anyState')], ...SHIP_STATES.map((x) => [x, tw('shipState', x)])], state)),
    h('button', { type: 'submit' }, t('show')));
  filter.addEventListener('submit', (ev) => { ev.preventDefault(); ctx.navigate('/shipments', { direction: dir, state: filter.elements.state.value }); });
  filter.elements.state.addEventListener('change', () => ctx.navigate('/shipments', { direction: dir, state: filter.elements.state.value }));
  const mineCodes = mine.map((x) => x.code);
  mount(main,
    h('h1', t('shipments')),
    h('p.lead', t('ship.intro')),
    msg ? notice('ok', msg) : null,
    tabs(ctx, dir, state),
    filter,
    h('section#shipment-list', { 'aria-labelledby': 'shipment-list-h' },
      h('h2#shipment-list-h', t('ship.count', { n: r && r.total != null ? r.total : list.length })),
      list.length ? listTable(list) : h('p.empty', t('ship.none'))),
    writer && mineCodes.length ? newShipmentForm(ctx, mineCodes, all) : null);
}

// ---- one shipment -------------------------------------------------------------------

/** A panel opened by a button: {button, panel}; form submitted by fn(values) -> flash text. */
function panelAction(id, label, form, ctx, code, fn, danger) {
  const panel = h(`section.card.correct-panel#${id}-panel`, { hidden: true }, form);
  const button = h(`button.secondary#${id}-open`, { type: 'button', 'aria-expanded': 'false', 'aria-controls': `${id}-panel`, onclick: () => toggle(panel.hidden) }, label);
  function toggle(open) {
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) { const f = form.querySelector('input, select, textarea'); if (f) f.focus(); } else button.focus();
  }
  form.append(h('p.actions', h(`button${danger ? '.danger' : ''}`, { type: 'submit' }, label),
    h('button.secondary', { type: 'button', onclick: () => toggle(false) }, t('cancel'))));
  panel.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); toggle(false); } });
  onSubmit(form, ctx, code, fn);
  return { button, panel };
}

/** Runs fn(values) on submit; on success re-renders the shipment page with its flash. */
function onSubmit(form, ctx, code, fn) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const old = form.querySelector('.refusals');
    if (old) old.remove();
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      flash = await fn(formValues(form));
      ctx.navigate(shipPath(code));
    } catch (err) {
      btn.disabled = false;
      if (refusalsOf(err).length) form.prepend(refusalList(err));
      else showError(form, err);
    }
  });
  return form;
}

function editAction(r, ctx, all) {
  const form = h('form#edit-form', { novalidate: true },
    h('h2', t('ship.edit')),
    h('div.grid-fields',
      r.state === 'draft' ? field(t('ship.toSite'), select('to_site', all.filter((x) => x.code !== r.from_site).map((x) => [x.code, `${x.code} · ${x.name || ''}`]), r.to_site)) : null,
      field(t('ship.courier'), input('courier', { value: r.courier || '', maxlength: 100 })),
      field(t('ship.tracking'), input('tracking', { value: r.tracking || '', maxlength: 100, spellcheck: 'false' })),
      field(t('ship.condition'), select('condition', [['', '—'], ...CONDITIONS.map((x) => [x, tw('cond', x)])], r.condition || '')),
      field(t('ship.logger'), input('logger', { value: r.logger || '', maxlength: 100, spellcheck: 'false' }))),
    field(t('ship.notes'), h('textarea', { name: 'notes', rows: 2, maxlength: 2000 }, r.notes || '')));
  return panelAction('edit', t('ship.edit'), form, ctx, r.code, async (v) => {
    const body = {};
    for (const k of ['to_site', 'courier', 'tracking', 'condition', 'logger', 'notes']) {
      if (k in v && String(v[k]) !== String(r[k] ?? '')) body[k] = v[k];
    }
    if (!Object.keys(body).length) throw { message: t('ship.nothingChanged') };
    await patch(apiPath(r.code), body);
    return t('ship.saved');
  });
}

function cancelAction(r, ctx) {
  const form = h('form#cancel-form', { novalidate: true },
    h('h2', t('ship.cancel')),
    h('p.hint', t('ship.cancelHint')),
    field(t('reason'), h('textarea', { name: 'reason', rows: 2, required: true, maxlength: 2000 })));
  return panelAction('cancel', t('ship.cancel'), form, ctx, r.code, async (v) => {
    if (!v.reason) throw { field: 'reason', message: `reason: ${t('ship.needReason')}` };
    await post(`${apiPath(r.code)}/cancel`, { reason: v.reason });
    return t('ship.cancelled', { code: r.code });
  }, true);
}

function shipForm(r, ctx) {
  const form = h('form.card#ship-form', { novalidate: true },
    h('h2', t('ship.ship')),
    h('p.hint', t('ship.shipHint')),
    h('div.grid-fields',
      field(t('ship.courier'), input('courier', { value: r.courier || '', maxlength: 100 })),
      field(t('ship.tracking'), input('tracking', { value: r.tracking || '', maxlength: 100, spellcheck: 'false' }))),
    h('button', { type: 'submit' }, t('ship.ship')));
  return onSubmit(form, ctx, r.code, async (v) => {
    const body = {};
    if (v.courier !== (r.courier || '')) body.courier = v.courier;
    if (v.tracking !== (r.tracking || '')) body.tracking = v.tracking;
    await post(`${apiPath(r.code)}/ship`, body);
    return t('ship.shippedOk', { code: r.code });
  });
}

function packForm(r, ctx) {
  const form = h('form.inline#pack-form', { novalidate: true },
    h('button', { type: 'submit', disabled: !counts(r.counts).items && !counts(r.counts).boxes }, t('ship.pack')));
  return onSubmit(form, ctx, r.code, async () => {
    await post(`${apiPath(r.code)}/pack`, {});
    return t('ship.packedOk', { code: r.code });
  });
}

function discrepancyAction(r, ctx) {
  const form = h('form#disc-form', { novalidate: true },
    h('h2', t('ship.recordDisc')),
    h('div.grid-fields',
      field(fieldLabel('barcode'), input('barcode', { spellcheck: 'false', required: true, autocapitalize: 'characters' })),
      field(fieldLabel('kind'), select('kind', KINDS.map((k) => [k, tw('disc', k)]), 'damaged'))),
    field(t('ship.note'), h('textarea', { name: 'note', rows: 2, maxlength: 2000 })));
  return panelAction('disc', t('ship.recordDisc'), form, ctx, r.code, async (v) => {
    if (!v.barcode) throw { field: 'barcode', message: `barcode: ${t('ship.needBarcode')}` };
    const body = { barcode: v.barcode, kind: v.kind };
    if (v.note) body.note = v.note;
    await post(`${apiPath(r.code)}/discrepancies`, body);
    return t('ship.discRecorded', { barcode: v.barcode });
  });
}

function factsSection(r) {
  const c = counts(r.counts);
  const row = (k, v) => (v === null || v === undefined || v === '' ? null : [h('dt', k), h('dd', v)]);
  const step = (by, at) => (at ? `${fmtTime(at)} · ${by || '?'}` : null);
  return h('section.card#shipment-facts', { 'aria-labelledby': 'shipment-facts-h' },
    h('h2#shipment-facts-h', t('details')),
    h('dl.facts',
      row(t('ship.from'), h('span.mono#ship-from', r.from_site)),
      row(t('ship.toSite'), h('span.mono#ship-to', r.to_site)),
      row(fieldLabel('status'), h('span#ship-state', shipState(r.state))),
      row(t('ship.courier'), r.courier),
      row(t('ship.tracking'), r.tracking ? h('span.mono', r.tracking) : null),
      row(t('ship.condition'), r.condition ? tw('cond', r.condition) : null),
      row(t('ship.logger'), r.logger ? h('span.mono', r.logger) : null),
      row(t('ship.notes'), r.notes),
      row(t('ship.created'), step(r.created_by, r.created_at)),
      row(t('ship.packedAt'), step(r.packed_by, r.packed_at)),
      row(t('ship.shippedAt'), step(r.shipped_by, r.shipped_at)),
      row(t('ship.receivedAt'), step(r.received_by, r.received_at)),
      row(t('ship.cancelledAt'), step(r.cancelled_by, r.cancelled_at)),
      row(t('ship.cancelReason'), r.cancel_reason)),
    h('ul.ship-counts#ship-counts', [['items', c.items], ['boxes', c.boxes], ['received', c.received], ['pending', c.pending],
      ['missing', c.missing], ['extra', c.extra], ['discrepancies', c.discrepancies]].map(([k, n]) =>
      h('li', { dataset: { count: k } }, h('strong', n), ' ', t(`ship.n.${k}`)))));
}

/** Remove: DELETE the item; onRemoved(full, barcode, err) when given (the build
 * screen keeps its scan log), else the shipment page is shown again. */
function removeButton(r, ctx, barcode, onRemoved) {
  return h('button.secondary.small-button', {
    type: 'button', 'aria-label': t('ship.removeItem', { barcode }),
    onclick: async (ev) => {
      ev.currentTarget.disabled = true;
      let full = null, error = null;
      try {
        full = await api('DELETE', `${apiPath(r.code)}/items/${seg(barcode)}`);
      } catch (err) { error = err; }
      if (onRemoved) { onRemoved(full, barcode, error); return; }
      flash = error ? null : t('ship.removed', { barcode });
      if (error) alert(error.message);
      ctx.navigate(shipPath(r.code));
    },
  }, t('remove'));
}

export function manifestTable(r, ctx, removable, onRemoved) {
  const list = r.items || [];
  const cols = [fieldLabel('barcode'), fieldLabel('type'), fieldLabel('donor'), fieldLabel('quantity'), t('ship.box'),
    t('ship.wasAt'), fieldLabel('status'), t('ship.placed'), t('ship.receivedBy'), t('ship.discrepancies')];
  return h('section.card.wide#manifest', { 'aria-labelledby': 'manifest-h' },
    h('h2#manifest-h', t('ship.manifest'), ' ', h('span.muted.small', t('ship.nItems', { n: list.length }))),
    list.length ? h('div.table-wrap', h('table.data.manifest',
      h('caption.visually-hidden', t('ship.manifest')),
      h('thead', h('tr', cols.map((x) => h('th', { scope: 'col' }, x)), removable ? h('th', h('span.visually-hidden', t('remove'))) : null)),
      h('tbody', list.map((i) => h('tr', { dataset: { barcode: i.barcode, state: i.state }, class: `item-row-${i.state || ''}` },
        h('td', h('a.mono', { href: `#/specimen/${seg(i.barcode)}` }, i.barcode)),
        h('td', words(i.type)),
        h('td', i.donor ? `${i.donor}${i.donor_site ? ` (${i.donor_site})` : ''}` : ''),
        h('td.num', i.quantity != null ? `${fmtNum(i.quantity)} ${i.unit || ''}` : ''),
        h('td.mono', i.box || ''),
        h('td.mono.small', i.from_container ? `${i.from_container} ${i.from_position || ''}` : ''),
        h('td', itemState(i.state)),
        h('td.mono.small', i.container ? `${i.container} ${i.position || ''}` : ''),
        h('td.small', i.received_at ? `${i.received_by || ''} ${fmtTime(i.received_at)}` : ''),
        h('td', discChips(i.discrepancies)),
        removable ? h('td', i.box ? null : removeButton(r, ctx, i.barcode, onRemoved)) : null)))))
      : h('p.empty', t('ship.noItems')));
}

function boxesSection(r, ctx, removable, onRemoved) {
  const list = r.boxes || [];
  if (!list.length) return null;
  const cols = [t('ship.box'), fieldLabel('name'), t('ship.layout'), t('ship.items'), t('ship.wasIn'), fieldLabel('status'), t('ship.putIn')];
  return h('section.card.wide#boxes', { 'aria-labelledby': 'boxes-h' },
    h('h2#boxes-h', t('ship.boxes')),
    h('div.table-wrap', h('table.data',
      h('caption.visually-hidden', t('ship.boxes')),
      h('thead', h('tr', cols.map((x) => h('th', { scope: 'col' }, x)), removable ? h('th', h('span.visually-hidden', t('remove'))) : null)),
      h('tbody', list.map((b) => h('tr', { dataset: { box: b.barcode } },
        h('td', h('a.mono', { href: `#/container/${seg(b.barcode)}` }, b.barcode)),
        h('td', b.name || ''),
        h('td', b.rows && b.cols ? `${b.rows} × ${b.cols}` : ''),
        h('td.num', b.items ?? ''),
        h('td.mono.small', b.from_parent || ''),
        h('td', itemState(b.state)),
        h('td.mono.small', b.parent || ''),
        removable ? h('td', removeButton(r, ctx, b.barcode, onRemoved)) : null))))));
}

function discrepanciesSection(r) {
  const list = r.discrepancies || [];
  return h('section.card.wide#discrepancies', { 'aria-labelledby': 'discrepancies-h' },
    h('h2#discrepancies-h', t('ship.discrepancies'), ' ', h('span.muted.small', String(list.length))),
    list.length ? h('div.table-wrap', h('table.data',
      h('caption.visually-hidden', t('ship.discrepancies')),
      h('thead', h('tr', [fieldLabel('barcode'), fieldLabel('kind'), t('ship.note'), t('who'), t('when')].map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', list.map((d) => h('tr', { dataset: { barcode: d.barcode, kind: d.kind } },
        h('td.mono', d.barcode),
        h('td', h(`span.chip.disc`, { dataset: { kind: d.kind } }, tw('disc', d.kind))),
        h('td', d.note || ''),
        h('td', d.by || ''),
        h('td.nowrap', fmtTime(d.at)))))))
      : h('p.muted', t('ship.noDisc')));
}

function custodySection(r) {
  const list = r.custody || [];
  return h('section.card#custody', { 'aria-labelledby': 'custody-h' },
    h('h2#custody-h', t('ship.custody')),
    list.length ? h('ol.custody', list.map((s) => h('li', { dataset: { action: s.action } },
      h('span.when', fmtTime(s.at)),
      h('span.what', h('strong', tw('step', s.action)), ' · ', s.by || '?', s.site ? h('span.muted', ` (${s.site})`) : null),
      s.note ? h('span.note', s.note) : null)))
      : h('p.muted', t('ship.noCustody')));
}

function documents(r) {
  const status = h('p.notice', { role: 'status', hidden: true });
  const doc = (id, file, label) => h(`button.secondary#${id}`, { type: 'button', onclick: () => download(`${apiPath(r.code)}/${file}`, `${r.code}-${file}`, status) }, label);
  const receipt = ['shipped', 'received'].includes(r.state);
  return h('div.ship-docs',
    doc('doc-manifest-pdf', 'manifest.pdf', t('ship.manifestPdf')),
    doc('doc-manifest-csv', 'manifest.csv', t('ship.manifestCsv')),
    receipt ? doc('doc-receipt-pdf', 'receipt.pdf', t('ship.receiptPdf')) : null,
    receipt ? doc('doc-receipt-csv', 'receipt.csv', t('ship.receiptCsv')) : null,
    status);
}

async function loadShipment(main, ctx) {
  const code = ctx.params.code;
  main.append(h('h1.mono', code), loading());
  try {
    return await get(apiPath(code));
  } catch (err) {
    if (!ctx.current()) return null;
    if (err.status === 404) {
      mount(main, h('h1', t('ship.notFound')), notice('error', err.message || t('ship.noSuch', { code })),
        h('p', h('a', { href: '#/shipments' }, t('shipments'))));
      return null;
    }
    throw err;
  }
}

async function renderShipment(main, ctx) {
  const r = await loadShipment(main, ctx);
  if (!r || !ctx.current()) return;
  const [may, all] = await Promise.all([rights(ctx.user, r), can(ctx.user, 'specimen') ? sites(null) : []]);
  if (!ctx.current()) return;
  const msg = flash; flash = null;
  const open = ['draft', 'packed'].includes(r.state);
  const edit = may.from && ['draft', 'packed', 'shipped'].includes(r.state) ? editAction(r, ctx, all) : null;
  const cancel = may.from && open ? cancelAction(r, ctx) : null;
  const disc = may.to && ['shipped', 'received'].includes(r.state) ? discrepancyAction(r, ctx) : null;
  const c = counts(r.counts);
  mount(main,
    h('div.page-head',
      h('div', h('h1.mono', r.code), h('p.lead', route(r), ' · ', shipState(r.state))),
      documents(r)),
    msg ? notice('ok', msg) : null,
    h('section.card#shipment-actions', { 'aria-labelledby': 'shipment-actions-h' },
      h('h2#shipment-actions-h', t('ship.actions')),
      h('p.actions',
        may.from && open ? h('a.button#build-open', { href: `#${shipPath(r.code)}/build` }, t('ship.addItems')) : null,
        may.from && r.state === 'draft' ? packForm(r, ctx) : null,
        may.to && r.state === 'shipped' ? h('a.button#receive-open', { href: `#${shipPath(r.code)}/receive` }, t('ship.receive')) : null,
        may.to && r.state === 'shipped' ? h('a.button.secondary#finish-link', { href: `#${shipPath(r.code)}/receive?finish=1` }, t('ship.finish')) : null,
        edit ? edit.button : null,
        disc ? disc.button : null,
        cancel ? cancel.button : null),
      !may.from && !may.to ? h('p.muted', t('ship.readOnly')) : null,
      r.state === 'shipped' && may.to ? h('p.hint', t('ship.pendingHint', { n: c.pending })) : null),
    edit ? edit.panel : null,
    disc ? disc.panel : null,
    cancel ? cancel.panel : null,
    may.from && r.state === 'packed' ? shipForm(r, ctx) : null,
    h('div.specimen-grid', factsSection(r), custodySection(r)),
    manifestTable(r, ctx, may.from && open),
    boxesSection(r, ctx, may.from && open),
    discrepanciesSection(r));
}

// ---- the build screen -----------------------------------------------------------------

/** A line of the scan log: kind ok | warn | err, an icon (not colour alone) and text. */
function scanLine(kind, barcode, text) {
  const icon = { ok: '✓', warn: '!', err: '✗' }[kind];
  return h(`li.scan-line.${kind}`, { dataset: { barcode } },
    h('span.icon', { 'aria-hidden': 'true' }, icon), ' ',
    h('span.mono', barcode), ' ', h('span.text', text));
}

/** Enter in input queues fn(barcode): a scanner may send the next one before the answer. */
function scanner(form, inp, fn) {
  let chain = Promise.resolve();
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const code = inp.value.trim();
    inp.value = '';
    inp.focus();
    if (!code) return;
    chain = chain.then(() => fn(code)).catch((err) => console.error(err));
  });
}

async function boxPicker(r, onAdd) {
  let list = [];
  try { list = await get('/api/containers', { site: r.from_site }); } catch { list = []; }
  list = (Array.isArray(list) ? list : list.items || []).filter((c) => c.kind === 'box' && c.site === r.from_site && c.specimens > 0);
  const onManifest = new Set((r.boxes || []).map((b) => b.barcode));
  const sel = select('box', [['', t('choose')], ...list.filter((c) => !onManifest.has(c.barcode)).map((c) =>
    [c.barcode, `${c.barcode}${c.name ? ` · ${c.name}` : ''} (${c.specimens}${c.capacity ? `/${c.capacity}` : ''})`])], '', { id: 'box-pick' });
  const form = h('form.inline-form#box-form', { novalidate: true },
    field(t('ship.pickBox'), sel, t('ship.pickBoxHint')),
    h('button.secondary', { type: 'submit' }, t('ship.addBox')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (sel.value) onAdd(sel.value);
  });
  return h('section.card#box-picker', { 'aria-labelledby': 'box-picker-h' }, h('h2#box-picker-h', t('ship.pickTitle')), form);
}

async function renderBuild(main, ctx) {
  let r = await loadShipment(main, ctx);
  if (!r || !ctx.current()) return;
  const may = await rights(ctx.user, r);
  if (!ctx.current()) return;
  const back = h('p', h('a#to-shipment', { href: `#${shipPath(r.code)}` }, t('ship.toShipment', { code: r.code })));
  if (!may.from || !['draft', 'packed'].includes(r.state)) {
    mount(main, h('h1', t('ship.build', { code: r.code })), notice('error', may.from ? t('ship.notOpen', { state: tw('shipState', r.state) }) : t('ship.notYours')), back);
    return;
  }
  const msg = flash; flash = null;
  const inp = h('input.scan-big#build-input', { name: 'barcode', type: 'text', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'characters', inputmode: 'latin', placeholder: t('ship.scanPlaceholder'), 'aria-describedby': 'build-result' });
  const form = h('form.scan-form#build-form', { autocomplete: 'off' },
    h('label', { for: 'build-input' }, t('ship.scanToAdd')),
    h('div.scan-row', inp, h('button', { type: 'submit' }, t('add'))));
  const result = h('div.scan-result#build-result', { role: 'status', 'aria-live': 'polite', 'aria-atomic': 'true' });
  const log = h('ol.scan-log#build-log', { 'aria-label': t('ship.scanLog') });
  const manifestSlot = h('div#manifest-slot');
  const state = h('span#build-state', shipState(r.state));
  const removed = (full, barcode, err) => {
    if (err) report('err', barcode, err.message);
    else { r = full; showManifest(); report('ok', barcode, t('ship.removedShort')); }
    inp.focus();
  };
  const showManifest = () => {
    mount(manifestSlot, manifestTable(r, ctx, true, removed), boxesSection(r, ctx, true, removed));
    mount(state, shipState(r.state));
  };
  const report = (kind, barcode, text) => {
    const line = scanLine(kind, barcode, text);
    mount(result, line.cloneNode(true));
    result.className = `scan-result ${kind}`;
    log.prepend(line);
  };
  const add = async (typed) => {
    // Specimen barcodes are upper case (the box shows what is typed so).
    const code = typed.toUpperCase();
    try {
      r = await post(`${apiPath(r.code)}/items`, { barcodes: [code] });
      showManifest();
      const isBox = (r.boxes || []).find((b) => b.barcode === code);
      if (isBox) { const o = main.querySelector(`#box-pick option[value="${CSS.escape(code)}"]`); if (o) o.remove(); }
      report('ok', code, isBox ? t('ship.boxAdded', { n: isBox.items ?? '?' }) : t('ship.added'));
    } catch (err) {
      const ref = refusalsOf(err).find((x) => x.barcode === code) || refusalsOf(err)[0];
      report('err', code, ref ? ref.reason : err.message);
    }
    inp.focus();
  };
  scanner(form, inp, add);
  const pack = h('form#pack-form', { novalidate: true },
    h('button', { type: 'submit' }, t('ship.pack')));
  onSubmit(pack, ctx, r.code, async () => {
    await post(`${apiPath(r.code)}/pack`, {});
    return t('ship.packedOk', { code: r.code });
  });
  mount(main,
    h('div.page-head',
      h('div', h('h1', t('ship.build', { code: r.code })), h('p.lead', route(r), ' · ', state)),
      h('div.head-actions', pack, h('a.button.secondary', { href: `#${shipPath(r.code)}` }, t('ship.done')))),
    msg ? notice('ok', msg) : null,
    h('section.card.scan-card', { 'aria-labelledby': 'build-scan-h' },
      h('h2#build-scan-h', t('ship.scanTitle')),
      h('p.hint', t('ship.scanHint')),
      form, result, log),
    await boxPicker(r, (code) => add(code)),
    manifestSlot);
  showManifest();
  if (!ctx.current()) return;
  inp.focus();
}

// ---- the receive screen --------------------------------------------------------------

function countsBar(c) {
  const done = c.received + c.missing;
  const pct = c.items ? Math.round((100 * done) / c.items) : 0;
  return [
    h('p.rcv-numbers',
      h('span', { dataset: { count: 'received' } }, h('strong', c.received), ' ', t('ship.received')),
      h('span', { dataset: { count: 'pending' } }, h('strong', c.pending), ' ', t('ship.pending')),
      h('span', { dataset: { count: 'missing' } }, h('strong', c.missing), ' ', t('ship.missing')),
      h('span', { dataset: { count: 'extra' } }, h('strong', c.extra), ' ', t('ship.extra'))),
    h('span.meter.wide', { role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': c.items, 'aria-valuenow': done, 'aria-label': t('ship.progress', { done, n: c.items }) },
      h('span', { style: `width:${pct}%` })),
  ];
}

async function renderReceive(main, ctx) {
  const r = await loadShipment(main, ctx);
  if (!r || !ctx.current()) return;
  const may = await rights(ctx.user, r);
  if (!ctx.current()) return;
  const back = h('p', h('a#to-shipment', { href: `#${shipPath(r.code)}` }, t('ship.toShipment', { code: r.code })));
  if (!may.to || r.state !== 'shipped') {
    mount(main, h('h1', t('ship.receiveTitle', { code: r.code })),
      notice(r.state === 'received' ? 'ok' : 'error', !may.to ? t('ship.notForYou') : r.state === 'received' ? t('ship.complete') : t('ship.notShipped', { state: tw('shipState', r.state) })), back);
    return;
  }
  let c = counts(r.counts);
  const boxes = new Set((r.boxes || []).map((b) => b.barcode.toUpperCase()));
  const manifest = new Set([...(r.items || []).map((i) => i.barcode.toUpperCase()), ...boxes]);
  const inp = h('input.scan-big#receive-input', { name: 'barcode', type: 'text', autocomplete: 'off', spellcheck: 'false',
    autocapitalize: 'characters', inputmode: 'latin', enterkeyhint: 'send', placeholder: t('ship.scanPlaceholder'), 'aria-describedby': 'receive-result' });
  const boxIn = input('container', { id: 'receive-box', spellcheck: 'false', autocapitalize: 'characters', autocomplete: 'off' });
  const rackIn = input('rack', { id: 'receive-rack', spellcheck: 'false', autocapitalize: 'characters', autocomplete: 'off' });
  const noteIn = input('note', { id: 'receive-note', maxlength: 2000, autocomplete: 'off' });
  const flags = SCAN_FLAGS.map((k) => h('label.toggle', h('input', { type: 'checkbox', name: 'flag', value: k, id: `flag-${k}` }), ' ', tw('disc', k)));
  const form = h('form.scan-form#receive-form', { autocomplete: 'off' },
    h('label', { for: 'receive-input' }, t('ship.scanToReceive')),
    h('div.scan-row', inp, h('button', { type: 'submit' }, t('ship.receiveBtn'))));
  const result = h('div.scan-result.rcv-result#receive-result', { role: 'status', 'aria-live': 'assertive', 'aria-atomic': 'true' },
    h('p.muted', t('ship.waiting')));
  const countsEl = h('div.rcv-counts#receive-counts', countsBar(c));
  const log = h('ol.scan-log#receive-log', { 'aria-label': t('ship.scanLog') });
  const screen = h('div.receive-screen#receive-screen');
  const complete = h('div#receive-complete');
  let flashTimer = null;

  const report = (kind, barcode, text, banner) => {
    mount(result,
      banner ? h('p.extra-banner#extra-banner', banner) : null,
      h(`p.scan-line.${kind}`, { dataset: { barcode } }, h('span.icon', { 'aria-hidden': 'true' }, { ok: '✓', warn: '!', err: '✗' }[kind]), ' ',
        h('span.mono', barcode), ' ', h('span.text', text)));
    result.className = `scan-result rcv-result ${kind}`;
    log.prepend(scanLine(kind, barcode, text));
    // The visual cue of an extra: the screen flashes amber (no sound).
    screen.classList.remove('flash-extra');
    clearTimeout(flashTimer);
    if (kind === 'warn') {
      void screen.offsetWidth;   // restart the animation
      screen.classList.add('flash-extra');
      flashTimer = setTimeout(() => screen.classList.remove('flash-extra'), 1600);
    }
  };
  const receive = async (typed) => {
    const upper = typed.toUpperCase();
    const barcode = manifest.has(upper) ? upper : typed;
    const isBox = boxes.has(upper);
    const marked = flags.map((l) => l.querySelector('input')).filter((x) => x.checked).map((x) => x.value);
    const body = { barcode };
    if (marked.length) body.discrepancies = marked;
    if (noteIn.value.trim()) body.note = noteIn.value.trim();
    if (isBox) {
      if (!rackIn.value.trim()) { report('err', barcode, t('ship.needRack')); rackIn.focus(); return; }
      body.container = rackIn.value.trim();
    } else if (boxIn.value.trim()) body.container = boxIn.value.trim();
    // The marks apply to one scan: cleared as it is sent.
    for (const l of flags) l.querySelector('input').checked = false;
    noteIn.value = '';
    const also = marked.length ? ` · ${marked.map((k) => tw('disc', k)).join(', ')}` : '';
    try {
      const out = await post(`${apiPath(r.code)}/receive`, body);
      c = counts(out.counts);
      mount(countsEl, countsBar(c));
      if (out.result === 'extra') report('warn', out.barcode || barcode, t('ship.extraText'), t('ship.notOnManifest'));
      else if (out.result === 'box') report('ok', out.barcode || barcode, `${t('ship.boxReceived', { n: out.n ?? '?' })} → ${out.container || body.container}${also}`);
      else report('ok', out.barcode || barcode, `${t('ship.receivedTo')} → ${out.container ? `${out.container} ${out.position || ''}`.trim() : t('ship.unplaced')}${also}`);
      if (out.complete) mount(complete, notice('ok', t('ship.complete')), back.cloneNode(true));
    } catch (err) {
      report('err', barcode, err.message);
    }
    inp.focus();
  };
  scanner(form, inp, receive);

  // Finish: the rest marked missing, after a confirmation.
  const finishNote = h('textarea', { name: 'note', rows: 2, maxlength: 2000 });
  const finishText = h('p.finish-warning');
  const finishForm = h('form#finish-form', { novalidate: true },
    finishText,
    field(t('ship.note'), finishNote),
    h('p.actions', h('button.danger#finish-confirm', { type: 'submit' }, t('ship.finishConfirm')),
      h('button.secondary', { type: 'button', onclick: () => toggleFinish(false) }, t('cancel'))));
  const finishPanel = h('section.card.correct-panel#finish-panel', { hidden: true, 'aria-labelledby': 'finish-h' },
    h('h2#finish-h', t('ship.finish')), finishForm);
  const finishBtn = h('button.secondary#finish-open', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'finish-panel', onclick: () => toggleFinish(finishPanel.hidden) }, t('ship.finish'));
  function toggleFinish(open) {
    finishText.textContent = t('ship.finishWarn', { n: c.pending });
    finishPanel.hidden = !open;
    finishBtn.setAttribute('aria-expanded', String(open));
    if (open) finishForm.querySelector('#finish-confirm').focus(); else inp.focus();
  }
  onSubmit(finishForm, ctx, r.code, async (v) => {
    const body = v.note ? { note: v.note } : {};
    await post(`${apiPath(r.code)}/finish`, body);
    return t('ship.finished', { code: r.code });
  });

  mount(screen,
    h('div.page-head',
      h('div', h('h1', t('ship.receiveTitle', { code: r.code })), h('p.lead', route(r), r.condition ? ` · ${tw('cond', r.condition)}` : '')),
      h('div.head-actions', h('a.button.secondary', { href: `#${shipPath(r.code)}` }, t('ship.toShipment', { code: r.code })))),
    countsEl,
    h('section.card.scan-card', { 'aria-label': t('ship.scanToReceive') },
      form,
      h('fieldset.flags', h('legend', t('ship.nextScan')), flags),
      result,
      complete,
      h('details.rcv-options', { open: true },
        h('summary', t('ship.where')),
        h('div.grid-fields',
          field(t('ship.targetBox'), boxIn, t('ship.targetBoxHint')),
          field(t('ship.targetRack'), rackIn, t('ship.targetRackHint')),
          field(t('ship.noteNext'), noteIn)))),
    h('section.card', { 'aria-labelledby': 'receive-log-h' }, h('h2#receive-log-h', t('ship.scanLog')), log),
    h('p.actions', finishBtn),
    finishPanel);
  mount(main, screen);
  if (ctx.query.finish) toggleFinish(true); else inp.focus();
}

export async function render(main, ctx) {
  if (ctx.pattern === '/shipment/:code/build') return renderBuild(main, ctx);
  if (ctx.pattern === '/shipment/:code/receive') return renderReceive(main, ctx);
  if (ctx.pattern === '/shipment/:code') return renderShipment(main, ctx);
  return renderList(main, ctx);
}

// ---- a specimen's shipments (the specimen page) ---------------------------------------

/** The shipments a specimen travelled in, oldest first; null when none or not served. */
export async function specimenShipments(barcode) {
  try {
    const r = await get(`/api/specimens/${seg(barcode)}/shipments`);
    const list = (r && r.shipments) || [];
    return list.length ? list : null;
  } catch { return null; }
}

export function specimenShipmentsSection(list) {
  if (!list) return null;
  const cols = [t('ship.one'), t('ship.route'), fieldLabel('status'), t('ship.itemStateCol'), t('ship.discrepancies'), t('ship.shippedAt'), t('ship.receivedAt')];
  return h('section.card.wide#specimen-shipments', { 'aria-labelledby': 'specimen-shipments-h' },
    h('h2#specimen-shipments-h', t('ship.history')),
    h('div.table-wrap', h('table.data',
      h('caption.visually-hidden', t('ship.history')),
      h('thead', h('tr', cols.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', list.map((s) => h('tr', { dataset: { shipment: s.code } },
        h('td', h('a.mono', { href: `#${shipPath(s.code)}` }, s.code)),
        h('td.nowrap', route(s)),
        h('td', shipState(s.state)),
        h('td', itemState(s.item_state)),
        h('td', discChips(s.item_discrepancies)),
        h('td.nowrap', fmtTime(s.shipped_at)),
        h('td.nowrap', fmtTime(s.received_at))))))));
}
