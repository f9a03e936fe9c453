// collect.js - #/collect: collect a specimen with its pre-analytical record
// (POST /api/specimens). The server computes the SPREC code from the record;
// the new specimen's page then shows it element by element.
import { post, seg } from './api.js';
import { h, mount, field, select, input, notice, words, showError, clearErrors, formValues } from './dom.js';
import { can, TYPES, UNITS, TEMP_BANDS } from './model.js';
import { sites } from './search.js';
import { setFlash } from './specimen.js';

const NUMBERS = ['quantity', 'warm_ischaemia_min', 'cold_ischaemia_min', 'fixation_min', 'precentrifugation_min', 'postcentrifugation_min'];
const TEMPS = [['', 'not recorded'], ...TEMP_BANDS];

export async function render(main, ctx) {
  if (!can(ctx.user, 'collect')) {
    mount(main, h('h1', 'Collect a specimen'), notice('info', 'Collecting is for technicians, biobank managers and administrators.'));
    return;
  }
  const siteList = await sites(ctx.user);
  if (!ctx.current()) return;
  const num = (name, attrs = {}) => input(name, { inputmode: 'decimal', ...attrs });
  const form = h('form.card#collect-form', { novalidate: true },
    h('fieldset', h('legend', 'Specimen'),
      h('div.grid-fields',
        field('Site', select('site', siteList.map((x) => [x.code, `${x.code} · ${x.name || ''}`]), ctx.query.site || ctx.user.site)),
        field('Donor code', input('donor', { spellcheck: 'false', required: true, value: ctx.query.donor || '' })),
        field('Type', h('select', { name: 'type', required: true }, h('option', { value: '' }, 'choose…'),
          TYPES.map(([group, list]) => h('optgroup', { label: group }, list.map((t) => h('option', { value: t }, words(t))))))),
        field('Quantity', num('quantity', { required: true })),
        field('Unit', select('unit', UNITS, 'ml')),
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
  mount(main, h('h1', 'Collect a specimen'), form);
}
