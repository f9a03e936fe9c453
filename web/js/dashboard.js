// dashboard.js - #/: counts by type, site, status and diagnosis drawn as SVG
// bar charts, and the recent activity (GET /api/stats).
import { get } from './api.js';
import { h, mount, loading, fmtTime, words, notice } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
function s(tag, attrs, ...kids) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, v);
  for (const k of kids) el.append(k instanceof Node ? k : document.createTextNode(String(k)));
  return el;
}

/**
 * Turns whatever shape a count list comes in into [[label, n], ...]:
 * {key: n}, [{key|name|code|type|site|status|diagnosis|label, count|n|value}]
 * or [[key, n]].
 */
export function pairs(x) {
  if (!x) return [];
  if (Array.isArray(x)) {
    return x.map((r) => {
      if (Array.isArray(r)) return [String(r[0]), Number(r[1])];
      const label = r.label ?? r.name ?? r.key ?? r.code ?? r.type ?? r.site ?? r.status ?? r.diagnosis ?? r.topography ?? '?';
      const n = r.count ?? r.n ?? r.value ?? r.specimens ?? 0;
      const extra = r.name && r.code && r.name !== r.code ? r.name : (r.meaning || r.description || null);
      return [String(label), Number(n), extra];
    });
  }
  if (typeof x === 'object') return Object.entries(x).map(([k, v]) => [k, Number(typeof v === 'object' && v ? v.count ?? v.n : v)]);
  return [];
}

/** by_site: [{code, name, specimens (the site's own), total}] -> the sites that hold any. */
function siteCounts(x) {
  if (!Array.isArray(x)) return pairs(x);
  return x.map((r) => [r.code ?? r.site ?? '?', Number(r.specimens ?? r.count ?? 0), r.name]).filter(([, n]) => n > 0);
}
/** by_diagnosis: [{topography, donors, specimens}]. */
function diagnosisCounts(x) {
  if (!Array.isArray(x)) return pairs(x);
  return x.map((r) => [r.topography ?? r.diagnosis ?? r.code ?? '?', Number(r.specimens ?? r.count ?? 0),
    r.donors != null ? `${r.donors} donors` : null]);
}

/** A horizontal bar chart: one row per label, largest first, at most max rows. */
export function barChart(title, data, { max = 12, link } = {}) {
  const rows = data.filter(([, n]) => Number.isFinite(n)).sort((a, b) => b[1] - a[1]);
  // A single row past the limit is shown itself rather than as "1 other".
  const keep = rows.length === max + 1 ? max + 1 : max;
  const shown = rows.slice(0, keep);
  const rest = rows.slice(keep).reduce((t, [, n]) => t + n, 0);
  if (rest > 0) shown.push([`${rows.length - keep} others`, rest, null, true]);
  const total = rows.reduce((t, [, n]) => t + n, 0);
  const top = Math.max(1, ...shown.filter((r) => !r[3]).map(([, n]) => n));
  const rowH = 24, labelW = 150, barW = 260, numW = 70, width = labelW + barW + numW;
  const svg = s('svg', {
    viewBox: `0 0 ${width} ${Math.max(rowH, shown.length * rowH)}`, class: 'chart',
    role: 'img', 'aria-label': `${title}: ${shown.map(([l, n]) => `${words(l)} ${n}`).join(', ')}`,
  });
  shown.forEach(([label, n, extra, isRest], i) => {
    const y = i * rowH;
    const w = isRest ? 0 : Math.max(1, Math.round((n / top) * barW));   // "others" is a number, not a bar
    const g = s('g', { class: isRest ? 'bar rest' : 'bar' });
    const text = words(label);
    const lab = s('text', { x: labelW - 8, y: y + rowH / 2, 'text-anchor': 'end', 'dominant-baseline': 'middle', class: 'lab' },
      text.length > 20 ? `${text.slice(0, 19)}…` : text);
    lab.append(s('title', {}, extra ? `${text}: ${extra}` : text));
    g.append(lab,
      s('rect', { x: labelW, y: y + 4, width: w, height: rowH - 8, rx: 3 }),
      s('text', { x: labelW + w + 6, y: y + rowH / 2, 'dominant-baseline': 'middle', class: 'num' }, n.toLocaleString('en')));
    if (link && !isRest) {
      const a = s('a', { href: link(label) });
      a.append(g);
      svg.append(a);
    } else svg.append(g);
  });
  return h('section.card.chart-card', { 'aria-labelledby': `chart-${title.replace(/\W+/g, '-')}` },
    h('h2', { id: `chart-${title.replace(/\W+/g, '-')}` }, title, h('span.total', `${total.toLocaleString('en')} in all`)),
    shown.length ? svg : h('p.empty', 'Nothing to show.'));
}

