// studies.js - #/studies (GET/POST /api/studies) and #/study/CODE (GET
// /api/studies/{code}): a study's details with Correct and Close (PATCH with
// a reason), its sites, consent forms, events and their specimen
// requirements, members, participants, accrual (site x event) and the
// worklist of due specimens, each with Collect (#/collect prefilled), Print
// worklist and Download CSV. Texts through js/i18n.js.
import { get, post, api, blob, url, seg } from './api.js';
import { h, mount, field, select, input, loading, notice, fmtNum, words, showError, clearErrors, formValues } from './dom.js';
import { can, TYPES, UNITS, PATHOLOGIES } from './model.js';
import { sites } from './search.js';
import { t, fieldLabel } from './i18n.js';
import { versionOf } from './consent.js';
import { entityFields, loadHistory, byField, historySection, historyButton, correctionAction, setCorrectionFlash, takeCorrectionFlash } from './corrections.js';

let flash = null;   // shown once after an action re-renders the page

const today = () => new Date().toISOString().slice(0, 10);
const day = (v) => String(v || '').slice(0, 10);
const studyPath = (code) => `/study/${seg(code)}`;
const listOf = (r, key) => (Array.isArray(r) ? r : (r && (r[key] || r.items)) || []);

export const STUDY_STATUSES = ['draft', 'active', 'closed'];
export const MEMBER_ROLES = ['investigator', 'coordinator'];

/** The studies the user reads (cached for the collect and search pages); [] when not served. */
let studiesCache = null;
export async function studyList(fresh) {
  if (studiesCache && !fresh) return studiesCache;
  try { studiesCache = listOf(await get('/api/studies'), 'studies'); } catch { return []; }
  return studiesCache;
}
export function forgetStudies() { studiesCache = null; }

/** One study, or null when there is none (or no such route yet). */
export async function studyOf(code) {
  try { return await get(`/api/studies/${seg(code)}`); } catch { return null; }
}

/** Days from today to an ISO day (negative: past); null when none. */
function daysTo(iso) {
  const d = day(iso);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) return null;
  return Math.round((Date.parse(`${d}T00:00:00Z`) - Date.parse(`${today()}T00:00:00Z`)) / 86400000);
}

/** The ethics expiry, highlighted when past or within 30 days. */
export function expiry(iso) {
  const n = daysTo(iso);
  if (n === null) return h('span.muted', t('noExpiry'));
  if (n < 0) return h('span.expiry.expired', day(iso), ' ', h('span.badge.st-missing', t('expired')));
  if (n <= 30) return h('span.expiry.expiring', day(iso), ' ', h('span.badge.st-reserved', t('expiresIn', { n })));
  return h('span.expiry', day(iso));
}

export function studyStatus(s) {
  return h(`span.badge.study-${s || 'unknown'}`, t(`studyStatus.${s}`) === `studyStatus.${s}` ? words(s) : t(`studyStatus.${s}`));
}

/** Runs fn(values) on submit; on success shows flash and re-renders at path (or what fn returns). */
function onSubmit(form, ctx, fn) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const [msg, path, query] = await fn(formValues(form));
      flash = msg;
      ctx.navigate(path, query);
    } catch (err) {
      btn.disabled = false;
      showError(form, err);
    }
  });
  return form;
}

function need(v, name, key) {
  if (!v[name]) throw { field: name, message: `${fieldLabel(name)}: ${t(key || 'needGiven')}` };
  return v[name];
}

function typeSelect(name, value, anyText) {
  return h('select', { name },
    h('option', { value: '' }, anyText || t('choose')),
    TYPES.map(([group, list]) => h('optgroup', { label: group }, list.map((x) => h('option', { value: x, selected: x === value }, words(x))))));
}

// ---- the list ---------------------------------------------------------------------

