// freezers.js - #/freezers: the storage tree of a site (GET /api/containers);
// #/container/BARCODE: a freezer, rack or shelf (what is below it) or a box
// drawn as a grid of positions, where a specimen is moved by picking a free
// cell (POST /api/specimens/{barcode}/move). Both show each field's history
// and, by role, correct the name, temperature or parent (a move with contents).
import { get, post, seg, ApiError } from './api.js';
import { h, mount, field, select, input, loading, notice, words, showError, clearErrors } from './dom.js';
import { can } from './model.js';
import { t } from './i18n.js';
import { sites } from './search.js';
import { pathLinks } from './specimen.js';
import { labelButton } from './labels.js';
import { entityFields, loadHistory, byField, historySection, correctionAction, setCorrectionFlash, takeCorrectionFlash } from './corrections.js';

// The box map's name for a position held by another site's material (docs/access.md).
const FOREIGN = '(another site)';

const KIND_ICON = { freezer: '❄', ln2_tank: '◎', refrigerator: '◫', shelf: '▤', rack: '▥', box: '▦' };

function temp(c) {
  const t = c.temperature ?? c.storage_temperature;
  return t == null ? '' : `${t} °C`;
}

function fill(c) {
  if (c.capacity == null) return c.specimens ? `${c.specimens} specimens` : '';
  const pct = c.capacity ? Math.round((100 * c.specimens) / c.capacity) : 0;
  return h('span.fill', { title: `${c.specimens} of ${c.capacity} positions used` },
    h('span.meter', { 'aria-hidden': 'true' }, h('span', { style: `width:${pct}%` })),
    ` ${c.specimens}/${c.capacity}`);
}

function treeTable(list, caption) {
  return h('div.table-wrap', h('table.data.tree-table',
    h('caption.visually-hidden', caption),
    h('thead', h('tr', ['Container', 'Name', 'Kind', 'Temperature', 'Used'].map((t) => h('th', { scope: 'col' }, t)))),
    h('tbody', list.map((c) => h('tr', { class: `k-${c.kind}` },
      h('td', { style: `--depth:${c.depth || 0}` }, h('span.indent'),
        h('span.icon', { 'aria-hidden': 'true' }, KIND_ICON[c.kind] || '•'), ' ',
        h('a.mono', { href: `#/container/${encodeURIComponent(c.barcode)}` }, c.barcode)),
      h('td', c.name || ''),
      h('td', words(c.kind)),
      h('td.num', temp(c)),
      h('td', fill(c)))))));
}

async function renderList(main, ctx) {
  const siteList = await sites(ctx.user);
  if (!ctx.current()) return;
  const site = ctx.query.site || (ctx.user && ctx.user.site) || '';
  const sel = select('site', [['', 'all my sites'], ...siteList.map((x) => [x.code, `${x.code} – ${x.name || x.kind || ''}`])], site);
  const form = h('form.inline-form', { role: 'search' }, field('Site', sel), h('button', { type: 'submit' }, 'Show'));
  form.addEventListener('submit', (ev) => { ev.preventDefault(); ctx.navigate('/freezers', { site: sel.value }); });
  sel.addEventListener('change', () => ctx.navigate('/freezers', { site: sel.value }));
  const out = h('div', loading());
  mount(main, h('h1', 'Freezers and boxes'), form, out);
  let list;
  try {
    list = await get('/api/containers', { site });
  } catch (err) {
    if (!ctx.current()) return;
    mount(out, notice('error', err.message));
    return;
  }
  if (!ctx.current()) return;
  list = Array.isArray(list) ? list : list.items || [];
  if (!list.length) { mount(out, h('p.empty', 'No containers here.')); return; }
  // One card per top-level container (freezer, tank, refrigerator).
  const groups = [];
  for (const c of list) {
    if (!c.depth || !groups.length) groups.push([c]);
    else groups[groups.length - 1].push(c);
  }
  mount(out, h('div.freezers', groups.map((g) => {
    const top = g[0];
    const boxes = g.filter((c) => c.kind === 'box');
    const used = boxes.reduce((t, c) => t + (c.specimens || 0), 0);
    const cap = boxes.reduce((t, c) => t + (c.capacity || 0), 0);
    return h('details.card.freezer', { open: groups.length <= 6 },
      h('summary',
        h('span.icon', { 'aria-hidden': 'true' }, KIND_ICON[top.kind] || '•'), ' ',
        h('strong.mono', top.barcode), ' ', h('span', top.name || ''), ' ',
        h('span.muted', `${words(top.kind)}, ${temp(top)}, ${top.site} · ${boxes.length} boxes, ${used}/${cap} used`)),
      treeTable(g, `What ${top.barcode} holds`));
  })));
}

