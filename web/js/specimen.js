// specimen.js - #/specimen/BARCODE: the full record (GET /api/specimens/{barcode}):
// details (with its study, event and requirement), a banner when the donor
// withdrew consent or does not permit research or genetic analysis, SPREC
// in words, lineage, storage, sequencing results and their
// reports, the shipments it travelled in (js/shipments.js), audit history,
// each field's history, and the actions the user's role allows (correct a
// value, status, aliquot, move, derive, thaw, keep a sequencing result).
import { get, post, seg } from './api.js';
import { h, mount, field, select, input, loading, notice, statusBadge, words, fmtNum, fmtTime, showError, clearErrors, formValues } from './dom.js';
import { can, NEXT_STATUS, UNITS, DERIVED_TYPES, PATHOLOGY_FIELDS, PREANALYTICAL_FIELDS } from './model.js';
import { labelButton } from './labels.js';
import { sequencingSection } from './sequencing.js';
import { entityFields, loadHistory, byField, historySection, historyButton, correctionAction, setCorrectionFlash, takeCorrectionFlash } from './corrections.js';
import { t } from './i18n.js';
import { useWords } from './consent.js';
import { specimenShipments, specimenShipmentsSection } from './shipments.js';

let flash = null;   // a success message shown once after an action re-renders the page

export function setFlash(text) { flash = text; }

/** [label, value, fields]: fields (optional) are the ones whose history a clock opens. */
function dl(rows, groups) {
  return h('dl.facts', rows.filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v, names]) => [h('dt', k), h('dd', v, names ? historyButton(names, groups) : null)]));
}

/** "FRZ-1 > RACK-1 > BOX-1" as links, each to its container page. */
export function pathLinks(path) {
  const parts = String(path || '').split(' > ').filter(Boolean);
  return h('span.path', parts.map((p, i) => [i ? h('span.sep', { 'aria-hidden': 'true' }, ' › ') : null,
    h('a', { href: `#/container/${encodeURIComponent(p)}` }, p)]));
}

function sprecSection(s) {
  const rows = s.sprec_explained || [];
  return h('section.card#sprec', { 'aria-labelledby': 'sprec-h' },
    h('h2#sprec-h', 'SPREC ', s.sprec ? h('code.sprec', s.sprec) : h('span.muted', 'none')),
    rows.length ? h('table.data.sprec-table',
      h('caption.visually-hidden', 'SPREC code element by element'),
      h('thead', h('tr', h('th', { scope: 'col' }, 'Element'), h('th', { scope: 'col' }, 'Code'), h('th', { scope: 'col' }, 'Meaning'))),
      h('tbody', rows.map((e) => h('tr', h('th', { scope: 'row' }, e.element || e.name), h('td', h('code', e.code)), h('td', e.meaning)))))
      : h('p.muted', s.sprec ? 'The server gave no explanation for this code.' : 'No pre-analytical code is recorded.'),
    s.parent && s.sprec ? h('p.hint', 'An aliquot or derivative carries its parent\'s code.') : null);
}

function lineageSection(s) {
  const tree = Array.isArray(s.lineage) ? s.lineage : [];
  return h('section.card#lineage', { 'aria-labelledby': 'lineage-h' },
    h('h2#lineage-h', 'Lineage'),
    tree.length ? h('ul.tree', { role: 'tree', 'aria-label': 'Lineage from the primary specimen down' },
      tree.map((n) => {
        const here = n.barcode === s.barcode;
        return h('li', {
          role: 'treeitem', 'aria-level': (n.depth || 0) + 1, 'aria-current': here ? 'true' : false,
          style: `--depth:${n.depth || 0}`, class: here ? 'here' : '',
        },
        here ? h('strong.mono', n.barcode) : h('a.mono', { href: `#/specimen/${encodeURIComponent(n.barcode)}` }, n.barcode),
        ' ', h('span.kind', words(n.type)), ' ', h('span.muted', words(n.lineage)), ' ',
        statusBadge(n.status), ' ', h('span.qty', `${fmtNum(n.quantity)} ${n.unit || ''}`),
        n.concentration != null ? h('span.muted', ` · ${fmtNum(n.concentration)} ng/µl`) : null,
        n.rin != null ? h('span.muted', ` · RIN ${fmtNum(n.rin)}`) : null,
        n.din != null ? h('span.muted', ` · DIN ${fmtNum(n.din)}`) : null);
      }))
      : h('p.muted', words(s.lineage) || 'No lineage recorded.'));
}