function newStudyForm(ctx, siteList, forms) {
  const checks = (name, list) => h('div.field', { dataset: { field: name } },
    h('fieldset.checks', h('legend', name === 'sites' ? t('studySites') : t('consentForms')),
      list.map(([v, text]) => h('label.check', h('input', { type: 'checkbox', name, value: v }), ' ', text))),
    h('p.field-error', { role: 'alert', hidden: true }));
  const form = h('form.card#study-form', { novalidate: true },
    h('h2', t('newStudy')),
    h('div.grid-fields',
      field(fieldLabel('code'), input('code', { spellcheck: 'false', required: true, autocomplete: 'off', placeholder: 'BRCA-2027' })),
      field(fieldLabel('title'), input('title', { required: true })),
      field(fieldLabel('status'), select('status', STUDY_STATUSES.slice(0, 2).map((x) => [x, t(`studyStatus.${x}`)]), 'active')),
      field(fieldLabel('pi'), input('pi', { spellcheck: 'false', autocomplete: 'off' }), t('piHint')),
      field(fieldLabel('ethics_ref'), input('ethics_ref', { spellcheck: 'false' })),
      field(fieldLabel('ethics_approved_on'), input('ethics_approved_on', { type: 'date' })),
      field(fieldLabel('ethics_expires_on'), input('ethics_expires_on', { type: 'date' })),
      field(fieldLabel('ppid_format'), input('ppid_format', { spellcheck: 'false', placeholder: '^BR[0-9]{4}$' }), t('ppidHint'))),
    siteList.length ? checks('sites', siteList.map((x) => [x.code, `${x.code} · ${x.name || ''}`])) : null,
    forms.length ? checks('forms', forms.map((f) => [versionOf(f), `${versionOf(f)} · ${f.title || ''}`])) : null,
    h('button', { type: 'submit' }, t('createStudy')));
  return onSubmit(form, ctx, async (v) => {
    need(v, 'code');
    need(v, 'title');
    const body = {};
    for (const [k, x] of Object.entries(v)) if (x !== '' && !(Array.isArray(x) && !x.length)) body[k] = x;
    const s = await post('/api/studies', body);
    forgetStudies();
    return [t('studyCreated', { code: (s && s.code) || v.code }), studyPath((s && s.code) || v.code)];
  });
}

async function renderList(main, ctx) {
  main.append(h('h1', t('studies')), loading());
  const manage = can(ctx.user, 'study');
  const [r, siteList, forms] = await Promise.all([get('/api/studies'),
    manage ? sites(ctx.user) : [], manage ? get('/api/consent-forms').catch(() => null) : null]);
  const list = listOf(r, 'studies');
  if (!ctx.current()) return;
  studiesCache = list;
  const msg = flash; flash = null;
  const cols = [fieldLabel('code'), fieldLabel('title'), fieldLabel('status'), fieldLabel('ethics_expires_on'), t('participants')];
  mount(main,
    h('h1', t('studies')),
    h('p.lead', t('studiesIntro')),
    msg ? notice('ok', msg) : null,
    h('section#study-list', { 'aria-labelledby': 'study-list-h' },
      h('h2#study-list-h', t('studyCount', { n: list.length })),
      list.length ? h('div.table-wrap', h('table.data.studies',
        h('caption.visually-hidden', t('studies')),
        h('thead', h('tr', cols.map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', list.map((s) => h('tr', { dataset: { study: s.code } },
          h('td', h('a.mono', { href: `#${studyPath(s.code)}` }, s.code)),
          h('td', s.title || ''),
          h('td', studyStatus(s.status)),
          h('td.study-expiry', expiry(s.ethics_expires_on)),
          h('td.num', s.participants ?? '')))))) : h('p.muted', t('noStudies'))),
    manage ? newStudyForm(ctx, siteList, listOf(forms, 'forms').filter(versionOf)) : null);
}

// ---- one study: its parts ---------------------------------------------------------

function closeAction(s, ctx, path) {
  const reason = h('textarea', { name: 'reason', rows: 2, required: true, maxlength: 1000 });
  const form = h('form#close-form', { novalidate: true, 'aria-labelledby': 'close-h' },
    h('h2#close-h', t('closeStudy')),
    h('p.hint', t('closeIntro')),
    field(t('reason'), reason, t('reasonHint')),
    h('p.actions', h('button.danger', { type: 'submit' }, t('closeStudy')),
      h('button.secondary', { type: 'button', onclick: () => toggle(false) }, t('cancel'))));
  const panel = h('section.card.correct-panel#close-panel', { hidden: true }, form);
  const button = h('button.secondary#close-open', { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'close-panel', onclick: () => toggle(panel.hidden) }, t('close'));
  function toggle(open) {
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) reason.focus(); else button.focus();
  }
  panel.addEventListener('keydown', (ev) => { if (ev.key === 'Escape') { ev.preventDefault(); toggle(false); } });
  onSubmit(form, ctx, async (v) => {
    if (!v.reason) throw { field: 'reason', message: t('needReason') };
    await api('PATCH', path, { body: { reason: v.reason, status: 'closed' } });
    forgetStudies();
    return [t('studyClosed', { code: s.code }), studyPath(s.code)];
  });
  return { button, panel };
}

