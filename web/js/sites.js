// sites.js - #/sites: the network of sites (GET /api/sites) as a tree, each
// site with its kind, parent and whether it is retired (greyed);
// #/site/CODE: one site, each field's history (GET /api/sites/{code}/history)
// and, for an administrator who reaches it, Correct: the name, the parent (a
// move with every site below) and retiring it or putting it back in service
// (PATCH /api/sites/{code}, with a reason). Texts through js/i18n.js.
import { get, seg } from './api.js';
import { h, mount, loading, notice, fmtTime } from './dom.js';
import { can } from './model.js';
import { t, fieldLabel } from './i18n.js';
import { forgetSites } from './search.js';
import { entityFields, loadHistory, byField, historySection, historyButton, correctionAction, setCorrectionFlash, takeCorrectionFlash } from './corrections.js';

const sitePath = (code) => `/site/${seg(code)}`;

function kindWords(kind) {
  const w = t(`kind.${kind}`);
  return w === `kind.${kind}` ? String(kind || '') : w;
}

/** The state of a site: in service, or a grey badge with the day it was retired. */
function state(s) {
  return s.retired
    ? h('span.badge.retired-badge', t('retiredSince', { date: fmtTime(s.retired) }))
    : h('span.muted', t('inService'));
}

/** The network read: [{...site, depth}] in tree order, and each code's children. */
async function network() {
  const r = await get('/api/sites');
  const list = Array.isArray(r) ? r : (r && r.items) || [];
  const byCode = new Map(list.map((s) => [s.code, s]));
  const kids = new Map();
  for (const s of list) {
    const p = s.parent && byCode.has(s.parent) ? s.parent : '';
    if (!kids.has(p)) kids.set(p, []);
    kids.get(p).push(s);
  }
  const out = [];
  const walk = (code, depth) => {
    for (const s of kids.get(code) || []) { out.push({ ...s, depth }); walk(s.code, depth + 1); }
  };
  walk('', 0);
  return { list: out, byCode, kids };
}

/** The codes of code and every site below it. */
function subtree(net, code) {
  const out = new Set();
  const add = (c) => { out.add(c); for (const k of net.kids.get(c) || []) add(k.code); };
  if (code && net.byCode.has(code)) add(code);
  return out;
}

/** Whether the user may correct site code: an administrator whose site is it or above it. */
function mayCorrect(user, net, code) {
  return can(user, 'site') && subtree(net, user.site).has(code);
}

async function renderTree(main, ctx) {
  main.append(h('h1', t('networkTitle')), loading());
  const net = await network();
  if (!ctx.current()) return;
  const retired = net.list.filter((s) => s.retired).length;
  const cols = [t('site'), fieldLabel('name'), fieldLabel('kind'), fieldLabel('parent'), t('state')];
  const admin = can(ctx.user, 'site');
  mount(main,
    h('h1', t('networkTitle')),
    h('p.lead', t('networkIntro')),
    admin ? null : h('p.hint', t('networkReadOnly')),
    h('section#site-tree', { 'aria-labelledby': 'site-tree-h' },
      h('h2#site-tree-h', t('networkCount', { n: net.list.length, r: retired })),
      h('div.table-wrap', h('table.data.tree-table.sites',
        h('caption.visually-hidden', t('networkTitle')),
        h('thead', h('tr', cols.map((x) => h('th', { scope: 'col' }, x)), admin ? h('th', h('span.visually-hidden', t('correct'))) : null)),
        h('tbody', net.list.map((s) => h('tr', { class: s.retired ? 'retired' : null, dataset: { site: s.code } },
          h('td', { style: `--depth:${s.depth}` }, h('a.mono', { href: `#${sitePath(s.code)}` }, s.code)),
          h('td', s.name || ''),
          h('td', kindWords(s.kind)),
          h('td', s.parent ? h('a.mono', { href: `#${sitePath(s.parent)}` }, s.parent) : ''),
          h('td', state(s)),
          admin ? h('td', mayCorrect(ctx.user, net, s.code)
            ? h('a.button.secondary.site-correct', { href: `#${sitePath(s.code)}?correct=1`, 'aria-label': `${t('correct')} ${s.code}` }, t('correct'))
            : null) : null)))))));
}