function storageSection(s, user) {
  const loc = s.location || (s.container ? { path: s.container, position: s.position } : null);
  const box = s.container || (loc && loc.path ? loc.path.split(' > ').pop() : null);
  return h('section.card#storage', { 'aria-labelledby': 'storage-h' },
    h('h2#storage-h', 'Where it is stored'),
    loc && box ? [
      h('p.location', pathLinks(loc.path), ' · position ', h('strong#position', loc.position || s.position || '?'),
        loc.temperature != null ? h('span.muted', ` · ${loc.temperature} °C`) : null),
      h('p.actions',
        h('a.button.secondary', { href: `#/container/${encodeURIComponent(box)}?highlight=${encodeURIComponent(s.barcode)}` }, 'Show in box'),
        can(user, 'specimen') && !['depleted', 'destroyed', 'distributed'].includes(s.status)
          ? h('a.button.secondary#move-on-map', { href: `#/container/${encodeURIComponent(box)}?move=${encodeURIComponent(s.barcode)}` }, 'Move on the box map') : null),
    ] : h('p.muted', 'Not in storage.'));
}

/** Differences between an audit event's before and after. */
function changes(e) {
  const b = e.before || {}, a = e.after || {};
  if (!e.before) return '';
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => String(b[k] ?? '') !== String(a[k] ?? ''));
  return keys.map((k) => `${words(k)}: ${b[k] ?? '—'} → ${a[k] ?? '—'}`).join('; ');
}

function auditSection(s) {
  const ev = (s.audit || s.history || []).slice().reverse();
  return h('section.card.wide#audit', { 'aria-labelledby': 'audit-h' },
    h('h2#audit-h', 'Audit history'),
    ev.length ? h('div.table-wrap', h('table.data',
      h('caption.visually-hidden', 'Audit history, newest first'),
      h('thead', h('tr', ['Time (UTC)', 'Who', 'Action', 'Reason', 'Change'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', ev.map((e) => h('tr',
        h('td.nowrap', fmtTime(e.at)),
        h('td', e.actor),
        h('td', words(String(e.action || '').replace(':', ' → '))),
        h('td', e.reason || ''),
        h('td.small', e.action === 'create' ? 'created' : changes(e)))))))
      : h('p.muted', 'No audit events.'));
}

function statusForm(s, ctx) {
  const next = NEXT_STATUS[s.status] || [];
  if (!next.length) return h('section.card.action', h('h3', 'Change status'), h('p.muted', `${words(s.status)} is final.`));
  const form = h('form.action#status-form', { novalidate: true },
    h('h3', 'Change status'),
    field('New status', select('status', [['', 'choose…'], ...next.map((x) => [x, words(x)])], '', { required: true })),
    field('Reason', h('textarea', { name: 'reason', rows: 2, required: true }), 'Kept in the audit trail.'),
    h('button', { type: 'submit' }, 'Change status'));
  form.addEventListener('submit', (ev) => submit(ev, form, ctx, async (v) => {
    if (!v.status) throw { field: 'status', message: 'Choose the new status.' };
    if (!v.reason) throw { field: 'reason', message: 'Give a reason: it goes into the audit trail.' };
    await post(`/api/specimens/${seg(s.barcode)}/status`, { status: v.status, reason: v.reason });
    return `Status changed to ${words(v.status)}.`;
  }));
  return h('section.card.action', form);
}