function detailsSection(s, groups) {
  const row = (name, value) => [h('dt', fieldLabel(name)), h('dd', { id: `study-${name.replace(/_/g, '-')}` }, value ?? '', historyButton(name, groups))];
  return h('section.card#study-details', { 'aria-labelledby': 'study-details-h' },
    h('h2#study-details-h', t('details')),
    h('dl.facts',
      row('title', s.title),
      row('status', studyStatus(s.status)),
      row('pi', s.pi || h('span.muted', '—')),
      row('ethics_ref', s.ethics_ref || h('span.muted', '—')),
      row('ethics_approved_on', day(s.ethics_approved_on) || h('span.muted', '—')),
      row('ethics_expires_on', expiry(s.ethics_expires_on)),
      row('ppid_format', s.ppid_format ? h('code', s.ppid_format) : h('span.muted', t('anyPpid')))));
}

function sitesSection(s, ctx, siteList, writable) {
  const mine = s.sites || [];
  const others = siteList.filter((x) => !mine.includes(x.code));
  const form = writable && others.length ? onSubmit(h('form.inline-form#study-site-form', { novalidate: true },
    field(t('addSite'), select('site', others.map((x) => [x.code, `${x.code} · ${x.name || ''}`]))),
    h('button', { type: 'submit' }, t('add'))), ctx, async (v) => {
    need(v, 'site');
    await post(`/api/studies/${seg(s.code)}/sites`, { site: v.site });
    return [t('siteAdded', { site: v.site }), studyPath(s.code)];
  }) : null;
  return h('section.card#study-sites', { 'aria-labelledby': 'study-sites-h' },
    h('h2#study-sites-h', t('studySites')),
    mine.length ? h('ul.chips', mine.map((c) => h('li', h('a.chip.mono', { href: `#/site/${seg(c)}` }, c)))) : h('p.muted', t('noSites')),
    form);
}

/** The consent forms the study uses, and adding one it does not use yet. */
function formsSection(s, ctx, formList, writable) {
  const mine = (s.forms || []).map((f) => (typeof f === 'string' ? f : versionOf(f)));
  const others = formList.map(versionOf).filter((v) => v && !mine.includes(v));
  const form = writable && others.length ? onSubmit(h('form.inline-form#study-form-form', { novalidate: true },
    field(t('addForm'), select('form_version', others.map((v) => [v, v]))),
    h('button', { type: 'submit' }, t('add'))), ctx, async (v) => {
    need(v, 'form_version');
    await post(`/api/studies/${seg(s.code)}/forms`, { form_version: v.form_version });
    return [t('formAdded', { form: v.form_version }), studyPath(s.code)];
  }) : null;
  return h('section.card#study-forms', { 'aria-labelledby': 'study-forms-h' },
    h('h2#study-forms-h', t('consentForms')),
    mine.length ? h('ul.chips', mine.map((v) => h('li', h('a.chip', { href: `#/consent-form/${seg(v)}` }, v)))) : h('p.muted', t('noForms')),
    form);
}

function requirementText(r) {
  return [words(r.type), r.pathology ? words(r.pathology) : null, r.anatomic_site || null].filter(Boolean).join(' · ');
}

