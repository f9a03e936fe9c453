// consent.js - coded consent: #/consent-forms (GET/POST /api/consent-forms)
// and #/consent-form/VERSION (GET /api/consent-forms/{version}), each form's
// statements in the UI's language with the uses they permit; and, for the
// donor page (js/donors.js), a donor's consents statement by statement,
// "Record consent" (answer each statement of a form version) and the
// "Withdraw" dialog (full, with what becomes of the material, or one
// statement). Texts through js/i18n.js.
import { get, post, seg } from './api.js';
import { h, $, $$, mount, field, input, select, loading, notice, showError, clearErrors } from './dom.js';
import { can } from './model.js';
import { t, lang, fieldLabel } from './i18n.js';

/** The uses a statement may permit (docs/consent.md); transfer: sent to
 * other sites of the network (a form without a transfer statement permits it
 * with storage). */
export const USES = ['storage', 'research', 'genetic', 'sharing', 'recontact', 'commercial', 'findings', 'transfer'];
export const RESPONSES = ['yes', 'no', 'not_asked'];
export const DISPOSITIONS = ['destroy', 'keep', 'data_only'];

let flash = null;
const today = () => new Date().toISOString().slice(0, 10);
const day = (v) => String(v || '').slice(0, 10);
const formPath = (v) => `/consent-form/${seg(v)}`;
const listOf = (r, key) => (Array.isArray(r) ? r : (r && (r[key] || r.items)) || []);

/** A form's version (the API names it form_version). */
export const versionOf = (f) => (f ? f.form_version ?? f.version : undefined);

/** A use in words of the UI's language. */
export const useWords = (u) => t(`use.${u}`) === `use.${u}` ? String(u).replace(/_/g, ' ') : t(`use.${u}`);

/** The uses as chips ([] -> "none"). */
export function useChips(uses, none) {
  const list = uses || [];
  if (!list.length) return h('span.muted', none || t('noUses'));
  return h('ul.chips.uses', list.map((u) => h('li', h('span.chip.use', { dataset: { use: u } }, useWords(u)))));
}

/** A statement's text in the UI's language (the other when that one is empty). */
export function statementText(st) {
  if (lang() === 'zh') return st.text_zh || st.text || '';
  return st.text || st.text_zh || '';
}

/** The consent forms; null when the server has none to give (not served yet). */
export async function consentForms() {
  try { return listOf(await get('/api/consent-forms'), 'forms').filter(versionOf); } catch { return null; }
}

// ---- #/consent-forms -----------------------------------------------------------

function statementRow(rows, i) {
  const n = (x) => `st-${i}-${x}`;
  const row = h('fieldset.statement-row', { dataset: { row: i } },
    h('legend', t('statementN', { n: i + 1 })),
    h('div.grid-fields',
      field(fieldLabel('code'), input(n('code'), { spellcheck: 'false', autocomplete: 'off', placeholder: `S${i + 1}` })),
      field(t('textEn'), h('textarea', { name: n('text'), rows: 2, lang: 'en' })),
      field(t('textZh'), h('textarea', { name: n('text_zh'), rows: 2, lang: 'zh' }))),
    h('div.field', { dataset: { field: n('uses') } },
      h('fieldset.uses-pick', h('legend', t('permits')),
        USES.map((u) => h('label.check', h('input', { type: 'checkbox', name: n('uses'), value: u }), ' ', useWords(u)))),
      h('p.field-error', { role: 'alert', hidden: true })),
    h('button.secondary.statement-remove', {
      type: 'button', 'aria-label': t('removeStatement', { n: i + 1 }),
      onclick: () => { row.remove(); const f = $('.statement-row input', rows); if (f) f.focus(); },
    }, t('remove')));
  return row;
}

/**
 * The statement row's control an API error names: "statements: item 1:
 * text: ..." (or a field "statements[1].text") is row 2's text.
 */