function activityTable(items) {
  if (!items.length) return h('p.empty', 'No recent activity.');
  return h('div.table-wrap', h('table.data',
    h('caption.visually-hidden', 'Recent activity'),
    h('thead', h('tr', ['Time (UTC)', 'Who', 'Site', 'What', 'Specimen or record'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', items.slice(0, 25).map((e) => {
      const key = e.barcode || e.specimen || e.key || '';
      const kind = e.entity || (e.barcode || e.specimen ? 'specimen' : '');
      return h('tr',
        h('td.nowrap', fmtTime(e.at || e.time)),
        h('td', e.actor || e.user || ''),
        h('td', e.site || ''),
        h('td', words(String(e.action || '').replace(':', ' → '))),
        h('td', key && kind === 'specimen' ? h('a.mono', { href: `#/specimen/${encodeURIComponent(key)}` }, key)
          : key && kind === 'container' ? h('a.mono', { href: `#/container/${encodeURIComponent(key)}` }, key)
            : [kind ? `${words(kind)} ` : '', key]));
    }))));
}

/** Recent events; logins and logouts are hidden unless asked for. */
function activity(items) {
  const all = items || [];
  const work = all.filter((e) => e.entity !== 'session');
  const wrap = h('div');
  let showAll = false;
  const draw = () => {
    const hidden = all.length - work.length;
    wrap.replaceChildren(
      hidden ? h('p.small', h('label.check', h('input', {
        type: 'checkbox', checked: showAll, onchange: (ev) => { showAll = ev.target.checked; draw(); },
      }), ` show logins and logouts (${hidden})`)) : null,
      activityTable(showAll ? all : work));
  };
  draw();
  return wrap;
}

export async function render(main, ctx) {
  main.append(h('h1', 'Dashboard'), loading());
  const st = await get('/api/stats', { recent: 100 });
  if (!ctx.current()) return;
  const siteLink = (v) => `#/search?site=${encodeURIComponent(v)}`;
  const total = st.specimens ?? st.total ?? null;
  mount(main,
    h('div.page-head', h('h1', 'Dashboard'),
      total != null ? h('p.lead', `${Number(total).toLocaleString('en')} specimens`,
        st.donors != null ? ` from ${Number(st.donors).toLocaleString('en')} donors` : '',
        st.containers != null ? ` in ${Number(st.containers).toLocaleString('en')} containers` : '',
        st.scope ? ' in your sites' : ' across the network') : null),
    h('div.charts',
      barChart('Specimens by type', pairs(st.by_type), { link: (v) => `#/search?type=${encodeURIComponent(v)}` }),
      barChart('Specimens by status', pairs(st.by_status), { link: (v) => `#/search?status=${encodeURIComponent(v)}` }),
      barChart('Specimens by site', siteCounts(st.by_site), { link: siteLink }),
      barChart('Specimens by diagnosis (ICD-O-3 topography)', diagnosisCounts(st.by_diagnosis), { link: (v) => `#/search?topography=${encodeURIComponent(v.split(/[ :]/)[0])}` })),
    h('section.card', { 'aria-labelledby': 'recent-h' },
      h('h2#recent-h', 'Recent activity'),
      activity(st.recent || st.recent_activity || st.activity)),
    (!st.by_type && !st.by_status) ? notice('info', 'The server sent no counts yet.') : null);
}