function eventsSection(s, ctx, writable) {
  const events = (s.events || []).slice().sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  const cols = [fieldLabel('code'), t('requirement'), fieldLabel('count'), fieldLabel('quantity'), fieldLabel('processing')];
  const eventForm = writable ? onSubmit(h('form.action#event-form', { novalidate: true },
    h('h3', t('addEvent')),
    h('div.grid-fields.tight',
      field(fieldLabel('code'), input('code', { spellcheck: 'false', required: true, placeholder: 'BASELINE' })),
      field(fieldLabel('label'), input('label', { required: true })),
      field(fieldLabel('day'), input('day', { inputmode: 'numeric', value: '0' }), t('dayHint'))),
    h('button', { type: 'submit' }, t('addEvent'))), ctx, async (v) => {
    need(v, 'code');
    need(v, 'label');
    const d = Number(v.day || 0);
    if (!Number.isInteger(d)) throw { field: 'day', message: `${fieldLabel('day')}: ${t('notInteger')}` };
    await post(`/api/studies/${seg(s.code)}/events`, { code: v.code, label: v.label, day: d });
    return [t('eventAdded', { code: v.code }), studyPath(s.code)];
  }) : null;
  const reqForm = writable && events.length ? onSubmit(h('form.action#requirement-form', { novalidate: true },
    h('h3', t('addRequirement')),
    h('div.grid-fields.tight',
      field(t('event'), select('event', events.map((e) => [e.code, `${e.code} · ${e.label || ''}`]))),
      field(fieldLabel('code'), input('code', { spellcheck: 'false', required: true, placeholder: 'PLASMA' })),
      field(fieldLabel('type'), typeSelect('type')),
      field(fieldLabel('pathology'), select('pathology', [['', t('notGiven')], ...PATHOLOGIES.map((x) => [x, words(x)])])),
      field(fieldLabel('anatomic_site'), input('anatomic_site', { spellcheck: 'false' })),
      field(fieldLabel('count'), input('count', { inputmode: 'numeric', value: '1' })),
      field(fieldLabel('quantity'), input('quantity', { inputmode: 'decimal' })),
      field(fieldLabel('unit'), select('unit', ['', ...UNITS]))),
    field(fieldLabel('processing'), input('processing'), t('processingHint')),
    h('button', { type: 'submit' }, t('addRequirement'))), ctx, async (v) => {
    need(v, 'code');
    if (!v.type) throw { field: 'type', message: `${fieldLabel('type')}: ${t('needChoice')}` };
    const count = Number(v.count || 1);
    if (!Number.isInteger(count) || count < 1) throw { field: 'count', message: `${fieldLabel('count')}: ${t('notCount')}` };
    const body = { code: v.code, type: v.type, count };
    if (v.quantity) {
      body.quantity = Number(v.quantity.replace(',', '.'));
      if (!Number.isFinite(body.quantity)) throw { field: 'quantity', message: `${fieldLabel('quantity')}: ${t('notNumber')}` };
    }
    for (const k of ['pathology', 'anatomic_site', 'unit', 'processing']) if (v[k]) body[k] = v[k];
    await post(`/api/studies/${seg(s.code)}/events/${seg(v.event)}/requirements`, body);
    return [t('requirementAdded', { code: v.code, event: v.event }), studyPath(s.code)];
  }) : null;
  return h('section.card.wide#study-events', { 'aria-labelledby': 'study-events-h' },
    h('h2#study-events-h', t('events')),
    events.length ? events.map((e) => h('div.event', { dataset: { event: e.code } },
      h('h3', h('span.mono', e.code), ' ', e.label || '', ' ', h('span.muted', t('dayN', { n: e.day ?? 0 }))),
      (e.requirements || []).length ? h('div.table-wrap', h('table.data.requirements',
        h('caption.visually-hidden', t('requirementsOf', { event: e.code })),
        h('thead', h('tr', cols.map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', e.requirements.map((r) => h('tr', { dataset: { requirement: r.code } },
          h('td.mono', r.code), h('td', requirementText(r)), h('td.num', r.count ?? 1),
          h('td.num', r.quantity != null ? `${fmtNum(r.quantity)} ${r.unit || ''}` : ''),
          h('td', r.processing || ''))))))
        : h('p.muted', t('noRequirements'))))
      : h('p.muted', t('noEvents')),
    eventForm || reqForm ? h('div.action-grid', eventForm ? h('section.card.action', eventForm) : null,
      reqForm ? h('section.card.action', reqForm) : null) : null);
}

