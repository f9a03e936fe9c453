// collect.js - #/collect: collect a specimen with its pre-analytical record
// (POST /api/specimens), in a study at one of its events for one of its
// requirements when chosen (a worklist's Collect comes prefilled:
// ?site=&donor=&study=&event=&requirement=&type=&quantity=&unit=). The
// server computes the SPREC code from the record; the new specimen's page
// then shows it element by element.
import { get, post, seg } from './api.js';
import { h, mount, field, select, input, notice, words, showError, clearErrors, formValues } from './dom.js';
import { can, TYPES, UNITS, TEMP_BANDS } from './model.js';
import { sites } from './search.js';
import { setFlash } from './specimen.js';
import { studyList, studyOf } from './studies.js';
import { t } from './i18n.js';

/**
 * The study, event and requirement selects: the studies read (those the
 * donor is enrolled in, once the donor is known), the chosen study's
 * events, the chosen event's requirements. Choosing a requirement fills
 * the type, quantity and unit it expects. q: the prefilled values.
 */
function studyFields(form, q, studies) {
  const opt = (v, text, on) => h('option', { value: v, selected: on }, text);
  const study = h('select', { name: 'study' }, opt('', t('noStudy')));
  const event = h('select', { name: 'event', disabled: true }, opt('', t('choose')));
  const req = h('select', { name: 'requirement', disabled: true }, opt('', t('choose')));
  let current = null;
  const fillStudies = (codes) => {
    const keep = study.value || q.study || '';
    study.replaceChildren(opt('', t('noStudy')),
      ...studies.filter((x) => !codes || codes.includes(x.code) || x.code === keep)
        .map((x) => opt(x.code, `${x.code} · ${x.title || ''}${x.status && x.status !== 'active' ? ` (${t(`studyStatus.${x.status}`)})` : ''}`, x.code === keep)));
    if (keep && ![...study.options].some((o) => o.value === keep)) study.append(opt(keep, keep, true));
  };
  const fillRequirements = (evCode, want) => {
    const e = current && (current.events || []).find((x) => x.code === evCode);
    const list = (e && e.requirements) || [];
    req.replaceChildren(opt('', list.length ? t('choose') : t('none')),
      ...list.map((r) => opt(r.code, `${r.code} · ${words(r.type)}${r.quantity != null ? ` ${r.quantity} ${r.unit || ''}` : ''}`, r.code === want)));
    req.disabled = !list.length;
  };
  const fillEvents = async (want, wantReq) => {
    current = study.value ? await studyOf(study.value) : null;
    const list = (current && current.events) || [];
    event.replaceChildren(opt('', list.length ? t('choose') : t('none')),
      ...list.map((e) => opt(e.code, `${e.code} · ${e.label || ''}`, e.code === want)));
    event.disabled = !list.length;
    fillRequirements(event.value, wantReq);
  };
  study.addEventListener('change', () => fillEvents('', ''));
  event.addEventListener('change', () => fillRequirements(event.value, ''));
  req.addEventListener('change', () => {
    const e = current && (current.events || []).find((x) => x.code === event.value);
    const r = e && (e.requirements || []).find((x) => x.code === req.value);
    if (!r) return;
    if (r.type) form.elements.type.value = r.type;
    if (r.quantity != null) form.elements.quantity.value = r.quantity;
    if (r.unit) form.elements.unit.value = r.unit;
  });
  // The donor's studies, when the API gives them with the donor.
  const donorInput = form.elements.donor;
  const narrow = async () => {
    const site = form.elements.site.value, code = donorInput.value.trim();
    if (!site || !code) { fillStudies(null); return; }
    let d = null;
    try { d = await get(`/api/donors/${seg(site)}/${seg(code)}`); } catch { /* unknown donor: the server says so on submit */ }
    const list = d && (d.studies || d.enrolments || d.participants);
    fillStudies(Array.isArray(list) ? list.map((p) => (typeof p === 'string' ? p : p.study || p.code)) : null);
  };
  donorInput.addEventListener('change', narrow);
  fillStudies(null);
  const ready = q.study ? fillEvents(q.event || '', q.requirement || '') : Promise.resolve();
  return {
    ready,
    el: h('fieldset', h('legend', t('studyCollect')),
      h('p.hint', t('studyCollectHint')),
      h('div.grid-fields',
        field(t('study'), study),
        field(t('event'), event),
        field(t('requirement'), req))),
  };
}

const NUMBERS = ['quantity', 'warm_ischaemia_min', 'cold_ischaemia_min', 'fixation_min', 'precentrifugation_min', 'postcentrifugation_min'];
const TEMPS = [['', 'not recorded'], ...TEMP_BANDS];

