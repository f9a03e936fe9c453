// donors.js - #/donors?site= (GET /api/donors) and #/donor/SITE/CODE (GET
// /api/donors/{site}/{code}): diagnoses, consents statement by statement
// and the permitted uses (js/consent.js), each field's history; and, by
// role, register a donor, record a consent on a form version, withdraw it
// (fully or one statement), record a diagnosis, correct the sex or birth year,
// correct a diagnosis (PATCH .../diagnoses/{id}: topography, morphology,
// diagnosed_on).
import { get, post, seg } from './api.js';
import { h, mount, field, select, input, loading, notice, fmtTime, showError, clearErrors, formValues } from './dom.js';
import { can, CONSENT_SCOPES, SEXES } from './model.js';
import { sites } from './search.js';
import { entityFields, loadHistory, byField, historySection, historyButton, correctionAction, setCorrectionFlash, takeCorrectionFlash } from './corrections.js';
import { t } from './i18n.js';
import { consentForms, recordConsentForm, withdrawAction, consentCard, coded, useChips, useWords, enrolmentsList } from './consent.js';

let flash = null;   // shown once after an action re-renders the page

const today = () => new Date().toISOString().slice(0, 10);

/** Runs fn(values) for a form; on success shows flash and goes to path. */
function onSubmit(form, ctx, fn) {
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const [msg, path] = await fn(formValues(form));
      flash = msg;
      ctx.navigate(path);
    } catch (err) {
      btn.disabled = false;
      showError(form, err);
    }
  });
  return form;
}

const donorPath = (site, code) => `/donor/${seg(site)}/${seg(code)}`;

function registerForm(ctx, siteList, site) {
  const form = h('form.card#donor-form', { novalidate: true },
    h('h2', 'Register a donor'),
    h('div.grid-fields',
      field('Site', select('site', siteList.map((x) => [x.code, `${x.code} · ${x.name || ''}`]), site || ctx.user.site)),
      field('Donor code', input('code', { spellcheck: 'false', required: true }), 'Pseudonymous, unique within the site.'),
      field('Sex', select('sex', [['', 'not given'], ...SEXES])),
      field('Birth year', input('birth_year', { inputmode: 'numeric', placeholder: '1960' }))),
    h('button', { type: 'submit' }, 'Register donor'));
  return onSubmit(form, ctx, async (v) => {
    if (!v.code) throw { field: 'code', message: 'Give the donor code.' };
    const body = { site: v.site, code: v.code };
    if (v.sex) body.sex = v.sex;
    if (v.birth_year) {
      body.birth_year = Number(v.birth_year);
      if (!Number.isInteger(body.birth_year)) throw { field: 'birth_year', message: 'The birth year is a year, like 1960.' };
    }
    const d = await post('/api/donors', body);
    return [`Donor ${d.code || v.code} registered.`, donorPath(d.site || v.site, d.code || v.code)];
  });
}

async function renderList(main, ctx) {
  const siteList = await sites(ctx.user);
  const site = ctx.query.site || ctx.user.site || '';
  main.append(loading());
  const list = await get('/api/donors', { site });
  if (!ctx.current()) return;
  const rows = Array.isArray(list) ? list : list.items || [];
  const msg = flash; flash = null;
  const filter = h('form.card.filters#donor-filter', { novalidate: true },
    h('div.grid-fields',
      field('Site', select('site', [['', 'all in my scope'], ...siteList.map((x) => [x.code, `${x.code} · ${x.name || ''}`])], site))),
    h('button', { type: 'submit' }, 'Show'));
  filter.addEventListener('submit', (ev) => { ev.preventDefault(); ctx.navigate('/donors', formValues(filter)); });
  mount(main,
    h('h1', 'Donors'),
    msg ? notice('ok', msg) : null,
    filter,
    h('section#donor-list', { 'aria-labelledby': 'donor-list-h' },
      h('h2#donor-list-h', `${rows.length} donor${rows.length === 1 ? '' : 's'}`),
      rows.length ? h('div.table-wrap', h('table.data.donors',
        h('caption.visually-hidden', 'Donors'),
        h('thead', h('tr', ['Site', 'Code', 'Sex', 'Birth year', 'Consent'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', rows.map((d) => h('tr',
          h('td', d.site),
          h('td', h('a.mono', { href: `#${donorPath(d.site, d.code)}` }, d.code)),
          h('td', d.sex || ''),
          h('td.num', d.birth_year ?? ''),
          h('td', d.consent_withdrawn ? h('span.badge.st-destroyed', 'withdrawn') : '')))))) : h('p.muted', 'No donors.')),
    can(ctx.user, 'donor') ? registerForm(ctx, siteList, site) : null);
}