function membersSection(s, ctx, writable) {
  const members = s.members || [];
  const status = h('div#members-status', { 'aria-live': 'polite' });
  async function remove(m, btn) {
    if (!window.confirm(t('removeMemberAsk', { user: m.user }))) return;
    btn.disabled = true;
    try {
      await api('DELETE', `/api/studies/${seg(s.code)}/members/${seg(m.user)}`);
      flash = t('memberRemoved', { user: m.user });
      ctx.navigate(studyPath(s.code));
    } catch (err) {
      btn.disabled = false;
      mount(status, notice('error', err.message));
    }
  }
  const form = writable ? onSubmit(h('form.inline-form#member-form', { novalidate: true },
    field(t('username'), input('user', { spellcheck: 'false', autocapitalize: 'none', autocomplete: 'off' })),
    field(t('studyRole'), select('role', MEMBER_ROLES.map((r) => [r, t(`memberRole.${r}`)]))),
    h('button', { type: 'submit' }, t('addMember'))), ctx, async (v) => {
    need(v, 'user');
    await post(`/api/studies/${seg(s.code)}/members`, { user: v.user, role: v.role });
    return [t('memberAdded', { user: v.user }), studyPath(s.code)];
  }) : null;
  return h('section.card#study-members', { 'aria-labelledby': 'study-members-h' },
    h('h2#study-members-h', t('members')),
    status,
    members.length ? h('ul.plain.members', members.map((m) => h('li', { dataset: { user: m.user } },
      h('strong', m.user), ' · ', t(`memberRole.${m.role}`),
      writable ? [' ', h('button.secondary.small-button', {
        type: 'button', 'aria-label': t('removeMember', { user: m.user }), onclick: (ev) => remove(m, ev.currentTarget),
      }, t('remove'))] : null)))
      : h('p.muted', t('noMembers')),
    form);
}

function participantsSection(s, ctx, parts, enrol) {
  const cols = [fieldLabel('ppid'), fieldLabel('site'), fieldLabel('donor'), fieldLabel('enrolled_on'), t('state')];
  const form = enrol && (s.sites || []).length && s.status !== 'closed' ? onSubmit(h('form.action#enrol-form', { novalidate: true },
    h('h3', t('enrol')),
    h('div.grid-fields.tight',
      field(fieldLabel('site'), select('site', s.sites, ctx.user.site && s.sites.includes(ctx.user.site) ? ctx.user.site : s.sites[0])),
      field(t('donorCode'), input('donor', { spellcheck: 'false', required: true })),
      field(fieldLabel('ppid'), input('ppid', { spellcheck: 'false', required: true }), s.ppid_format ? t('ppidMust', { format: s.ppid_format }) : null),
      field(fieldLabel('enrolled_on'), input('date', { type: 'date', value: today(), max: today() }))),
    h('button', { type: 'submit' }, t('enrol'))), ctx, async (v) => {
    need(v, 'donor');
    need(v, 'ppid');
    if (!v.date) throw { field: 'date', message: `${fieldLabel('enrolled_on')}: ${t('needGiven')}` };
    await post(`/api/studies/${seg(s.code)}/participants`, { site: v.site, donor: v.donor, ppid: v.ppid, date: v.date });
    return [t('enrolled', { donor: v.donor, ppid: v.ppid }), studyPath(s.code)];
  }) : null;
  return h('section.card#study-participants', { 'aria-labelledby': 'study-participants-h' },
    h('h2#study-participants-h', t('participantCount', { n: parts.length })),
    parts.length ? h('div.table-wrap', h('table.data.participants',
      h('caption.visually-hidden', t('participants')),
      h('thead', h('tr', cols.map((x) => h('th', { scope: 'col' }, x)))),
      h('tbody', parts.map((p) => h('tr', { dataset: { ppid: p.ppid }, class: p.withdrawn ? 'withdrawn-row' : null },
        h('td.mono', p.ppid), h('td', p.site),
        h('td', h('a.mono', { href: `#/donor/${seg(p.site)}/${seg(p.donor)}` }, p.donor)),
        h('td', day(p.enrolled_on)),
        h('td', p.withdrawn ? h('span.badge.st-destroyed', t('withdrawn')) : h('span.muted', t('enrolledState')))))))) : h('p.muted', t('noParticipants')),
    form);
}