/** Spreadsheet-style row letters: 1 A, 26 Z, 27 AA. */
function letters(n) {
  let s = '';
  while (n > 0) { const r = (n - 1) % 26; s = String.fromCharCode(65 + r) + s; n = Math.floor((n - 1) / 26); }
  return s;
}
function posName(scheme, r, c, cols) {
  if (scheme === '1-1') return `${r}-${c}`;
  if (scheme === '1') return String((r - 1) * cols + c);
  return `${letters(r)}${c}`;
}

/** Arrow keys, Home and End move the focus between cells, as in a grid. */
function gridKeys(ev, grid, cols) {
  const cells = [...grid.querySelectorAll('button.cell')];
  const i = cells.indexOf(document.activeElement);
  if (i < 0) return;
  const step = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -cols, ArrowDown: cols }[ev.key];
  let j = null;
  if (step !== undefined) j = i + step;
  else if (ev.key === 'Home') j = i - (i % cols);
  else if (ev.key === 'End') j = i - (i % cols) + cols - 1;
  if (j === null || j < 0 || j >= cells.length) return;
  ev.preventDefault();
  cells[j].focus();
}

function boxGrid(box, state, onCell) {
  const rows = box.rows, cols = box.cols;
  const at = new Map();
  for (const p of box.positions || []) at.set(`${p.row},${p.col}`, p);
  const grid = h('div.box-grid', {
    role: 'grid', 'aria-label': `Box ${box.barcode}, ${rows} rows by ${cols} columns`,
    style: `--cols:${cols}`, 'aria-rowcount': rows + 1, 'aria-colcount': cols + 1,
  });
  grid.addEventListener('keydown', (ev) => gridKeys(ev, grid, cols));
  grid.append(h('div.hrow', { role: 'row' }, h('span.corner', { role: 'columnheader' }),
    Array.from({ length: cols }, (_, i) => h('span.colh', { role: 'columnheader' }, String(i + 1)))));
  for (let r = 1; r <= rows; r++) {
    const row = h('div.grow', { role: 'row' }, h('span.rowh', { role: 'rowheader' }, box.scheme === 'A1' || !box.scheme ? letters(r) : String(r)));
    for (let c = 1; c <= cols; c++) {
      const p = at.get(`${r},${c}`) || { position: posName(box.scheme, r, c, cols), row: r, col: c, specimen: null };
      const raw = p.specimen && typeof p.specimen === 'object' ? p.specimen.barcode : p.specimen;
      // Another site's material parked here: the place is taken, the
      // barcode is not ours to see, and nothing can be done with it.
      if (raw === FOREIGN) {
        const label = `${p.position}: taken by another site's material`;
        row.append(h('div', { role: 'gridcell' }, h('button', {
          type: 'button', class: 'cell occupied foreign', disabled: true, 'aria-label': label, title: label,
          dataset: { position: p.position, specimen: '' },
        }, h('span.bc', '—'))));
        continue;
      }
      const sp = raw;
      const cls = ['cell', sp ? 'occupied' : 'free'];
      if (sp && sp === state.moving) cls.push('selected');
      if (sp && sp === state.highlight) cls.push('highlight');
      if (!sp && state.moving) cls.push('target');
      if (!sp && state.freeSel === p.position) cls.push('selected');
      const label = sp ? `${p.position}: ${sp}${sp === state.moving ? ', selected to move' : ''}` : `${p.position}: free${state.moving ? `, move ${state.moving} here` : ''}`;
      row.append(h('div', { role: 'gridcell' },
        h('button', {
          type: 'button', class: cls.join(' '), 'aria-label': label, title: label,
          'aria-pressed': sp ? String(sp === state.moving) : false,
          dataset: { position: p.position, specimen: sp || '' },
          onclick: () => onCell(p.position, sp),
        }, sp ? h('span.bc', sp) : h('span.pos', p.position))));
    }
    grid.append(row);
  }
  return grid;
}