function aliquotForm(s, ctx) {
  const form = h('form.action#aliquot-form', { novalidate: true },
    h('h3', 'Aliquot'),
    h('div.grid-fields.tight',
      field('Quantity each', input('quantity', { inputmode: 'decimal', required: true })),
      field('Unit', select('unit', UNITS, s.unit)),
      field('How many', input('count', { inputmode: 'numeric', value: '1' }))),
    field('Box', input('container', { spellcheck: 'false', placeholder: s.container || 'scan the box' }), 'Leave empty to keep them unstored.'),
    field('Positions', input('positions', { placeholder: 'A1, A2, A3', spellcheck: 'false' }), 'One per aliquot, comma separated; empty: not stored.'),
    h('label.check', h('input', { type: 'checkbox', name: 'thawed', value: '1' }), ' the parent was thawed for this'),
    h('button', { type: 'submit' }, 'Make aliquots'));
  form.addEventListener('submit', (ev) => submit(ev, form, ctx, async (v) => {
    if (!v.quantity) throw { field: 'quantity', message: 'Give the quantity of each aliquot.' };
    const body = { quantity: Number(v.quantity), unit: v.unit, count: Number(v.count || 1), thawed: !!v.thawed };
    if (!Number.isFinite(body.quantity)) throw { field: 'quantity', message: 'The quantity is a number, like 0.5.' };
    if (!Number.isInteger(body.count) || body.count < 1) throw { field: 'count', message: 'How many: a whole number, 1 or more.' };
    if (v.container) body.container = v.container;
    if (v.positions) body.positions = v.positions.split(/[\s,;]+/).filter(Boolean);
    const r = await post(`/api/specimens/${seg(s.barcode)}/aliquots`, body);
    const made = (r && r.barcodes) || [];
    return made.length ? `Made ${made.length} aliquot${made.length === 1 ? '' : 's'}: ${made.join(', ')}.` : 'Aliquots made.';
  }));
  return h('section.card.action', form);
}

function moveForm(s, ctx) {
  const form = h('form.action#move-form', { novalidate: true },
    h('h3', 'Move'),
    h('div.grid-fields.move-fields',
      field('Box', input('container', { value: s.container || '', spellcheck: 'false', required: true })),
      field('Position', input('position', { spellcheck: 'false', placeholder: 'B3' }))),
    h('label.check', h('input', { type: 'checkbox', name: 'out', value: '1' }), ' take it out of storage'),
    h('button', { type: 'submit' }, 'Move'));
  form.addEventListener('submit', (ev) => submit(ev, form, ctx, async (v) => {
    const out = !!v.out;
    if (!out && !v.container) throw { field: 'container', message: 'Scan or type the box barcode.' };
    if (!out && !v.position) throw { field: 'position', message: 'Give the position in the box, like B3.' };
    await post(`/api/specimens/${seg(s.barcode)}/move`, out ? { container: null, position: null } : { container: v.container, position: v.position });
    return out ? 'Taken out of storage.' : `Moved to ${v.container} ${v.position.toUpperCase()}.`;
  }));
  return h('section.card.action', form);
}

function deriveForm(s, ctx) {
  const num = (name, attrs = {}) => input(name, { inputmode: 'decimal', ...attrs });
  const form = h('form.action#derive-form', { novalidate: true },
    h('h3', 'Derive'),
    h('div.grid-fields.tight',
      field('Type', select('type', DERIVED_TYPES.map((t) => [t, t === 'cfdna' ? 'cfDNA' : t.toUpperCase()]), 'dna')),
      field('Quantity', num('quantity', { required: true })),
      field('Unit', select('unit', UNITS, 'ul')),
      field(`Used (${s.unit || 'parent unit'})`, num('used')),
      field('Concentration (ng/µl)', num('concentration')),
      field('A260/280', num('a260_280')),
      field('RIN', num('rin')),
      field('DIN', num('din'))),
    h('div.grid-fields.move-fields',
      field('Box', input('container', { spellcheck: 'false' }), 'Leave empty: not stored yet.'),
      field('Position', input('position', { spellcheck: 'false', placeholder: 'A1' }))),
    h('button', { type: 'submit' }, 'Derive'));
  form.addEventListener('submit', (ev) => submit(ev, form, ctx, async (v) => {
    if (!v.quantity) throw { field: 'quantity', message: 'Give the quantity extracted.' };
    const body = { type: v.type, unit: v.unit };
    for (const k of ['quantity', 'used', 'concentration', 'a260_280', 'rin', 'din']) {
      if (!v[k]) continue;
      body[k] = Number(v[k]);
      if (!Number.isFinite(body[k])) throw { field: k, message: 'A number, like 0.5.' };
    }
    if (v.container) body.container = v.container;
    if (v.position) body.position = v.position.toUpperCase();
    const r = await post(`/api/specimens/${seg(s.barcode)}/derivatives`, body);
    const made = r && (r.barcode || (r.barcodes && r.barcodes[0]));
    return made ? `Derived ${v.type === 'cfdna' ? 'cfDNA' : v.type.toUpperCase()} ${made}.` : 'Derived.';
  }));
  return h('section.card.action', form);
}

