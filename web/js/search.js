// search.js - #/search: the specimen filters of GET /api/specimens (study,
// event and withdrawn donors included) and a paged results table. The filters live in the hash, so a search can be linked.
import { blob, get, url } from './api.js';
import { h, mount, field, select, input, loading, notice, statusBadge, words, fmtNum, fmtTime, showError } from './dom.js';
import { TYPES, STATUSES } from './model.js';
import { t } from './i18n.js';
import { studyList } from './studies.js';
import { USES, useWords } from './consent.js';

const FILTERS = ['site', 'type', 'status', 'topography', 'consent', 'container', 'donor', 'study', 'event', 'withdrawn'];
const PAGE = 50;

let sitesCache = null;
/** Forgets the sites read, after one was corrected: the next call asks again. */
export function forgetSites() { sitesCache = null; }
/**
 * The sites the user reads: their own and every site below it (auditors:
 * the whole network), in the order the API lists them.
 */
export async function sites(user) {
  if (!sitesCache) {
    let list = [];
    try { list = await get('/api/sites'); } catch { return []; }   // not kept: tried again next time
    sitesCache = Array.isArray(list) ? list : list.items || [];
  }
  if (!user || !user.site || user.role === 'auditor' || !sitesCache.some((x) => x.code === user.site)) return sitesCache;
  const inScope = new Set([user.site]);
  for (let grew = true; grew;) {
    grew = false;
    for (const x of sitesCache) {
      if (!inScope.has(x.code) && inScope.has(x.parent)) { inScope.add(x.code); grew = true; }
    }
  }
  return sitesCache.filter((x) => inScope.has(x.code));
}

function typeSelect(value) {
  const sel = h('select', { name: 'type' }, h('option', { value: '' }, 'any type'));
  for (const [cls, types] of TYPES) {
    sel.append(h('optgroup', { label: cls }, types.map((t) => h('option', { value: t, selected: t === value }, words(t)))));
  }
  return sel;
}