/**
 * A container's correction and history: {button, panel, flash, history}
 * (button and panel null for a role that may not change containers).
 */
async function containerExtras(ctx, c, list) {
  const barcode = c.barcode || ctx.params.barcode;
  const path = `/api/containers/${seg(barcode)}`;
  const [fields, hist] = await Promise.all([entityFields('container'), loadHistory(path, c)]);
  const me = (list || []).find((x) => x.barcode === barcode) || {};
  const parts = String(c.path || me.path || '').split(' > ').filter(Boolean);
  const current = (n) => {
    if (n === 'parent') return c.parent ?? me.parent ?? (parts.length > 1 ? parts[parts.length - 2] : null);
    return c[n] ?? me[n] ?? null;
  };
  const correct = can(ctx.user, 'container') ? correctionAction({
    path, fields, current,
    hints: { parent: t('parentHint') },
    onSaved: (rec, said) => { setCorrectionFlash(path, said); ctx.navigate(`/container/${seg(barcode)}`); },
  }) : null;
  return {
    button: correct ? correct.button : null,
    panel: correct ? correct.panel : null,
    flash: takeCorrectionFlash(path),
    history: historySection(hist, byField(hist.changes, fields)),
  };
}

async function renderBox(main, ctx, box, list) {
  const barcode = box.barcode || ctx.params.barcode;
  const writable = can(ctx.user, 'specimen');
  const state = { moving: writable ? (ctx.query.move || null) : null, highlight: ctx.query.highlight || null, freeSel: null };
  let message = null;
  const gridWrap = h('div.grid-wrap');
  const panel = h('div.move-panel', { 'aria-live': 'polite' });
  const summary = h('p.lead');

  const draw = () => {
    summary.replaceChildren(pathLinks(box.path || barcode), ' · ',
      `${box.rows} × ${box.cols} (${box.scheme || 'A1'})`, box.temperature != null ? ` · ${box.temperature} °C` : '',
      ` · ${box.used ?? '?'} used, ${box.free ?? '?'} free`);
    mount(gridWrap, boxGrid(box, state, onCell));
    const parts = [];
    if (message) parts.push(message);
    if (state.moving) {
      parts.push(h('p.moving', { role: 'status' }, 'Moving ', h('strong.mono', state.moving), ': choose a free cell. ',
        h('button.secondary', { type: 'button', onclick: () => { state.moving = null; message = null; draw(); } }, 'Cancel'), ' ',
        h('a', { href: `#/specimen/${encodeURIComponent(state.moving)}` }, 'Open specimen')));
    } else if (state.freeSel && writable) {
      const inp = input('barcode', { spellcheck: 'false', placeholder: 'scan the specimen', 'aria-label': `Specimen to put at ${state.freeSel}` });
      const f = h('form.inline-form#put-form', { novalidate: true },
        h('span', `Position ${state.freeSel} is free. `),
        field(`Specimen to put at ${state.freeSel}`, inp),
        h('button', { type: 'submit' }, 'Put here'),
        h('button.secondary', { type: 'button', onclick: () => { state.freeSel = null; draw(); } }, 'Cancel'));
      f.addEventListener('submit', async (ev) => {
        ev.preventDefault();
        clearErrors(f);
        const sp = inp.value.trim().toUpperCase();
        if (!sp) { showError(f, { field: 'barcode', message: 'Scan or type a specimen barcode.' }); return; }
        await doMove(sp, state.freeSel, f);
      });
      parts.push(f);
      setTimeout(() => inp.focus(), 0);
    } else if (writable) {
      parts.push(h('p.muted', 'To move a specimen, choose it in the box, then a free cell. To fill a free cell, choose it and scan the specimen.'));
    } else {
      parts.push(h('p.muted', 'Choose a specimen to open it.'));
    }
    mount(panel, parts);
  };

  const reload = async () => {
    box = await get(`/api/containers/${seg(barcode)}`);
  };

  async function doMove(sp, position, form) {
    try {
      const r = await post(`/api/specimens/${seg(sp)}/move`, { container: barcode, position });
      const now = (r && r.position) || position;
      message = notice('ok', `Moved ${sp} to ${barcode} ${now}.`);
      state.moving = null; state.freeSel = null; state.highlight = sp;
      await reload();
      if (!ctx.current()) return;
      draw();
      const cell = gridWrap.querySelector(`[data-specimen="${CSS.escape(sp)}"]`);
      if (cell) cell.focus();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return;
      if (form) showError(form, err.field === 'specimen' || err.field === 'barcode' ? { ...err, field: 'barcode', message: err.message } : err);
      else { message = notice('error', err.message); draw(); }
    }
  }

  function onCell(position, sp) {
    message = null;
    if (sp) {
      if (!writable) { ctx.navigate(`/specimen/${seg(sp)}`); return; }
      state.freeSel = null;
      state.moving = state.moving === sp ? null : sp;
      draw();
      const cell = gridWrap.querySelector(`[data-position="${CSS.escape(position)}"]`);
      if (cell) cell.focus();
      return;
    }
    if (state.moving) { doMove(state.moving, position, null); return; }
    state.freeSel = writable ? position : null;
    draw();
  }

  const extra = await containerExtras(ctx, box, list);
  if (!ctx.current()) return;
  mount(main,
    h('div.page-head',
      h('div', h('h1', h('span.icon', { 'aria-hidden': 'true' }, KIND_ICON.box), ' Box ', h('span.mono', barcode)), summary),
      h('div.head-actions',
        extra.button,
        h('a.button.secondary', { href: `#/search?container=${encodeURIComponent(barcode)}` }, 'List specimens'),
        labelButton('containers', barcode, 'Print labels'))),
    extra.flash, extra.panel,
    panel, gridWrap, extra.history);
  draw();
}