function thawForm(s, ctx) {
  const form = h('form.action#thaw-form', { novalidate: true },
    h('h3', 'Thaw'),
    h('p.hint', `Counts one freeze-thaw cycle (now ${s.freeze_thaw ?? 0}).`),
    h('button.secondary', { type: 'submit' }, 'Count a thaw'));
  form.addEventListener('submit', (ev) => submit(ev, form, ctx, async () => {
    const r = await post(`/api/specimens/${seg(s.barcode)}/thaw`);
    return `Thaw counted: ${r && r.freeze_thaw != null ? r.freeze_thaw : (s.freeze_thaw || 0) + 1} freeze-thaw cycles.`;
  }));
  return h('section.card.action', form);
}

async function submit(ev, form, ctx, fn) {
  ev.preventDefault();
  clearErrors(form);
  const btn = form.querySelector('button[type=submit]');
  btn.disabled = true;
  try {
    flash = await fn(formValues(form));
    ctx.navigate(`/specimen/${seg(ctx.params.barcode)}`);
  } catch (err) {
    btn.disabled = false;
    showError(form, err);
  }
}

/**
 * The banners of a specimen whose donor withdrew consent (what the
 * withdrawal decided for the material), or whose donor's permitted uses
 * lack research or genetic analysis.
 */
function consentBanners(s, donor) {
  const out = [];
  if (s.consent_disposition) {
    const key = `withdrewBanner.${s.consent_disposition}`;
    out.push(h('div.banner.consent-banner#consent-banner', { role: 'alert', dataset: { disposition: s.consent_disposition } },
      h('strong', t(key) === key ? t('withdrewBannerOther', { disposition: s.consent_disposition }) : t(key)),
      h('p', t(`withdrewHint.${s.consent_disposition}`) === `withdrewHint.${s.consent_disposition}` ? '' : t(`withdrewHint.${s.consent_disposition}`))));
  }
  // After a full withdrawal the red banner says it all.
  const uses = donor && Array.isArray(donor.uses) ? donor.uses : (Array.isArray(s.donor_uses) ? s.donor_uses : null);
  if (uses && !s.consent_disposition) {
    const lacking = ['research', 'genetic'].filter((u) => !uses.includes(u));
    if (lacking.length) {
      out.push(h('div.banner.uses-banner#uses-banner', { role: 'status', dataset: { lacking: lacking.join(' ') } },
        h('strong', t('usesLack', { uses: lacking.map(useWords).join(t('listOr')) })),
        h('p', t('usesLackHint'))));
    }
  }
  return out;
}

/** Study, event and requirement as the facts show them. */
function studyFacts(s) {
  if (!s.study) return [];
  return [
    [t('study'), h('a.mono#specimen-study', { href: `#/study/${encodeURIComponent(s.study)}` }, s.study)],
    [t('event'), s.event ? h('span#specimen-event', s.event_label ? `${s.event} · ${s.event_label}` : s.event) : null],
    [t('requirement'), s.requirement ? h('span.mono#specimen-requirement', s.requirement) : null],
  ];
}

function lineageKind(s) {
  if (typeof s.lineage === 'string') return s.lineage;
  const me = Array.isArray(s.lineage) ? s.lineage.find((n) => n.barcode === s.barcode) : null;
  return (me && me.lineage) || (s.parent ? 'aliquot or derivative' : 'primary');
}