function scopeChecks(checked) {
  return h('fieldset.scopes', h('legend', 'Scope'),
    CONSENT_SCOPES.map((x) => h('label.check', h('input', { type: 'checkbox', name: 'scope', value: x, checked: checked.includes(x) }), ` ${x}`)));
}

function consentForm(d, ctx) {
  const form = h('form.action#consent-form', { novalidate: true },
    h('h3', 'Record a consent'),
    h('div.grid-fields.tight',
      field('Form version', input('form_version', { spellcheck: 'false', required: true, placeholder: 'v1.3' })),
      field('Signed on', input('signed_on', { type: 'date', value: today(), required: true }))),
    h('div.field', { dataset: { field: 'scope' } }, scopeChecks(['storage', 'research']),
      h('p.field-error', { role: 'alert', hidden: true })),
    h('button', { type: 'submit' }, 'Record consent'));
  return onSubmit(form, ctx, async (v) => {
    if (!v.form_version) throw { field: 'form_version', message: 'Give the version of the signed form.' };
    if (!v.signed_on) throw { field: 'signed_on', message: 'Give the date it was signed.' };
    if (!v.scope || !v.scope.length) throw { field: 'scope', message: 'Tick what the donor consented to.' };
    await post(`/api/donors/${seg(d.site)}/${seg(d.code)}/consents`, { form_version: v.form_version, signed_on: v.signed_on, scope: v.scope });
    return ['Consent recorded.', donorPath(d.site, d.code)];
  });
}

function withdrawForm(d, ctx) {
  const form = h('form.action#withdraw-form', { novalidate: true },
    h('h3', 'Withdraw consent'),
    field('Reason', h('textarea', { name: 'reason', rows: 2, required: true }), 'Kept in the audit trail.'),
    field('Date', input('date', { type: 'date', value: today() })),
    h('button.danger', { type: 'submit' }, 'Withdraw consent'));
  return onSubmit(form, ctx, async (v) => {
    if (!v.reason) throw { field: 'reason', message: 'Give a reason: it goes into the audit trail.' };
    if (!window.confirm(`Withdraw the consent of donor ${d.code} (${d.site})? Their specimens may no longer be used.`)) {
      throw { message: 'Not withdrawn.' };
    }
    const body = { reason: v.reason };
    if (v.date) body.date = v.date;
    await post(`/api/donors/${seg(d.site)}/${seg(d.code)}/withdrawal`, body);
    return ['Consent withdrawn.', donorPath(d.site, d.code)];
  });
}

function diagnosisForm(d, ctx) {
  const form = h('form.action#diagnosis-form', { novalidate: true },
    h('h3', 'Record a diagnosis'),
    h('div.grid-fields.tight',
      field('Topography', input('topography', { spellcheck: 'false', required: true, placeholder: 'C50.9' }), 'ICD-O-3'),
      field('Morphology', input('morphology', { spellcheck: 'false', required: true, placeholder: '8500/3' }), 'ICD-O-3'),
      field('Date', input('date', { type: 'date', value: today() }))),
    h('button', { type: 'submit' }, 'Record diagnosis'));
  return onSubmit(form, ctx, async (v) => {
    if (!v.topography) throw { field: 'topography', message: 'Give the topography, like C50.9.' };
    if (!v.morphology) throw { field: 'morphology', message: 'Give the morphology, like 8500/3.' };
    const body = { topography: v.topography.toUpperCase(), morphology: v.morphology };
    if (v.date) body.date = v.date;
    await post(`/api/donors/${seg(d.site)}/${seg(d.code)}/diagnoses`, body);
    return ['Diagnosis recorded.', donorPath(d.site, d.code)];
  });
}

