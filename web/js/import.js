// import.js - #/import: an all-or-nothing CSV import (POST /api/import/{kind}).
// A file with bad rows is refused whole: each bad row is listed with its line,
// column and message.
import { api, ApiError } from './api.js';
import { h, mount, field, select, notice, showError, clearErrors, words } from './dom.js';
import { can, IMPORT_KINDS } from './model.js';

export async function render(main, ctx) {
  if (!can(ctx.user, 'import')) {
    mount(main, h('h1', 'CSV import'), notice('info', 'Your role reads records; importing is for technicians, biobank managers and administrators.'));
    return;
  }
  const kind = select('kind', IMPORT_KINDS.map((k) => [k, words(k)]), ctx.query.kind || 'specimens');
  const file = h('input', { type: 'file', name: 'file', accept: '.csv,text/csv', required: true });
  const button = h('button', { type: 'submit' }, 'Import');
  const result = h('section#import-result', { 'aria-live': 'polite' });
  const form = h('form.card#import-form', { novalidate: true },
    h('div.grid-fields',
      field('What the file holds', kind),
      field('CSV file', file, 'UTF-8, first line the column names (docs/import.md).')),
    h('div.actions', button));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    result.replaceChildren();
    const f = file.files && file.files[0];
    if (!f) { showError(form, { field: 'file', message: 'Choose a CSV file.' }); return; }
    button.disabled = true;
    mount(result, h('p.loading', { role: 'status' }, `Importing ${f.name}…`));
    try {
      const text = await f.text();
      const r = await api('POST', `/api/import/${encodeURIComponent(kind.value)}`, { body: text, contentType: 'text/csv' });
      const n = r && (r.imported ?? r.count);
      mount(result, notice('ok', `${f.name}: ${n ?? 'all'} ${words(kind.value)} imported.`));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return;
      const rows = err.rows || [];
      mount(result,
        h('div.card.import-errors', { role: 'alert' },
          h('h2', rows.length ? `${f.name}: ${rows.length} bad row${rows.length === 1 ? '' : 's'}` : `${f.name} was refused`),
          h('p.nothing', h('strong', 'Nothing was written.'), ' Correct the file and import it again.'),
          rows.length ? h('div.table-wrap', h('table.data.errors',
            h('caption.visually-hidden', 'Bad rows'),
            h('thead', h('tr', h('th', { scope: 'col' }, 'Line'), h('th', { scope: 'col' }, 'Column'), h('th', { scope: 'col' }, 'Message'))),
            h('tbody', rows.map((r) => h('tr', { dataset: { line: r.line } },
              h('td.num', String(r.line ?? '')), h('td', h('code', r.column || '')), h('td', r.message || '')))))) : h('p', err.message)));
    } finally {
      button.disabled = false;
    }
  });
  mount(main, h('h1', 'CSV import'),
    h('p.lead', 'The whole file is one transaction: if any row is bad, nothing is written.'),
    form, result);
}