export async function render(main, ctx) {
  const barcode = ctx.params.barcode;
  main.append(h('h1.mono', barcode), loading());
  const path = `/api/specimens/${seg(barcode)}`;
  let s;
  const fieldsP = entityFields('specimen');
  fieldsP.catch(() => {});   // awaited below, once the record is there
  try {
    s = await get(path);
  } catch (err) {
    if (!ctx.current()) return;
    if (err.status === 404) {
      mount(main, h('h1', 'Not found'), notice('error', `No specimen with barcode ${barcode}.`),
        h('p', h('a', { href: '#/search' }, 'Search specimens')));
      return;
    }
    throw err;
  }
  // The donor's permitted uses, for the banner (none when not readable).
  const donorP = s.donor ? get(`/api/donors/${seg(s.donor_site || s.site)}/${seg(s.donor)}`).catch(() => null) : Promise.resolve(null);
  const [fields, hist, donor, shipped] = await Promise.all([fieldsP, loadHistory(path, s), donorP, specimenShipments(s.barcode)]);
  if (!ctx.current()) return;
  const msg = flash; flash = null;
  const user = ctx.user;
  const writable = can(user, 'specimen');
  const groups = byField(hist.changes, fields);
  const pre = s.preanalytics || {};
  // A pathologist corrects what they read; the pre-analytical record is the
  // primary specimen's, corrected there (docs/specimens.md).
  const primary = lineageKind(s) === 'primary';
  const offered = fields.filter((f) => (writable || PATHOLOGY_FIELDS.includes(f.name))
    && (primary || !(PREANALYTICAL_FIELDS.includes(f.name) || f.name in pre)));
  const correct = can(user, 'pathology') ? correctionAction({
    path, fields: offered,
    current: (n) => (n in s ? s[n] : pre[n]),
    onSaved: (rec, said) => { setCorrectionFlash(path, said); ctx.navigate(`/specimen/${seg(s.barcode)}`); },
  }) : null;
  mount(main,
    h('div.page-head',
      h('div', h('h1.mono', s.barcode),
        h('p.lead', words(s.type), ' · ', statusBadge(s.status), s.label ? h('span.muted', ` · ${s.label}`) : null,
          ' · ', `${fmtNum(s.quantity)} ${s.unit || ''} left`)),
      h('div.head-actions', correct ? correct.button : null, labelButton('specimens', s.barcode))),
    consentBanners(s, donor),
    msg ? notice('ok', msg) : null,
    takeCorrectionFlash(path),
    correct ? correct.panel : null,
    h('div.specimen-grid',
      h('section.card#details', { 'aria-labelledby': 'details-h' },
        h('h2#details-h', 'Details'),
        dl([
          ['Label', s.label, ['label']],
          ['Type', words(s.type), ['type']],
          ['Lineage', [words(lineageKind(s)),
            s.parent ? [' of ', h('a.mono', { href: `#/specimen/${encodeURIComponent(s.parent)}` }, s.parent)] : null]],
          ['Donor', s.donor ? `${s.donor}${s.donor_site && s.donor_site !== s.site ? ` (${s.donor_site})` : ''}` : null],
          ['Site', s.site],
          ...studyFacts(s),
          ['Quantity', `${fmtNum(s.quantity)} ${s.unit || ''}${s.initial_quantity != null ? ` of ${fmtNum(s.initial_quantity)} ${s.unit || ''}` : ''}`, ['quantity', 'initial_quantity', 'unit']],
          ['Collected', fmtTime(s.collected_at), ['collected_at']],
          ['Anatomic site', s.anatomic_site, ['anatomic_site']],
          ['Pathology', s.pathology ? h('span#pathology-value', `${s.pathology}${s.tumour_pct != null ? ` (${fmtNum(s.tumour_pct)} % tumour)` : ''}`) : null, ['pathology', 'tumour_pct']],
          ['Freeze-thaw cycles', s.freeze_thaw],
          ['Concentration', s.concentration != null ? `${fmtNum(s.concentration)} ng/µl` : null, ['concentration']],
          ['A260/280', s.a260_280 != null ? fmtNum(s.a260_280) : null, ['a260_280']],
          ['RIN', s.rin != null ? fmtNum(s.rin) : null, ['rin']],
          ['DIN', s.din != null ? fmtNum(s.din) : null, ['din']],
        ], groups)),
      storageSection(s, user),
      sprecSection(s),
      lineageSection(s)),
    writable ? h('section#actions', { 'aria-labelledby': 'actions-h' },
      h('h2#actions-h', 'Actions'),
      h('div.action-grid', statusForm(s, ctx), moveForm(s, ctx), aliquotForm(s, ctx),
        !['depleted', 'destroyed', 'distributed'].includes(s.status) ? [deriveForm(s, ctx), thawForm(s, ctx)] : null)) : null,
    specimenShipmentsSection(shipped),
    sequencingSection(s, writable, (msg) => { flash = msg; ctx.navigate(`/specimen/${seg(s.barcode)}`); }),
    historySection(hist, groups),
    auditSection(s));
}