function accrualSection(s, acc) {
  const rows = (acc && acc.rows) || [];
  const events = (s.events || []).slice().sort((a, b) => (a.position ?? 0) - (b.position ?? 0)).map((e) => e.code);
  for (const r of rows) if (!events.includes(r.event)) events.push(r.event);
  const siteCodes = [...new Set([...(s.sites || []), ...rows.map((r) => r.site)])];
  const cell = (site, ev) => rows.find((r) => r.site === site && r.event === ev);
  return h('section.card#study-accrual', { 'aria-labelledby': 'study-accrual-h' },
    h('h2#study-accrual-h', t('accrual'), acc && acc.enrolled != null ? h('span.muted.small', ` · ${t('enrolledN', { n: acc.enrolled })}`) : null),
    rows.length && events.length ? h('div.table-wrap', h('table.data.accrual',
      h('caption.visually-hidden', t('accrualCaption')),
      h('thead', h('tr', h('th', { scope: 'col' }, fieldLabel('site')), events.map((e) => h('th.num', { scope: 'col' }, e)))),
      h('tbody', siteCodes.map((site) => h('tr', { dataset: { site } },
        h('th', { scope: 'row' }, site),
        events.map((ev) => {
          const c = cell(site, ev);
          if (!c) return h('td.num.muted', '—');
          const done = Number(c.collected) >= Number(c.planned) && Number(c.planned) > 0;
          return h('td.num', { class: done ? 'num done' : 'num', dataset: { event: ev } },
            h('span', { 'aria-label': t('collectedOfPlanned', { c: c.collected, p: c.planned }) }, `${c.collected}/${c.planned}`));
        }))))))
      : h('p.muted', t('noAccrual')),
    h('p.hint', t('accrualHint')));
}

/** The #/collect address for a due row, prefilled. */
export function collectHref(s, r) {
  const q = { site: r.site, donor: r.donor, study: s.code, event: r.event, requirement: r.requirement, type: r.type, quantity: r.quantity ?? '', unit: r.unit || '' };
  return `#/collect?${new URLSearchParams(Object.entries(q).filter(([, v]) => v !== '' && v != null))}`;
}

function worklistSection(s, ctx, wl, mayCollect) {
  const q = ctx.query;
  const due = (wl && wl.due) || [];
  const events = (s.events || []).slice().sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
  const filter = h('form.inline-form.no-print#worklist-filter', { novalidate: true, 'aria-label': t('worklistFilters') },
    field(fieldLabel('site'), select('site', [['', t('anySite')], ...(s.sites || []).map((c) => [c, c])], q.site)),
    field(t('event'), select('event', [['', t('allEvents')], ...events.map((e) => [e.code, `${e.code} · ${e.label || ''}`])], q.event)),
    h('button', { type: 'submit' }, t('show')));
  filter.addEventListener('submit', (ev) => { ev.preventDefault(); ctx.navigate(studyPath(s.code), formValues(filter)); });
  const status = h('p.notice', { role: 'status', hidden: true });
  const download = async () => {
    try {
      const b = await blob(url(`/api/studies/${seg(s.code)}/worklist`, { format: 'csv', site: q.site, event: q.event }));
      const u = URL.createObjectURL(b);
      const a = h('a', { href: u, download: `worklist-${s.code}.csv` });
      document.body.append(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(u), 60000);
      status.hidden = true;
    } catch (err) {
      status.textContent = `${t('downloadCsv')}: ${err.message}`;
      status.className = 'notice error';
      status.hidden = false;
    }
  };
  const print = () => {
    document.body.classList.add('print-worklist');
    const done = () => { document.body.classList.remove('print-worklist'); window.removeEventListener('afterprint', done); };
    window.addEventListener('afterprint', done);
    window.print();
  };
  const cols = [fieldLabel('ppid'), fieldLabel('site'), fieldLabel('donor'), t('event'), t('dueOn'), t('requirement'), t('expected'), fieldLabel('processing')];
  return h('section.card.wide#worklist', { 'aria-labelledby': 'worklist-h' },
    h('div.page-head',
      h('h2#worklist-h', t('worklist'), ' ', h('span.muted.small', t('dueCount', { n: due.length }))),
      h('div.head-actions.no-print',
        h('button.secondary#worklist-print', { type: 'button', onclick: print }, t('printWorklist')),
        h('button.secondary#worklist-csv', { type: 'button', onclick: download }, t('downloadCsv')))),
    h('p.print-only', `${s.code} · ${s.title || ''}${q.site ? ` · ${q.site}` : ''}${q.event ? ` · ${q.event}` : ''} · ${today()}`),
    filter,
    status,
    due.length ? h('div.table-wrap', h('table.data.worklist',
      h('caption.visually-hidden', t('worklistCaption', { code: s.code })),
      h('thead', h('tr', cols.map((x) => h('th', { scope: 'col' }, x)), mayCollect ? h('th.no-print', { scope: 'col' }, h('span.visually-hidden', t('collect'))) : null)),
      h('tbody', due.map((r) => {
        const late = daysTo(r.due_on);
        return h('tr', { dataset: { ppid: r.ppid, event: r.event, requirement: r.requirement } },
          h('td.mono', r.ppid), h('td', r.site),
          h('td', h('a.mono', { href: `#/donor/${seg(r.site)}/${seg(r.donor)}` }, r.donor)),
          h('td', r.event_label || r.event),
          h('td.nowrap', day(r.due_on), late !== null && late < 0 ? [' ', h('span.badge.st-reserved', t('overdue'))] : null),
          h('td', h('span.mono', r.requirement), ' ', words(r.type), r.quantity != null ? ` · ${fmtNum(r.quantity)} ${r.unit || ''}` : ''),
          h('td.num', { 'aria-label': t('missingOf', { m: r.missing ?? r.expected, e: r.expected }) }, `${r.collected ?? 0}/${r.expected ?? 1}`),
          h('td', r.processing || ''),
          mayCollect ? h('td.no-print', h('a.button.secondary.collect-due', {
            href: collectHref(s, r), 'aria-label': t('collectFor', { ppid: r.ppid, requirement: r.requirement }),
          }, t('collect'))) : null);
      }))))
      : h('p.muted#worklist-empty', t('nothingDue')));
}