export async function render(main, ctx) {
  if (!can(ctx.user, 'collect')) {
    mount(main, h('h1', 'Collect a specimen'), notice('info', 'Collecting is for technicians, biobank managers and administrators.'));
    return;
  }
  const q = ctx.query;
  const [siteList, studies] = await Promise.all([sites(ctx.user), studyList()]);
  if (!ctx.current()) return;
  const num = (name, attrs = {}) => input(name, { inputmode: 'decimal', ...attrs });
  const form = h('form.card#collect-form', { novalidate: true },
    h('fieldset', h('legend', 'Specimen'),
      h('div.grid-fields',
        field('Site', select('site', siteList.map((x) => [x.code, `${x.code} · ${x.name || ''}`]), ctx.query.site || ctx.user.site)),
        field('Donor code', input('donor', { spellcheck: 'false', required: true, value: ctx.query.donor || '' })),
        field('Type', h('select', { name: 'type', required: true }, h('option', { value: '' }, 'choose…'),
          TYPES.map(([group, list]) => h('optgroup', { label: group }, list.map((x) => h('option', { value: x, selected: x === q.type }, words(x))))))),
        field('Quantity', num('quantity', { required: true, value: q.quantity || '' })),
        field('Unit', select('unit', UNITS, q.unit || 'ml')),
        field('Collected at (UTC)', input('collected_at', { type: 'datetime-local' })),
        field('Box', input('container', { spellcheck: 'false' }), 'Leave empty: not stored yet.'),
        field('Position', input('position', { spellcheck: 'false', placeholder: 'A1' })))),
    h('fieldset', h('legend', 'Pre-analytical record (SPREC)'),
      h('p.hint', 'Fill what was recorded; the SPREC code is computed from it (docs/sprec.md).'),
      h('div.grid-fields',
        field('Collection / primary container', input('collection', { spellcheck: 'false', placeholder: 'SRG, BPS / SST, PED' })),
        field('Vessel', input('vessel', { spellcheck: 'false' })),
        field('Warm ischaemia (min)', num('warm_ischaemia_min')),
        field('Cold ischaemia (min)', num('cold_ischaemia_min')),
        field('Fixation', input('fixation', { spellcheck: 'false', placeholder: 'NBF, SNP, OCT' })),
        field('Fixation time (min)', num('fixation_min')),
        field('Delay before centrifugation (min)', num('precentrifugation_min')),
        field('Temperature before centrifugation', select('precentrifugation_temp', TEMPS)),
        field('Centrifugation', input('centrifugation', { spellcheck: 'false', placeholder: '20/10/2000/brake' }), '°C/min/g/brake or nobrake; or none'),
        field('Second centrifugation', input('second_centrifugation', { spellcheck: 'false', placeholder: 'none' })),
        field('Delay after centrifugation (min)', num('postcentrifugation_min')),
        field('Temperature after centrifugation', select('postcentrifugation_temp', TEMPS.slice(0, 3))))),
    h('button', { type: 'submit' }, 'Collect'));
  const study = studyFields(form, q, studies);
  form.querySelector('fieldset').after(study.el);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const body = {};
    for (const [k, x] of Object.entries(v)) if (x !== '') body[k] = x;
    try {
      if (!body.donor) throw { field: 'donor', message: 'Give the donor code.' };
      if (!body.type) throw { field: 'type', message: 'Choose the type.' };
      if (!body.quantity) throw { field: 'quantity', message: 'Give the quantity.' };
      for (const k of NUMBERS) {
        if (body[k] === undefined) continue;
        const n = Number(body[k]);
        if (!Number.isFinite(n)) throw { field: k, message: `${k}: a number, like 0.5.` };
        body[k] = n;
      }
      if (body.collected_at) body.collected_at = `${body.collected_at.length === 16 ? `${body.collected_at}:00` : body.collected_at}Z`;
      if (body.position) body.position = body.position.toUpperCase();
    } catch (err) { showError(form, err); return; }
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const s = await post('/api/specimens', body);
      setFlash(`Collected ${s.barcode}${s.sprec ? `; SPREC ${s.sprec}` : ''}.`);
      ctx.navigate(`/specimen/${seg(s.barcode)}`);
    } catch (err) {
      btn.disabled = false;
      showError(form, err);
    }
  });
  mount(main, h('h1', 'Collect a specimen'),
    q.study ? notice('info', t('collectPrefilled', { donor: q.donor || '', what: [q.study, q.event, q.requirement].filter(Boolean).join(' / ') })) : null,
    form);
  await study.ready;
}