async function renderContainer(main, ctx) {
  const barcode = ctx.params.barcode;
  main.append(h('h1.mono', barcode), loading());
  const [shown, under] = await Promise.allSettled([
    get(`/api/containers/${seg(barcode)}`),
    get('/api/containers', { under: barcode }),
  ]);
  if (!ctx.current()) return;
  if (shown.status === 'rejected' && under.status === 'rejected') {
    const err = shown.reason;
    if (err.status === 404) { mount(main, h('h1', 'Not found'), notice('error', `No container with barcode ${barcode}.`)); return; }
    throw err;
  }
  const c = shown.status === 'fulfilled' ? shown.value : {};
  let list = under.status === 'fulfilled' ? under.value : [];
  list = Array.isArray(list) ? list : list.items || [];
  if (c && c.rows && c.cols && (c.positions || c.kind === 'box')) { await renderBox(main, ctx, c, list); return; }
  // A freezer, shelf or rack answers the list of what it holds, itself first.
  const me = list.find((x) => x.barcode === barcode) || (Array.isArray(c) ? c.find((x) => x.barcode === barcode) : c) || {};
  const extra = shown.status === 'fulfilled' ? await containerExtras(ctx, { ...me, ...(Array.isArray(c) ? {} : c), barcode }, list) : {};
  if (!ctx.current()) return;
  mount(main,
    h('div.page-head',
      h('div', h('h1', h('span.icon', { 'aria-hidden': 'true' }, KIND_ICON[me.kind] || '•'), ' ', words(me.kind || 'container'), ' ', h('span.mono', barcode)),
        h('p.lead', me.path ? pathLinks(me.path) : null, me.name ? ` · ${me.name}` : '', temp(me) ? ` · ${temp(me)}` : '')),
      h('div.head-actions', extra.button,
        h('a.button.secondary', { href: `#/search?container=${encodeURIComponent(barcode)}` }, 'Specimens inside'))),
    extra.flash, extra.panel,
    list.length ? treeTable(list, `What ${barcode} holds`) : h('p.empty', 'Empty.'),
    extra.history);
}

export async function render(main, ctx) {
  if (ctx.params.barcode) return renderContainer(main, ctx);
  return renderList(main, ctx);
}