// ---- one study: the page ----------------------------------------------------------

/** Whether user may change the study: administrators and biobank managers (the server's rule). */
function mayManage(user) {
  return can(user, 'study');
}

async function renderStudy(main, ctx) {
  const code = ctx.params.code;
  const path = `/api/studies/${seg(code)}`;
  main.append(h('h1', t('studyTitle', { code })), loading());
  let s;
  try {
    s = await get(path);
  } catch (err) {
    if (!ctx.current()) return;
    if (err.status === 404) {
      mount(main, h('h1', t('studyTitle', { code })), notice('error', t('studyNotFound', { code })), h('p', h('a', { href: '#/studies' }, t('allStudies'))));
      return;
    }
    throw err;
  }
  const quiet = (p) => p.catch(() => null);
  const [fields, hist, partsR, acc, wl, siteList, formsR] = await Promise.all([
    entityFields('study'), loadHistory(path, s),
    quiet(get(`${path}/participants`)), quiet(get(`${path}/accrual`)),
    quiet(get(`${path}/worklist`, { site: ctx.query.site, event: ctx.query.event })),
    sites(ctx.user), mayManage(ctx.user) ? quiet(get('/api/consent-forms')) : null]);
  if (!ctx.current()) return;
  const msg = flash; flash = null;
  const writable = mayManage(ctx.user);
  const groups = byField(hist.changes, fields);
  const correct = writable ? correctionAction({
    path, fields,
    current: (n) => s[n],
    choices: { status: STUDY_STATUSES.map((x) => [x, t(`studyStatus.${x}`)]) },
    onSaved: (rec, said) => { forgetStudies(); setCorrectionFlash(path, said); ctx.navigate(studyPath(s.code)); },
  }) : null;
  const closer = writable && s.status !== 'closed' ? closeAction(s, ctx, path) : null;
  const parts = listOf(partsR, 'participants');
  mount(main,
    h('div.page-head',
      h('div', h('h1', t('study'), ' ', h('span.mono', s.code)),
        h('p.lead', h('span#study-title', s.title || ''), ' · ', studyStatus(s.status), ' · ', t('ethicsExpires'), ' ', expiry(s.ethics_expires_on))),
      h('div.head-actions.no-print', correct ? correct.button : null, closer ? closer.button : null,
        h('a.button.secondary', { href: '#/studies' }, t('allStudies')))),
    msg ? notice('ok', msg) : null,
    takeCorrectionFlash(path),
    correct ? correct.panel : null,
    closer ? closer.panel : null,
    h('div.specimen-grid',
      detailsSection(s, groups),
      h('div',
        sitesSection(s, ctx, siteList, writable),
        formsSection(s, ctx, listOf(formsR, 'forms'), writable),
        membersSection(s, ctx, writable))),
    eventsSection(s, ctx, writable),
    h('div.specimen-grid',
      participantsSection(s, ctx, parts, can(ctx.user, 'donor') || writable),
      accrualSection(s, acc)),
    worklistSection(s, ctx, wl, can(ctx.user, 'collect') && s.status === 'active'),
    historySection(hist, groups));
}

export async function render(main, ctx) {
  if (ctx.params.code) return renderStudy(main, ctx);
  return renderList(main, ctx);
}