function statementError(form, err) {
  const said = `${err.field || ''} ${err.message || ''}`;
  const m = /statements(?:: item |\[|\.)(\d+)\]?(?::? ?\.?(code|text_zh|text|uses)\b)?/.exec(said);
  if (!m) return err;
  const row = $$('.statement-row', form)[Number(m[1])];
  if (!row) return err;
  return { message: err.message, field: `st-${row.dataset.row}-${m[2] || 'code'}` };
}

function newFormForm(ctx) {
  let seq = 0;
  const rows = h('div.statement-rows');
  const add = () => { const r = statementRow(rows, seq++); rows.append(r); return r; };
  add();
  const form = h('form.card#consent-form-form', { novalidate: true },
    h('h2', t('newForm')),
    h('div.grid-fields',
      field(t('version'), input('form_version', { spellcheck: 'false', required: true, placeholder: 'ICF-2.0' })),
      field(fieldLabel('title'), input('title', { required: true })),
      field(fieldLabel('effective_on'), input('effective_on', { type: 'date', value: today() }))),
    rows,
    h('p.actions', h('button.secondary#statement-add', { type: 'button', onclick: () => { $('input', add()).focus(); } }, '+ ', t('addStatement'))),
    h('button', { type: 'submit' }, t('createForm')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const val = (name) => { const el = form.elements[name]; return el ? String(el.value).trim() : ''; };
    const body = { form_version: val('form_version'), title: val('title'), statements: [] };
    if (val('effective_on')) body.effective_on = val('effective_on');
    try {
      if (!body.form_version) throw { field: 'form_version', message: `${t('version')}: ${t('needGiven')}` };
      if (!body.title) throw { field: 'title', message: `${fieldLabel('title')}: ${t('needGiven')}` };
      const list = $$('.statement-row', form);
      if (!list.length) throw { message: t('needStatement') };
      for (const r of list) {
        const i = r.dataset.row;
        const st = { code: val(`st-${i}-code`), text: val(`st-${i}-text`), text_zh: val(`st-${i}-text_zh`),
          uses: $$(`input[name="st-${i}-uses"]:checked`, r).map((c) => c.value) };
        if (!st.code) throw { field: `st-${i}-code`, message: `${fieldLabel('code')}: ${t('needGiven')}` };
        if (!st.text) throw { field: `st-${i}-text`, message: t('needText') };
        if (!st.uses.length) throw { field: `st-${i}-uses`, message: t('needUses') };
        if (!st.text_zh) delete st.text_zh;
        body.statements.push(st);
      }
    } catch (err) { showError(form, err); return; }
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const f = await post('/api/consent-forms', body);
      const v = versionOf(f) || body.form_version;
      flash = t('formCreated', { version: v });
      ctx.navigate(formPath(v));
    } catch (err) {
      btn.disabled = false;
      showError(form, statementError(form, err));
    }
  });
  return form;
}

async function renderForms(main, ctx) {
  main.append(h('h1', t('consentForms')), loading());
  const list = listOf(await get('/api/consent-forms'), 'forms').filter(versionOf);
  if (!ctx.current()) return;
  const msg = flash; flash = null;
  const cols = [t('version'), fieldLabel('title'), fieldLabel('effective_on'), t('statements')];
  mount(main,
    h('h1', t('consentForms')),
    h('p.lead', t('consentFormsIntro')),
    msg ? notice('ok', msg) : null,
    h('section#form-list', { 'aria-labelledby': 'form-list-h' },
      h('h2#form-list-h', t('formCount', { n: list.length })),
      list.length ? h('div.table-wrap', h('table.data.consent-forms',
        h('caption.visually-hidden', t('consentForms')),
        h('thead', h('tr', cols.map((x) => h('th', { scope: 'col' }, x)))),
        h('tbody', list.map((f) => h('tr', { dataset: { version: versionOf(f) } },
          h('td', h('a.mono', { href: `#${formPath(versionOf(f))}` }, versionOf(f))),
          h('td', f.title || ''),
          h('td', day(f.effective_on)),
          h('td.num', Array.isArray(f.statements) ? f.statements.length : (f.statement_count ?? ''))))))) : h('p.muted', t('noFormsYet'))),
    can(ctx.user, 'donor') ? newFormForm(ctx) : null);
}