async function renderSite(main, ctx) {
  const code = ctx.params.code;
  const path = `/api/sites/${seg(code)}`;
  main.append(h('h1', t('siteTitle', { code })), loading());
  let s;
  try {
    s = await get(path);
  } catch (err) {
    if (!ctx.current()) return;
    if (err.status === 404) {
      mount(main, h('h1', t('siteTitle', { code })), notice('error', t('siteNotFound', { code })), h('p', h('a', { href: '#/sites' }, t('allSites'))));
      return;
    }
    throw err;
  }
  const [net, fields, hist] = await Promise.all([network(), entityFields('site'), loadHistory(path, s)]);
  if (!ctx.current()) return;
  const groups = byField(hist.changes, fields);
  // The parent may be any site but this one and those below it (the server
  // checks the ranks); the center has none to change.
  const mine = subtree(net, s.code);
  const parents = net.list.filter((x) => !mine.has(x.code))
    .map((x) => [x.code, `${'\u00a0\u00a0'.repeat(x.depth)}${x.code} · ${x.name || ''} (${kindWords(x.kind)}${x.retired ? `, ${t('retiredSince', { date: fmtTime(x.retired) })}` : ''})`]);
  const offered = fields.filter((f) => f.name !== 'parent' || s.parent);
  const correct = mayCorrect(ctx.user, net, s.code) ? correctionAction({
    path, fields: offered,
    current: (n) => s[n],
    choices: { parent: parents },
    onSaved: (rec, said) => { forgetSites(); setCorrectionFlash(path, said); ctx.navigate(sitePath(s.code)); },
  }) : null;
  const below = net.kids.get(s.code) || [];
  mount(main,
    h('div.page-head',
      h('div', h('h1', t('site'), ' ', h('span.mono', s.code)),
        h('p.lead', h('span#site-name', s.name || ''), ' · ', kindWords(s.kind), ' · ', h('span#site-state', state(s)))),
      h('div.head-actions', correct ? correct.button : null,
        h('a.button.secondary', { href: `#/freezers?site=${encodeURIComponent(s.code)}` }, t('siteFreezers')),
        h('a.button.secondary', { href: `#/donors?site=${encodeURIComponent(s.code)}` }, t('siteDonors')),
        h('a.button.secondary', { href: '#/sites' }, t('allSites')))),
    takeCorrectionFlash(path),
    correct ? correct.panel : null,
    h('div.specimen-grid',
      h('section.card#site-details', { class: s.retired ? 'retired' : null, 'aria-labelledby': 'site-details-h' },
        h('h2#site-details-h', t('site')),
        h('dl.facts',
          h('dt', t('code')), h('dd.mono', s.code),
          h('dt', fieldLabel('name')), h('dd', s.name || '', historyButton('name', groups)),
          h('dt', fieldLabel('kind')), h('dd', kindWords(s.kind)),
          h('dt', fieldLabel('parent')), h('dd#site-parent', s.parent ? h('a.mono', { href: `#${sitePath(s.parent)}` }, s.parent) : t('parentNone'), historyButton('parent', groups)),
          h('dt', t('state')), h('dd', state(s), historyButton('retired', groups)))),
      h('section.card#site-below', { 'aria-labelledby': 'site-below-h' },
        h('h2#site-below-h', t('below')),
        below.length ? h('ul.plain', below.map((x) => h('li', { class: x.retired ? 'retired' : null },
          h('a.mono', { href: `#${sitePath(x.code)}` }, x.code), ` ${x.name || ''} · ${kindWords(x.kind)}`, x.retired ? [' ', state(x)] : null)))
          : h('p.muted', t('noneBelow')))),
    historySection(hist, groups));
  if (correct && ctx.query.correct) correct.button.click();
}

export async function render(main, ctx) {
  if (ctx.params.code) return renderSite(main, ctx);
  return renderTree(main, ctx);
}