export async function render(main, ctx) {
  const q = ctx.query;
  const [siteList, studies] = await Promise.all([sites(ctx.user), studyList()]);
  if (!ctx.current()) return;
  const consent = new Set((q.consent || '').split(',').filter(Boolean));
  const form = h('form.card.filters', { role: 'search', 'aria-label': 'Specimen filters' },
    h('div.grid-fields',
      field('Site', select('site', [['', 'all my sites'], ...siteList.map((x) => [x.code, `${x.code} – ${x.name || x.kind || ''}`])], q.site)),
      field('Type', typeSelect(q.type)),
      field('Status', select('status', [['', 'any status'], ...STATUSES.map((x) => [x, words(x)])], q.status)),
      field('Topography', input('topography', { value: q.topography, placeholder: 'C50', spellcheck: 'false' }), 'ICD-O-3 prefix'),
      field('Container', input('container', { value: q.container, placeholder: 'freezer, rack or box', spellcheck: 'false' })),
      field('Donor', input('donor', { value: q.donor, placeholder: 'P000123', spellcheck: 'false' })),
      studies.length || q.study ? field(t('study'), select('study', [['', t('anyStudy')], ...studies.map((x) => [x.code, `${x.code} · ${x.title || ''}`])], q.study)) : null,
      studies.length || q.event ? field(t('event'), input('event', { value: q.event, placeholder: 'BASELINE', spellcheck: 'false' }), t('eventHint')) : null,
      field(t('withdrawnFilter'), select('withdrawn', [['', t('withdrawn.include')], ['exclude', t('withdrawn.exclude')], ['only', t('withdrawn.only')]], q.withdrawn))),
    h('fieldset.consent', h('legend', 'Consent covers'),
      USES.map((c) => h('label.check', h('input', { type: 'checkbox', name: 'consent', value: c, checked: consent.has(c) }), ` ${useWords(c)}`))),
    h('div.actions', h('button', { type: 'submit' }, 'Search'),
      h('button.secondary', { type: 'button', onclick: () => ctx.navigate('/search') }, 'Clear')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = {};
    for (const k of FILTERS) {
      if (k === 'consent') v.consent = [...form.querySelectorAll('input[name=consent]:checked')].map((c) => c.value).join(',');
      else if (form.elements[k]) v[k] = form.elements[k].value.trim();
    }
    ctx.navigate('/search', v);
  });
  const results = h('section#results', { 'aria-live': 'polite', 'aria-labelledby': 'results-h' });
  mount(main, h('h1', 'Search specimens'), form, results);

  const offset = Math.max(0, parseInt(q.offset || '0', 10) || 0);
  const query = { limit: PAGE, offset };
  for (const k of FILTERS) if (q[k]) query[k] = q[k];
  results.append(loading('Searching…'));
  let r;
  try {
    r = await get('/api/specimens', query);
  } catch (err) {
    if (!ctx.current()) return;
    mount(results, h('h2#results-h.visually-hidden', 'Results'));
    if (err.field && form.elements[err.field]) showError(form, err);
    else results.append(notice('error', err.message));
    return;
  }
  if (!ctx.current()) return;
  const items = Array.isArray(r) ? r : r.items || [];
  const total = Array.isArray(r) ? items.length : (r.total ?? items.length);
  const pageLink = (off) => `#/search?${new URLSearchParams({ ...Object.fromEntries(Object.entries(q).filter(([k]) => k !== 'offset')), offset: off })}`;
  const exportStatus = h('p.notice', { role: 'status', hidden: true });
  const download = async () => {
    const filters = {};
    for (const k of FILTERS) if (q[k]) filters[k] = q[k];
    try {
      const b = await blob(url('/api/export/specimens', { format: 'csv', ...filters }));
      const u = URL.createObjectURL(b);
      const a = h('a', { href: u, download: 'specimens.csv' });
      document.body.append(a); a.click(); a.remove();
      setTimeout(() => URL.revokeObjectURL(u), 60000);
      exportStatus.hidden = true;
    } catch (err) {
      exportStatus.textContent = `Export: ${err.message}`;
      exportStatus.className = 'notice error';
      exportStatus.hidden = false;
    }
  };
  mount(results,
    total > 0 ? h('div.results-actions', h('button.secondary', { type: 'button', onclick: download }, 'Download CSV'), exportStatus) : null,
    h('h2#results-h', total === 0 ? 'No specimens match' :
      `${total.toLocaleString('en')} specimen${total === 1 ? '' : 's'}${total > items.length ? ` · ${offset + 1}–${offset + items.length}` : ''}`),
    items.length ? h('div.table-wrap', h('table.data.results',
      h('thead', h('tr', ['Barcode', 'Type', 'Status', 'Qty', 'Site', 'Donor', 'Lineage', 'Collected', 'Location']
        .map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', items.map((s) => h('tr',
        h('td', h('a.mono', { href: `#/specimen/${encodeURIComponent(s.barcode)}` }, s.barcode), s.label ? h('small.sub', s.label) : null),
        h('td', words(s.type)),
        h('td', statusBadge(s.status)),
        h('td.num', `${fmtNum(s.quantity)} ${s.unit || ''}`),
        h('td', s.site),
        h('td', s.donor),
        h('td', words(s.lineage)),
        h('td', fmtTime(s.collected_at).slice(0, 10)),
        h('td', s.container ? h('a', { href: `#/container/${encodeURIComponent(s.container)}` }, `${s.container} ${s.position || ''}`) : h('span.muted', 'not stored'))))))) : null,
    total > PAGE ? h('nav.pager', { 'aria-label': 'Result pages' },
      offset > 0 ? h('a.button.secondary', { href: pageLink(Math.max(0, offset - PAGE)), rel: 'prev' }, '← Previous') : h('span'),
      h('span', `Page ${Math.floor(offset / PAGE) + 1} of ${Math.ceil(total / PAGE)}`),
      offset + PAGE < total ? h('a.button.secondary', { href: pageLink(offset + PAGE), rel: 'next' }, 'Next →') : h('span')) : null);
}