/** A form's statements as a table: code, text (the UI's language), uses. */
export function statementsTable(statements, extra) {
  const cols = [fieldLabel('code'), t('statement'), t('permits'), ...(extra ? [extra.head] : [])];
  return h('div.table-wrap', h('table.data.statements',
    h('thead', h('tr', cols.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', statements.map((st) => h('tr', { dataset: { statement: st.code } },
      h('td.mono', st.code),
      h('td.statement-text', { lang: lang() === 'zh' && st.text_zh ? 'zh' : 'en' }, statementText(st)),
      h('td', useChips(st.uses)),
      extra ? h('td', extra.cell(st)) : null)))));
}

async function renderForm(main, ctx) {
  const version = ctx.params.version;
  main.append(h('h1', t('consentFormTitle', { version })), loading());
  let f;
  try {
    f = await get(`/api/consent-forms/${seg(version)}`);
  } catch (err) {
    if (!ctx.current()) return;
    if (err.status === 404) {
      mount(main, h('h1', t('consentFormTitle', { version })), notice('error', t('formNotFound', { version })), h('p', h('a', { href: '#/consent-forms' }, t('allForms'))));
      return;
    }
    throw err;
  }
  if (!ctx.current()) return;
  const msg = flash; flash = null;
  mount(main,
    h('div.page-head',
      h('div', h('h1', t('consentForm'), ' ', h('span.mono', versionOf(f))),
        h('p.lead', f.title || '', f.effective_on ? ` · ${t('effectiveFrom', { date: day(f.effective_on) })}` : '')),
      h('div.head-actions', h('a.button.secondary', { href: '#/consent-forms' }, t('allForms')))),
    msg ? notice('ok', msg) : null,
    h('section.card#form-statements', { 'aria-labelledby': 'form-statements-h' },
      h('h2#form-statements-h', t('statements')),
      (f.statements || []).length ? statementsTable(f.statements) : h('p.muted', t('noStatements'))),
    (f.studies || []).length ? h('section.card#form-studies', h('h2', t('studies')),
      h('ul.chips', f.studies.map((c) => h('li', h('a.chip.mono', { href: `#/study/${seg(c)}` }, c))))) : null);
}

export async function render(main, ctx) {
  if (ctx.params.version) return renderForm(main, ctx);
  return renderForms(main, ctx);
}

// ---- the donor's consents (js/donors.js) -------------------------------------------

export function responseBadge(r) {
  if (r.withdrawn_on) return h('span.badge.st-destroyed.response', t('withdrawnOn', { date: day(r.withdrawn_on) }));
  const v = r.response || 'not_asked';
  return h(`span.badge.response.resp-${v}`, t(`response.${v}`));
}

/** Whether a consent is in the coded shape (statements with responses). */
export const coded = (c) => Array.isArray(c.responses);

/** One coded consent: its form, date, witness, who recorded it, and each statement's answer. */
export function consentCard(c) {
  return h('article.consent', { dataset: { form: c.form_version } },
    h('h3', h('a', { href: `#${formPath(c.form_version)}` }, c.form_version), ' ',
      h('span.muted', t('signedOn', { date: day(c.signed_on) }))),
    h('p.small.muted', [c.witness ? t('witnessed', { who: c.witness }) : null, c.recorded_by ? t('recordedBy', { who: c.recorded_by }) : null].filter(Boolean).join(' · ')),
    c.withdrawn_on ? h('p.withdrawn', h('span.badge.st-destroyed', t('withdrawn')), ' ',
      t('withdrawnFull', { date: day(c.withdrawn_on) }), c.disposition ? [' · ', h('strong.disposition', t(`disposition.${c.disposition}`))] : null) : null,
    statementsTable(c.responses, { head: t('response'), cell: responseBadge }));
}

