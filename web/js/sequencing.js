// sequencing.js - sequencing results: #/reports lists the newest in the
// user's scope (GET /api/sequencing); a specimen's page lists its own
// (GET /api/specimens/{barcode}/sequencing); each report opens in a new tab
// (GET /api/sequencing/{id}/report, fetched with the token); and a DNA/RNA
// page has the form that keeps a delivered VCF (POST, same path).
import { get, post, blob, seg } from './api.js';
import { h, mount, field, select, input, notice, loading, fmtTime, showError, clearErrors, formValues } from './dom.js';

/** Opens a result's HTML report in a new tab. */
async function openReport(id, statusEl) {
  // Opened now, while the click still counts as the user's (see labels.js).
  const win = window.open('', '_blank');
  statusEl.textContent = 'Preparing the report…';
  statusEl.className = 'notice info';
  statusEl.hidden = false;
  try {
    const b = await blob(`/api/sequencing/${seg(id)}/report`);
    const u = URL.createObjectURL(new Blob([b], { type: 'text/html' }));
    if (win) win.location.href = u;
    else window.location.href = u;
    setTimeout(() => URL.revokeObjectURL(u), 60000);
    statusEl.hidden = true;
  } catch (err) {
    if (win) win.close();
    statusEl.textContent = `Report: ${err.message}`;
    statusEl.className = 'notice error';
  }
}

function resultsTable(rows, withSpecimen = false) {
  if (!rows.length) return h('p.muted', withSpecimen ? 'No sequencing result in your scope yet.' : 'No sequencing result is kept for this specimen.');
  const status = h('p.notice', { role: 'status', hidden: true });
  const heads = ['Result', ...(withSpecimen ? ['Specimen', 'Donor', 'Site'] : []), 'Kind', 'Tumour type', 'Assay', 'File', 'Records', 'Stored', ''];
  return [h('div.table-wrap', h('table.data#sequencing-table',
    h('thead', h('tr', heads.map((t) => h('th', t)))),
    h('tbody', rows.map((r) => h('tr',
      h('td.mono', String(r.id)),
      withSpecimen ? [h('td', h('a.mono', { href: `#/specimen/${encodeURIComponent(r.specimen)}` }, r.specimen)),
        h('td', r.donor), h('td', r.site)] : null,
      h('td', r.kind),
      h('td', r.tumor_type || '—'),
      h('td', r.assay),
      h('td.mono', r.file_name),
      h('td.num', String(r.variants)),
      h('td', `${fmtTime(r.created_at)} by ${r.created_by}`),
      h('td', h('button.secondary.open-report', { type: 'button', 'data-id': r.id,
        onclick: () => openReport(r.id, status) }, 'Open report'))))))),
    status];
}

function addForm(s, done) {
  const form = h('form.action#sequencing-form', { novalidate: true },
    h('h3', 'Keep a sequencing result'),
    h('div.grid-fields.tight',
      field('VCF file', input('vcf', { type: 'file', accept: '.vcf,text/plain' })),
      field('Kind', select('kind', [['somatic', 'Somatic (tumour)'], ['germline', 'Germline']], 'somatic')),
      field('Assay', input('assay', { placeholder: 'Solid tumour NGS panel' })),
      field('Genome', input('genome', { placeholder: 'GRCh38' })),
      field('Tumour type', input('tumor_type', { spellcheck: 'false', placeholder: 'LUAD' }), 'OncoTree code; somatic only.'),
      field('Panel size (Mb)', input('panel_size_mb', { inputmode: 'decimal' }), 'For tumour mutational burden.'),
      field('MSI', select('msi', [['', 'not given'], ['high', 'MSI-high'], ['stable', 'stable']], ''))),
    h('button', { type: 'submit' }, 'Keep result'));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const v = formValues(form);
      const file = form.querySelector('input[name=vcf]').files[0];
      if (!file) throw { field: 'vcf', message: 'Choose the VCF file the laboratory delivered.' };
      if (!v.assay) throw { field: 'assay', message: 'Name the assay.' };
      if (!v.genome) throw { field: 'genome', message: 'Give the genome build.' };
      const body = { kind: v.kind, assay: v.assay, genome: v.genome, file_name: file.name, vcf: await file.text() };
      if (v.tumor_type) body.tumor_type = v.tumor_type.toUpperCase();
      if (v.msi) body.msi = v.msi;
      if (v.panel_size_mb) {
        body.panel_size_mb = Number(v.panel_size_mb);
        if (!Number.isFinite(body.panel_size_mb)) throw { field: 'panel_size_mb', message: 'A number, like 1.2.' };
      }
      const r = await post(`/api/specimens/${seg(s.barcode)}/sequencing`, body);
      done(`Sequencing result ${r.id} kept with ${s.barcode}.`);
    } catch (err) {
      btn.disabled = false;
      showError(form, err);
    }
  });
  return h('section.card.action', form);
}

/** The "Sequencing results" section; loads its list itself. */
export function sequencingSection(s, writable, done) {
  const body = h('div', h('p.muted', 'Loading…'));
  const sec = h('section.card.wide#sequencing', { 'aria-labelledby': 'sequencing-h' },
    h('h2#sequencing-h', 'Sequencing results'),
    h('p.hint', 'Reports show the specimen’s pre-analytical quality above the interpretation.'),
    body);
  get(`/api/specimens/${seg(s.barcode)}/sequencing`)
    .then((rows) => { body.replaceChildren(...[resultsTable(rows || [])].flat()); })
    .catch((err) => { body.replaceChildren(notice('error', `Sequencing results: ${err.message}`)); });
  const molecular = ['dna', 'rna', 'cfdna'].includes(s.type);
  if (writable && molecular && s.status !== 'destroyed') sec.append(addForm(s, done));
  return sec;
}

/** #/reports: the newest sequencing results the user may read. */
export async function render(main, ctx) {
  main.append(h('h1', 'Sequencing reports'), loading());
  const rows = await get('/api/sequencing', { limit: 200 });
  if (!ctx.current()) return;
  mount(main,
    h('div.page-head', h('div', h('h1', 'Sequencing reports'),
      h('p.lead', 'The newest results kept with specimens in your scope. A report shows the specimen\u2019s pre-analytical quality above the somatic interpretation or the germline classification.'))),
    h('section.card.wide', ...[resultsTable(rows || [], true)].flat()));
}