/** A consent of the free form version with scopes (before coded consent). */
function oldConsent(c) {
  return h('li',
    h('strong', c.form_version || 'form'), ` signed ${fmtTime(c.signed_on)}`,
    h('div', (c.scope || []).map((x) => h('span.badge.scope', { dataset: { use: x } }, useWords(x))), (c.scope || []).length ? null : h('span.muted', 'no scope')),
    c.withdrawn_on ? h('p.withdrawn', h('span.badge.st-destroyed', 'withdrawn'),
      ` ${fmtTime(c.withdrawn_on)}${c.withdrawn_by ? ` by ${c.withdrawn_by}` : ''}${c.withdrawal_reason ? `: ${c.withdrawal_reason}` : ''}`) : null);
}

async function renderDonor(main, ctx) {
  const { site, code } = ctx.params;
  main.append(h('h1', `Donor ${code}`), loading());
  const path = `/api/donors/${seg(site)}/${seg(code)}`;
  const fieldsP = entityFields('donor');
  fieldsP.catch(() => {});   // awaited below, once the record is there
  const dxFieldsP = can(ctx.user, 'diagnosis') ? entityFields('diagnosis') : Promise.resolve(null);
  dxFieldsP.catch(() => {});
  let d;
  try {
    d = await get(path);
  } catch (err) {
    if (!ctx.current()) return;
    if (err.status === 404) {
      mount(main, h('h1', 'Not found'), notice('error', `No donor ${code} at ${site}.`), h('p', h('a', { href: '#/donors' }, 'All donors')));
      return;
    }
    throw err;
  }
  const [fields, hist, dxFields] = await Promise.all([fieldsP, loadHistory(path, d), dxFieldsP]);
  if (!ctx.current()) return;
  const msg = flash; flash = null;
  const groups = byField(hist.changes, fields);
  const correct = can(ctx.user, 'donor') ? correctionAction({
    path, fields,
    current: (n) => d[n],
    onSaved: (rec, said) => { setCorrectionFlash(path, said); ctx.navigate(donorPath(d.site, d.code)); },
  }) : null;
  // Each diagnosis its own Correct (the roles that record diagnoses), its
  // form below the table; the page comes back with what was corrected.
  const dxCorrect = new Map();
  for (const x of d.diagnoses || []) {
    if (!dxFields || x.id == null) continue;
    const what = `${x.topography || ''} ${x.morphology || ''}`.trim();
    const act = correctionAction({
      id: `dx-${x.id}`, path: `${path}/diagnoses/${seg(x.id)}`, fields: dxFields,
      current: (n) => (n === 'diagnosed_on' ? x.diagnosed_on ?? x.date : x[n]),
      title: t('correctDiagnosis', { what }), label: t('correctDiagnosisLabel', { what }),
      onSaved: (rec, said) => { setCorrectionFlash(path, said); ctx.navigate(donorPath(d.site, d.code)); },
    });
    if (act) dxCorrect.set(x.id, act);
  }
  const consents = d.consents || [];
  const current = consents.length ? consents[consents.length - 1] : null;
  // Coded consent (a form version's statements, each answered) when the
  // server keeps consent forms; the scopes of a free form version before.
  const forms = can(ctx.user, 'donor') ? await consentForms() : null;
  if (!ctx.current()) return;
  const isCoded = consents.some(coded) || (forms !== null && !consents.length);
  const live = consents.filter((c) => !c.withdrawn_on);
  const withdraw = can(ctx.user, 'donor') && live.length && coded(live[live.length - 1])
    ? withdrawAction(d, live[live.length - 1], (said) => { flash = said; ctx.navigate(donorPath(d.site, d.code)); }) : null;
  const actions = [];
  if (can(ctx.user, 'donor')) {
    if (forms && forms.length) actions.push(recordConsentForm(d, forms, (said) => { flash = said; ctx.navigate(donorPath(d.site, d.code)); }));
    else if (forms) actions.push(h('div', h('h3', t('recordConsent')), notice('info', t('noFormsToSign')), h('a', { href: '#/consent-forms' }, t('consentForms'))));
    else actions.push(consentForm(d, ctx));
    if (!withdraw && current && !current.withdrawn_on && !coded(current)) actions.push(withdrawForm(d, ctx));
  }
  if (can(ctx.user, 'diagnosis')) actions.push(diagnosisForm(d, ctx));
  mount(main,
    h('div.page-head',
      h('div', h('h1', `Donor `, h('span.mono', d.code)),
        h('p.lead', d.site, d.sex ? [' · ', h('span#donor-sex', d.sex), historyButton('sex', groups)] : '',
          d.birth_year ? [' · born ', h('span#donor-birth-year', d.birth_year), historyButton('birth_year', groups)] : '',
          d.consent_withdrawn ? [' · ', h('span.badge.st-destroyed', 'consent withdrawn')] : null)),
      h('div.head-actions', correct ? correct.button : null,
        h('a.button.secondary', { href: `#/search?${new URLSearchParams({ site: d.site, donor: d.code })}` }, 'Specimens'))),
    msg ? notice('ok', msg) : null,
    takeCorrectionFlash(path),
    correct ? correct.panel : null,
    h('div.specimen-grid',
      h('section.card#diagnoses', { 'aria-labelledby': 'diagnoses-h' },
        h('h2#diagnoses-h', 'Diagnoses'),
        (d.diagnoses || []).length ? h('div.table-wrap', h('table.data.diagnoses',
          h('thead', h('tr', ['Topography', 'Morphology', 'Diagnosed'].map((x) => h('th', { scope: 'col' }, x)),
            dxCorrect.size ? h('th', { scope: 'col' }, h('span.visually-hidden', t('diagnosisActions'))) : null)),
          h('tbody', d.diagnoses.map((x) => h('tr', { dataset: { diagnosis: x.id ?? '' } },
            h('td.dx-topography', h('code', x.topography)), h('td.dx-morphology', h('code', x.morphology)),
            h('td.dx-date', fmtTime(x.diagnosed_on || x.date)),
            dxCorrect.size ? h('td.dx-actions', dxCorrect.has(x.id) ? dxCorrect.get(x.id).button : null) : null)))))
          : h('p.muted', 'No diagnosis recorded.'),
        dxCorrect.size ? h('div.dx-panels', [...dxCorrect.values()].map((a) => a.panel)) : null),
      h('section.card#consents', { 'aria-labelledby': 'consents-h' },
        h('div.section-head', h('h2#consents-h', t('consents')), withdraw ? withdraw.button : null),
        Array.isArray(d.uses) || isCoded ? h('div.donor-uses', h('strong', t('permittedUses')), ' ', useChips(d.uses, t('noUsesDonor'))) : null,
        consents.length ? (isCoded ? h('div.consent-list', consents.slice().reverse().map((c) => (coded(c) ? consentCard(c) : h('ul.consents', oldConsent(c)))))
          : h('ul.consents', consents.slice().reverse().map(oldConsent)))
          : h('p.muted', t('noConsent')),
        withdraw ? withdraw.dialog : null),
      enrolmentsList(d)),
    actions.length ? h('section#actions', { 'aria-labelledby': 'actions-h' },
      h('h2#actions-h', 'Actions'),
      h('div.action-grid', actions.map((f) => h('section.card.action', f)))) : null,
    historySection(hist, groups));
}

export async function render(main, ctx) {
  if (ctx.params.code) return renderDonor(main, ctx);
  return renderList(main, ctx);
}