function answerGroup(st) {
  const name = `resp-${st.code}`;
  return h('div.field.answer', { dataset: { field: name } },
    h('fieldset.answer', { 'aria-describedby': `${name}-err` },
      h('legend', h('span.mono', st.code), ' ', h('span', { lang: lang() === 'zh' && st.text_zh ? 'zh' : 'en' }, statementText(st)),
        ' ', h('span.small.muted', `(${(st.uses || []).map(useWords).join(', ')})`)),
      RESPONSES.map((r) => h('label.check', h('input', { type: 'radio', name, value: r }), ' ', t(`response.${r}`)))),
    h('p.field-error', { id: `${name}-err`, role: 'alert', hidden: true }));
}

/**
 * "Record consent": a form version (its statements are then asked one by
 * one: yes, no, not asked), the witness and the day signed. onDone(message).
 */
export function recordConsentForm(d, forms, onDone) {
  const answers = h('div.answers', { 'aria-live': 'polite' });
  const version = select('form_version', [['', t('choose')], ...forms.map((f) => [versionOf(f), `${versionOf(f)} · ${f.title || ''}`])]);
  const form = h('form.action#consent-form', { novalidate: true },
    h('h3', t('recordConsent')),
    h('div.grid-fields.tight',
      field(t('formVersion'), version),
      field(t('signedOnLabel'), input('signed_on', { type: 'date', value: today(), max: today(), required: true })),
      field(t('witness'), input('witness', { autocomplete: 'off' }))),
    answers,
    h('button', { type: 'submit' }, t('recordConsent')));
  let current = null;
  version.addEventListener('change', async () => {
    current = null;
    if (!version.value) { answers.replaceChildren(); return; }
    answers.replaceChildren(loading());
    try {
      current = await get(`/api/consent-forms/${seg(version.value)}`);
      answers.replaceChildren(...(current.statements || []).map(answerGroup));
    } catch (err) {
      answers.replaceChildren(notice('error', err.message));
    }
  });
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const body = { form_version: version.value, signed_on: form.elements.signed_on.value, responses: {} };
    const witness = form.elements.witness.value.trim();
    try {
      if (!body.form_version) throw { field: 'form_version', message: `${t('formVersion')}: ${t('needChoice')}` };
      if (!current || versionOf(current) !== body.form_version) throw { field: 'form_version', message: t('formLoading') };
      if (!body.signed_on) throw { field: 'signed_on', message: `${t('signedOnLabel')}: ${t('needGiven')}` };
      for (const st of current.statements || []) {
        const on = form.querySelector(`input[name="resp-${CSS.escape(st.code)}"]:checked`);
        if (!on) throw { field: `resp-${st.code}`, message: t('needAnswer', { code: st.code }) };
        body.responses[st.code] = on.value;
      }
    } catch (err) { showError(form, err); return; }
    if (witness) body.witness = witness;
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      await post(`/api/donors/${seg(d.site)}/${seg(d.code)}/consents`, body);
      onDone(t('consentRecorded', { version: body.form_version }));
    } catch (err) {
      btn.disabled = false;
      let e = err;
      const m = /^responses\.?\[?([^\]:.]+)\]?/.exec(err.field || (err.message || '').split(':')[0]);
      if (m && form.querySelector(`[name="resp-${CSS.escape(m[1])}"]`)) e = { message: err.message, field: `resp-${m[1]}` };
      showError(form, e);
    }
  });
  return form;
}

/**
 * The "Withdraw" button and its dialog: a full withdrawal (what becomes of
 * the material: destroy, keep, data only) or one statement's (partial),
 * the reason and the day. statements: the consent's answered statements.
 */
export function withdrawAction(d, consent, onDone) {
  const yes = (consent.responses || []).filter((r) => r.response === 'yes' && !r.withdrawn_on);
  const kind = h('fieldset.withdraw-kind', h('legend', t('withdrawWhat')),
    h('label.check', h('input', { type: 'radio', name: 'kind', value: 'full', checked: true }), ' ', t('withdrawFull')),
    h('label.check', h('input', { type: 'radio', name: 'kind', value: 'partial', disabled: !yes.length }), ' ', t('withdrawPartial')));
  const dispo = h('div.field', { dataset: { field: 'disposition' } },
    h('fieldset.disposition', { 'aria-describedby': 'disposition-err' },
      h('legend', t('dispositionAsk')),
      DISPOSITIONS.map((x) => h('label.radio-explained',
        h('input', { type: 'radio', name: 'disposition', value: x }),
        h('span', h('strong', t(`disposition.${x}`)), h('small.hint', t(`dispositionHint.${x}`)))))),
    h('p.field-error#disposition-err', { role: 'alert', hidden: true }));
  const statement = h('div.statement-pick', { hidden: true },
    field(t('statement'), select('statement', yes.map((r) => [r.code, `${r.code} · ${statementText(r)}`]))));
  const form = h('form#withdraw-form', { novalidate: true, method: 'dialog' },
    h('h2#withdraw-h', t('withdrawTitle', { code: d.code })),
    h('p.hint', t('withdrawIntro', { version: consent.form_version })),
    kind, dispo, statement,
    field(t('reason'), h('textarea', { name: 'reason', rows: 2, required: true, maxlength: 1000 }), t('reasonAudit')),
    field(t('date'), input('date', { type: 'date', value: today(), max: today() })),
    h('p.actions',
      h('button.danger', { type: 'submit' }, t('withdraw')),
      h('button.secondary', { type: 'button', value: 'cancel', onclick: () => dialog.close() }, t('cancel'))));
  const dialog = h('dialog.withdraw-dialog#withdraw-dialog', { 'aria-labelledby': 'withdraw-h' }, form);
  const sync = () => {
    const partial = form.querySelector('input[name=kind]:checked').value === 'partial';
    dispo.hidden = partial;
    statement.hidden = !partial;
    for (const el of dispo.querySelectorAll('input')) el.disabled = partial;
    form.elements.statement.disabled = !partial;
  };
  kind.addEventListener('change', sync);
  sync();
  const button = h('button.danger#withdraw-open', {
    type: 'button', 'aria-haspopup': 'dialog', onclick: () => { clearErrors(form); dialog.showModal(); form.querySelector('input[name=kind]').focus(); },
  }, t('withdraw'));
  dialog.addEventListener('close', () => button.focus());
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const partial = form.querySelector('input[name=kind]:checked').value === 'partial';
    const body = { reason: form.elements.reason.value.trim() };
    if (form.elements.date.value) body.date = form.elements.date.value;
    try {
      if (partial) body.statement = form.elements.statement.value;
      else {
        const on = form.querySelector('input[name=disposition]:checked');
        if (!on) throw { field: 'disposition', message: t('needDisposition') };
        body.disposition = on.value;
      }
      if (!body.reason) throw { field: 'reason', message: t('needReasonAudit') };
    } catch (err) { showError(form, err); return; }
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      await post(`/api/donors/${seg(d.site)}/${seg(d.code)}/withdrawal`, body);
      dialog.close();
      onDone(partial ? t('withdrewStatement', { code: body.statement }) : t('withdrewFull', { disposition: t(`disposition.${body.disposition}`) }));
    } catch (err) {
      btn.disabled = false;
      showError(form, err);
    }
  });
  return { button, dialog };
}

/** The donor's enrolments (studies and PPIDs), when the API gives them. */
export function enrolmentsList(d) {
  const list = d.studies || d.enrolments || d.participants || [];
  if (!Array.isArray(list) || !list.length) return null;
  return h('section.card#enrolments', { 'aria-labelledby': 'enrolments-h' },
    h('h2#enrolments-h', t('enrolments')),
    h('ul.plain', list.map((p) => {
      const code = typeof p === 'string' ? p : p.study || p.code;
      return h('li', { dataset: { study: code } }, h('a.mono', { href: `#/study/${seg(code)}` }, code),
        p.ppid ? [' · ', h('span.mono', p.ppid)] : null,
        p.enrolled_on ? h('span.muted', ` · ${t('enrolledOnDate', { date: day(p.enrolled_on) })}`) : null,
        p.withdrawn ? [' ', h('span.badge.st-destroyed', t('withdrawn'))] : null);
    })));
}

