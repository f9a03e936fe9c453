// ui.test.mjs - browser scenarios for the oncobank web UI, driven by
// playwright-core in the system's chromium (never a downloaded browser).
//
//   node ui.test.mjs routes            lists "SCENARIO METHOD PATH" for each
//                                      route a scenario needs that the server
//                                      does not describe in /api/openapi.json
//   node ui.test.mjs SCENARIO          runs one scenario; exit 0 = passed
//
// Environment: OB_BASE (http://127.0.0.1:PORT), OB_LOGIN, OB_PASSWORD,
// OB_SITE (the account's site), OB_AUDITOR_LOGIN, OB_ADMIN_LOGIN and
// OB_ADMIN_PASSWORD (an administrator, for accounts and password_change),
// OB_RECEIVER_LOGIN, OB_RECEIVER_PASSWORD and OB_RECEIVER_SITE (a technician
// of a site below OB_SITE, who receives the ship_receive shipment),
// CHROMIUM (default /usr/bin/chromium), OB_SHOTS (a directory: screenshots
// are written there when set).
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BASE = process.env.OB_BASE || 'http://127.0.0.1:8080';
const LOGIN = process.env.OB_LOGIN || 'tech01';
const PASSWORD = process.env.OB_PASSWORD || '';
const SITE = process.env.OB_SITE || 'REG01';
const AUDITOR = process.env.OB_AUDITOR_LOGIN || '';
const AUDITOR_PASSWORD = process.env.OB_AUDITOR_PASSWORD || PASSWORD;
const ADMIN = process.env.OB_ADMIN_LOGIN || '';
const ADMIN_PASSWORD = process.env.OB_ADMIN_PASSWORD || PASSWORD;
const RECEIVER = process.env.OB_RECEIVER_LOGIN || '';
const RECEIVER_PASSWORD = process.env.OB_RECEIVER_PASSWORD || PASSWORD;
const RECEIVER_SITE = process.env.OB_RECEIVER_SITE || '';
const SHOTS = process.env.OB_SHOTS || '';
const RUN = `${process.pid}${Date.now() % 100000}`;   // unique names for what a scenario adds
const TIMEOUT = 15000;

// What each scenario calls, to be checked against the server's OpenAPI paths.
const NEEDS = {
  login: [['POST', '/api/login'], ['GET', '/api/stats']],
  unauthorized: [['POST', '/api/login'], ['GET', '/api/stats']],
  scan: [['POST', '/api/login'], ['GET', '/api/specimens/{barcode}']],
  search: [['POST', '/api/login'], ['GET', '/api/sites'], ['GET', '/api/specimens'], ['GET', '/api/export/{kind}']],
  specimen_page: [['POST', '/api/login'], ['GET', '/api/specimens'], ['GET', '/api/specimens/{barcode}']],
  move_in_box: [['POST', '/api/login'], ['GET', '/api/specimens'], ['GET', '/api/containers/{barcode}'], ['POST', '/api/specimens/{barcode}/move']],
  import_bad_row: [['POST', '/api/login'], ['POST', '/api/import/{kind}'], ['GET', '/api/specimens']],
  actions: [['POST', '/api/login'], ['GET', '/api/specimens'], ['GET', '/api/specimens/{barcode}'], ['POST', '/api/specimens/{barcode}/status'], ['POST', '/api/specimens/{barcode}/aliquots']],
  read_only: [['POST', '/api/login'], ['GET', '/api/specimens'], ['GET', '/api/specimens/{barcode}'], ['GET', '/api/containers/{barcode}']],
  labels: [['POST', '/api/login'], ['GET', '/api/specimens'], ['GET', '/api/specimens/{barcode}'], ['GET', '/api/labels/specimens/{barcode}']],
  layout: [['POST', '/api/login'], ['GET', '/api/stats'], ['GET', '/api/specimens'], ['GET', '/api/specimens/{barcode}'], ['GET', '/api/containers/{barcode}'], ['GET', '/api/sequencing'],
    ['GET', '/api/studies'], ['GET', '/api/consent-forms'], ['GET', '/api/shipments']],
  donor_consent: [['POST', '/api/login'], ['GET', '/api/donors'], ['POST', '/api/donors'], ['GET', '/api/donors/{site}/{code}'], ['POST', '/api/donors/{site}/{code}/consents'],
    ['GET', '/api/consent-forms'], ['GET', '/api/consent-forms/{version}']],
  collect: [['POST', '/api/login'], ['POST', '/api/specimens'], ['GET', '/api/specimens/{barcode}'], ['POST', '/api/specimens/{barcode}/derivatives']],
  accounts: [['POST', '/api/login'], ['GET', '/api/users'], ['POST', '/api/users'], ['POST', '/api/users/{username}/disable']],
  password_change: [['POST', '/api/login'], ['POST', '/api/users'], ['POST', '/api/me/password']],
  foreign_in_box: [['POST', '/api/login'], ['GET', '/api/containers/{barcode}']],
  correction: [['POST', '/api/login'], ['POST', '/api/users'], ['GET', '/api/sites'], ['GET', '/api/specimens'], ['GET', '/api/specimens/{barcode}'],
    ['PATCH', '/api/specimens/{barcode}'], ['GET', '/api/specimens/{barcode}/history']],
  correction_donor: [['POST', '/api/login'], ['POST', '/api/users'], ['GET', '/api/donors'], ['GET', '/api/donors/{site}/{code}'],
    ['PATCH', '/api/donors/{site}/{code}'], ['GET', '/api/donors/{site}/{code}/history'],
    ['PATCH', '/api/donors/{site}/{code}/diagnoses/{id}']],
  correction_container: [['POST', '/api/login'], ['GET', '/api/containers'], ['GET', '/api/containers/{barcode}'],
    ['PATCH', '/api/containers/{barcode}'], ['GET', '/api/containers/{barcode}/history']],
  sites: [['POST', '/api/login'], ['GET', '/api/sites'], ['GET', '/api/sites/{code}'], ['PATCH', '/api/sites/{code}'],
    ['GET', '/api/sites/{code}/history']],
  study_consent: [['POST', '/api/login'], ['GET', '/api/consent-forms'], ['POST', '/api/consent-forms'], ['GET', '/api/consent-forms/{version}'],
    ['GET', '/api/studies'], ['POST', '/api/studies'], ['GET', '/api/studies/{code}'], ['POST', '/api/studies/{code}/sites'],
    ['POST', '/api/studies/{code}/forms'], ['POST', '/api/studies/{code}/events'], ['POST', '/api/studies/{code}/events/{event}/requirements'],
    ['GET', '/api/studies/{code}/participants'], ['POST', '/api/studies/{code}/participants'], ['GET', '/api/studies/{code}/worklist'],
    ['GET', '/api/studies/{code}/accrual'], ['POST', '/api/donors'], ['POST', '/api/donors/{site}/{code}/consents'],
    ['POST', '/api/donors/{site}/{code}/withdrawal'], ['POST', '/api/specimens'], ['POST', '/api/specimens/{barcode}/aliquots'],
    ['POST', '/api/studies/{code}/members'], ['DELETE', '/api/studies/{code}/members/{user}'], ['PATCH', '/api/studies/{code}']],
  ship_receive: [['POST', '/api/login'], ['GET', '/api/sites'], ['GET', '/api/specimens'], ['GET', '/api/specimens/{barcode}'],
    ['GET', '/api/containers'], ['POST', '/api/containers'], ['POST', '/api/specimens/{barcode}/move'],
    ['GET', '/api/shipments'], ['POST', '/api/shipments'], ['GET', '/api/shipments/{code}'], ['POST', '/api/shipments/{code}/items'],
    ['POST', '/api/shipments/{code}/pack'], ['POST', '/api/shipments/{code}/ship'], ['POST', '/api/shipments/{code}/receive'],
    ['POST', '/api/shipments/{code}/finish'], ['GET', '/api/specimens/{barcode}/shipments'], ['PATCH', '/api/shipments/{code}'],
    ['POST', '/api/shipments/{code}/cancel'], ['DELETE', '/api/shipments/{code}/items/{barcode}'],
    ['GET', '/api/shipments/{code}/manifest.csv'], ['GET', '/api/shipments/{code}/receipt.csv']],
  sequencing_report: [['POST', '/api/login'], ['GET', '/api/specimens'], ['GET', '/api/specimens/{barcode}'], ['GET', '/api/specimens/{barcode}/sequencing'], ['POST', '/api/specimens/{barcode}/sequencing'], ['GET', '/api/sequencing/{id}/report'], ['GET', '/api/sequencing']],
};

class Fail extends Error {}
function check(cond, msg) { if (!cond) throw new Fail(msg); }

// ---- the API, straight (to set up and to check what the UI did) -------------
let token = null;
async function api(method, p, body) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(BASE + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  if (!r.ok) throw new Fail(`${method} ${p}: HTTP ${r.status} ${text.slice(0, 200)}`);
  return json;
}
async function apiLogin(login = LOGIN, password = PASSWORD) {
  const r = await api('POST', '/api/login', { username: login, password });
  token = r.token;
}
const items = (r) => (Array.isArray(r) ? r : r.items);

// ---- the browser ------------------------------------------------------------
let browser, userDir;
async function open(width = 1280) {
  userDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ob-chromium-'));
  const ctx = await chromium.launchPersistentContext(userDir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width, height: 900 },
  });
  browser = ctx;
  const page = ctx.pages()[0] || await ctx.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => console.error(`# page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) console.error(`# console: ${m.text()}`); });
  return page;
}
async function close() {
  if (browser) await browser.close().catch(() => {});
  if (userDir) fs.rmSync(userDir, { recursive: true, force: true });
}
async function shot(page, name) {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}
// Logs out and waits until the logout is done: the login form is drawn
// again once POST /api/logout answered, and a login typed before that
// would be wiped by the redraw.
async function uiLogout(page) {
  await page.click('#logout');
  await page.waitForSelector('.login-form:has-text("You have logged out")');
}
async function uiLogin(page, login = LOGIN, password = PASSWORD) {
  await page.goto(`${BASE}/#/login`);
  await page.fill('.login-form input[name=username]', login);
  await page.fill('.login-form input[name=password]', password);
  await page.click('.login-form button[type=submit]');
  try {
    // A login checks an Argon2id hash: allow for a loaded machine.
    await page.waitForSelector('#topbar:not([hidden])', { timeout: 2 * TIMEOUT });
  } catch (err) {
    const said = await page.locator('.login-form').textContent().catch(() => '');
    throw new Fail(`login as ${login} did not finish: ${said.replace(/\s+/g, ' ').slice(0, 200)} (${err.message.split('\n')[0]})`);
  }
}

/** A stored, available specimen of the account's site whose box has a free cell. */
async function movableSpecimen() {
  const found = items(await api('GET', `/api/specimens?site=${SITE}&status=available&limit=200`));
  for (const s of found) {
    if (!s.container || !s.position) continue;
    const box = await api('GET', `/api/containers/${encodeURIComponent(s.container)}`);
    const free = (box.positions || []).find((p) => !p.specimen);
    if (free) return { s, box, free: free.position };
  }
  throw new Fail(`no stored specimen at ${SITE} with a free cell in its box`);
}

// ---- scenarios ----------------------------------------------------------------
const SCENARIOS = {
  async login(page) {
    await page.goto(`${BASE}/`);
    await page.waitForSelector('.login-form');
    check(await page.locator('#topbar').isHidden(), 'the header shows before login');
    await page.fill('.login-form input[name=username]', LOGIN);
    await page.fill('.login-form input[name=password]', `${PASSWORD}-wrong`);
    await page.click('.login-form button[type=submit]');
    await page.waitForSelector('.login-form .field-error:not([hidden])');
    const msg = await page.textContent('.login-form .field-error:not([hidden])');
    check(/wrong username or password/i.test(msg), `wrong password message: ${msg}`);
    await page.fill('.login-form input[name=password]', PASSWORD);
    await page.click('.login-form button[type=submit]');
    await page.waitForSelector('svg.chart');
    check((await page.locator('svg.chart').count()) >= 2, 'the dashboard draws its charts');
    check((await page.textContent('#who')).includes(LOGIN), 'the header names the user');
    const stored = await page.evaluate(() => sessionStorage.getItem('oncobank.token'));
    check(stored, 'the token is kept in sessionStorage');
    await shot(page, 'dashboard');
    await uiLogout(page);
    check(!(await page.evaluate(() => sessionStorage.getItem('oncobank.token'))), 'logout forgets the token');
  },

  async unauthorized(page) {
    await uiLogin(page);
    await page.evaluate(() => sessionStorage.setItem('oncobank.token', 'expired-or-forged-token'));
    await page.goto(`${BASE}/#/search`);
    await page.waitForSelector('.login-form');
    const text = await page.textContent('.login-form');
    check(/session has ended/i.test(text), `a 401 returns to login with a message; got: ${text}`);
  },

  async scan(page) {
    await apiLogin();
    const s = items(await api('GET', `/api/specimens?site=${SITE}&limit=1`))[0];
    check(s, `no specimen at ${SITE}`);
    await uiLogin(page);
    await page.click('#scan-input');
    await page.keyboard.type(s.barcode.toLowerCase());   // a scanner types, then Enter
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/#/specimen/${s.barcode}`);
    await page.waitForSelector('#details');
    check((await page.textContent('main h1')).trim() === s.barcode, 'the specimen page shows the scanned barcode');
    check(await page.evaluate(() => document.activeElement && document.activeElement.id === 'scan-input'),
      'the scan box keeps the focus for the next scan');
    await page.fill('#scan-input', 'NOSUCHBARCODE9');
    await page.press('#scan-input', 'Enter');
    await page.waitForSelector('#scan-msg:not([hidden])');
    const msg = await page.textContent('#scan-msg');
    check(msg.includes('No specimen with barcode NOSUCHBARCODE9'), `unknown barcode message: ${msg}`);
  },

  /** Filters go into the address and the table; the CSV download follows them. */
  async search(page) {
    await apiLogin();
    const want = (await api('GET', `/api/specimens?site=${SITE}&type=plasma&limit=1`)).total;
    await uiLogin(page);
    await page.click('nav a[data-nav=search]');
    await page.waitForSelector('form.filters');
    await page.selectOption('form.filters select[name=site]', SITE);
    await page.selectOption('form.filters select[name=type]', 'plasma');
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/type=plasma/);
    await page.waitForSelector('#results h2');
    const head = await page.textContent('#results h2');
    check(head.startsWith(`${want} specimen`), `results heading "${head}", the API counts ${want}`);
    const types = await page.locator('table.results tbody td:nth-child(2)').allTextContents();
    check(types.length > 0 && types.every((t) => t === 'plasma'), `only plasma listed: ${[...new Set(types)]}`);
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('.results-actions button')]);
    const file = await dl.path();
    const csv = fs.readFileSync(file, 'utf8').trim().split(/\r?\n/);
    check(csv.length === want + 1, `the CSV has ${csv.length - 1} rows, expected ${want}`);
  },

  async specimen_page(page) {
    await apiLogin();
    let s = items(await api('GET', `/api/specimens?site=${SITE}&lineage=aliquot&limit=1`))[0]
      || items(await api('GET', `/api/specimens?site=${SITE}&limit=1`))[0];
    check(s, `no specimen at ${SITE}`);
    const rec = await api('GET', `/api/specimens/${encodeURIComponent(s.barcode)}`);
    await uiLogin(page);
    await page.goto(`${BASE}/#/specimen/${s.barcode}`);
    await page.waitForSelector('#sprec');
    const sprec = await page.textContent('#sprec');
    check((rec.sprec_explained || []).length > 0, 'the record has sprec_explained');
    for (const e of rec.sprec_explained) {
      check(sprec.includes(e.meaning), `SPREC words missing: ${e.element} = ${e.meaning}`);
    }
    const tree = await page.locator('#lineage li').allTextContents();
    check(tree.length === rec.lineage.length, `lineage: ${tree.length} rows shown, ${rec.lineage.length} in the record`);
    for (const n of rec.lineage) check(tree.some((t) => t.includes(n.barcode)), `lineage lacks ${n.barcode}`);
    if (rec.parent) check(await page.locator(`#lineage a:text("${rec.parent}")`).count() === 1, 'the parent is a link');
    check((await page.textContent('#audit')).includes('create'), 'the audit history lists the creation');
    if (rec.location) check((await page.textContent('#storage')).includes(rec.location.position), 'the position is shown');
    await shot(page, 'specimen');
  },

  async move_in_box(page) {
    await apiLogin();
    const { s, free } = await movableSpecimen();
    await uiLogin(page);
    await page.goto(`${BASE}/#/specimen/${s.barcode}`);
    await page.click('#move-on-map');
    await page.waitForSelector('.box-grid');
    const sel = page.locator(`.cell.selected[data-specimen="${s.barcode}"]`);
    check(await sel.count() === 1, 'the specimen is selected in the box map');
    await shot(page, 'box-moving');
    await page.click(`.cell.free[data-position="${free}"]`);
    await page.waitForSelector('.move-panel .notice.ok');
    check((await page.textContent('.move-panel')).includes(`Moved ${s.barcode}`), 'the move is confirmed');
    check(await page.locator(`.cell[data-position="${free}"][data-specimen="${s.barcode}"]`).count() === 1,
      'the map shows the specimen in its new cell');
    const after = await api('GET', `/api/specimens/${encodeURIComponent(s.barcode)}`);
    const pos = after.position || (after.location && after.location.position);
    check(pos === free, `the API gives position ${pos}, expected ${free}`);
    check(pos !== s.position, 'the position changed');
  },

  async import_bad_row(page) {
    await apiLogin();
    const donor = items(await api('GET', `/api/specimens?site=${SITE}&limit=1`))[0].donor;
    const before = (await api('GET', `/api/specimens?site=${SITE}&donor=${donor}&limit=1`)).total;
    const csv = `site,donor,type,quantity,unit\n${SITE},${donor},plasma,1,ml\n${SITE},${donor},blood_orange,1,ml\n`;
    await uiLogin(page);
    await page.goto(`${BASE}/#/import`);
    await page.selectOption('#import-form select[name=kind]', 'specimens');
    await page.setInputFiles('#import-form input[type=file]', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('#import-form button[type=submit]');
    await page.waitForSelector('.import-errors');
    const box = await page.textContent('.import-errors');
    check(/nothing was written/i.test(box), 'says nothing was written');
    const row = page.locator('.import-errors tr[data-line="3"]');
    check(await row.count() === 1, `the bad row's line 3 is listed: ${box}`);
    const rowText = await row.textContent();
    check(rowText.includes('type') && rowText.includes('blood_orange'), `row 3 names column and message: ${rowText}`);
    const after = (await api('GET', `/api/specimens?site=${SITE}&donor=${donor}&limit=1`)).total;
    check(after === before, `the good row was not written (${before} -> ${after})`);
    await shot(page, 'import');
  },

  /** Change a status with a reason; a refused aliquot shows its error at the field. */
  async actions(page) {
    await apiLogin();
    const s = items(await api('GET', `/api/specimens?site=${SITE}&status=available&type=plasma&limit=1`))[0]
      || items(await api('GET', `/api/specimens?site=${SITE}&status=available&limit=1`))[0];
    check(s, `no available specimen at ${SITE}`);
    await uiLogin(page);
    await page.goto(`${BASE}/#/specimen/${s.barcode}`);
    await page.waitForSelector('#aliquot-form');
    // More than is left: the server refuses it and names the field.
    await page.fill('#aliquot-form input[name=quantity]', String(Number(s.quantity) * 10 + 1000));
    await page.fill('#aliquot-form input[name=container]', '');
    await page.click('#aliquot-form button[type=submit]');
    await page.waitForSelector('#aliquot-form .field-error:not([hidden]), #aliquot-form .form-error:not([hidden])');
    const errAt = await page.evaluate(() => {
      const bad = document.querySelector('#aliquot-form [aria-invalid="true"]');
      return bad ? bad.name : null;
    });
    check(errAt === 'quantity', `the aliquot error is shown at field ${errAt}, expected quantity`);
    // A status change without a reason is stopped before the server.
    await page.selectOption('#status-form select[name=status]', 'reserved');
    await page.click('#status-form button[type=submit]');
    await page.waitForSelector('#status-form textarea[name=reason][aria-invalid="true"]');
    await page.fill('#status-form textarea[name=reason]', 'held for the browser test study');
    await page.click('#status-form button[type=submit]');
    await page.waitForSelector('main .notice.ok');
    check((await page.textContent('main .lead')).includes('reserved'), 'the page shows the new status');
    check((await page.textContent('#audit')).includes('held for the browser test study'), 'the audit history shows the reason');
    const after = await api('GET', `/api/specimens/${encodeURIComponent(s.barcode)}`);
    check(after.status === 'reserved', `the API gives status ${after.status}`);
  },

  /** An auditor reads everything and is offered no change. */
  async read_only(page) {
    check(AUDITOR, 'OB_AUDITOR_LOGIN is not set');
    await apiLogin();
    const { s } = await movableSpecimen();
    await uiLogin(page, AUDITOR, AUDITOR_PASSWORD);
    check(await page.locator('#nav-import').isHidden(), 'an auditor is not offered the import');
    await page.goto(`${BASE}/#/specimen/${s.barcode}`);
    await page.waitForSelector('#audit');
    check(await page.locator('#actions, #move-on-map').count() === 0, 'an auditor is offered no action');
    await page.goto(`${BASE}/#/container/${s.container}`);
    await page.click(`.cell[data-specimen="${s.barcode}"]`);
    await page.waitForURL(`**/#/specimen/${s.barcode}`);
  },

  /** The label button fetches the PDF with the token and opens it. */
  async labels(page) {
    await apiLogin();
    const s = items(await api('GET', `/api/specimens?site=${SITE}&limit=1`))[0];
    await uiLogin(page);
    await page.goto(`${BASE}/#/specimen/${s.barcode}`);
    await page.waitForSelector('.label-action button');
    const [popup] = await Promise.all([page.waitForEvent('popup'), page.click('.label-action button')]);
    await popup.waitForURL(/^blob:/, { timeout: TIMEOUT });
    const head = await page.evaluate(async (u) => {
      const b = await (await fetch(u)).arrayBuffer();
      return String.fromCharCode(...new Uint8Array(b.slice(0, 5)));
    }, popup.url());
    check(head === '%PDF-', `the label is a PDF (starts with ${JSON.stringify(head)})`);
  },

  /** A technician registers a donor and records a consent, statement by statement. */
  async donor_consent(page) {
    const code = `BT${RUN}`;
    await uiLogin(page);
    await page.click('nav a[data-nav=donors]');
    await page.waitForSelector('#donor-form');
    await page.selectOption('#donor-form select[name=site]', SITE);
    await page.fill('#donor-form input[name=code]', code);
    await page.selectOption('#donor-form select[name=sex]', 'female');
    await page.fill('#donor-form input[name=birth_year]', '1971');
    await page.click('#donor-form button[type=submit]');
    await page.waitForURL(`**/#/donor/${SITE}/${code}`);
    await page.waitForSelector('#consent-form');
    check((await page.textContent('main .notice.ok')).includes(code), 'the registration is confirmed');
    // A form version's statements, answered one by one: one left unanswered is stopped at it.
    await apiLogin();
    const forms = items(await api('GET', '/api/consent-forms'));
    const form = forms.find((f) => ['STORAGE', 'GENETIC', 'SHARING'].every((c) => f.statements.some((x) => x.code === c)));
    check(form, `no consent form with STORAGE, GENETIC and SHARING statements: ${forms.map((f) => f.form_version)}`);
    form.version = form.form_version;
    await page.selectOption('#consent-form select[name=form_version]', form.version);
    await page.waitForSelector('#consent-form input[name="resp-STORAGE"]');
    const codes = form.statements.map((x) => x.code);
    for (const c of codes.slice(0, -1)) {
      await page.check(`#consent-form input[name="resp-${c}"][value=${['STORAGE', 'GENETIC'].includes(c) ? 'yes' : 'no'}]`);
    }
    await page.click('#consent-form button[type=submit]');
    await page.waitForSelector(`#consent-form [data-field="resp-${codes[codes.length - 1]}"] .field-error:not([hidden])`);
    const last = codes[codes.length - 1];
    await page.check(`#consent-form input[name="resp-${last}"][value=${['STORAGE', 'GENETIC'].includes(last) ? 'yes' : 'not_asked'}]`);
    await page.click('#consent-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:text("Consent recorded")');
    const shown = await page.textContent('#consents');
    check(shown.includes(form.version) && (await page.textContent('#consents tr[data-statement="GENETIC"]')).includes('yes'), `the consent and its answers are shown: ${shown}`);
    const d = await api('GET', `/api/donors/${SITE}/${code}`);
    check(d.sex === 'female' && d.birth_year === 1971, `the API gives the donor: ${JSON.stringify(d)}`);
    const c = (d.consents || [])[0];
    check(c && c.form_version === form.version && d.uses.includes('genetic') && d.uses.includes('storage') && !d.uses.includes('sharing'),
      `the API gives the consent: ${JSON.stringify(d.consents)} uses ${d.uses}`);
    const chips = await page.locator('.donor-uses .chip').evaluateAll((cs) => cs.map((x) => x.dataset.use));
    check(JSON.stringify(chips) === JSON.stringify(d.uses), `the page's permitted uses ${chips}, the API's ${d.uses}`);
    await shot(page, 'donor');
  },

  /** Collect a plasma specimen with its pre-analytical record; derive DNA from it. */
  async collect(page) {
    await apiLogin();
    const donor = items(await api('GET', `/api/specimens?site=${SITE}&limit=1`))[0].donor;
    await uiLogin(page);
    await page.click('nav a[data-nav=collect]');
    await page.waitForSelector('#collect-form');
    const f = (n, v) => page.fill(`#collect-form [name=${n}]`, v);
    await page.selectOption('#collect-form select[name=site]', SITE);
    await f('donor', donor);
    await page.selectOption('#collect-form select[name=type]', 'plasma');
    await f('quantity', '4');
    await page.selectOption('#collect-form select[name=unit]', 'ml');
    await f('collection', 'PED');
    await f('precentrifugation_min', '60');
    await page.selectOption('#collect-form select[name=precentrifugation_temp]', 'RT');
    await f('centrifugation', 'hot/10/2000/brake');   // refused at its field
    await page.click('#collect-form button[type=submit]');
    await page.waitForSelector('#collect-form [name=centrifugation][aria-invalid="true"]');
    await f('centrifugation', '20/10/2000/brake');
    await f('postcentrifugation_min', '30');
    await page.selectOption('#collect-form select[name=postcentrifugation_temp]', 'RT');
    await page.click('#collect-form button[type=submit]');
    await page.waitForURL(/#\/specimen\//);
    await page.waitForSelector('#sprec');
    const barcode = (await page.textContent('main h1')).trim();
    const rec = await api('GET', `/api/specimens/${encodeURIComponent(barcode)}`);
    check(rec.donor === donor && rec.type === 'plasma' && rec.preanalytics.collection === 'PED', `the API gives ${JSON.stringify(rec).slice(0, 300)}`);
    check(rec.sprec && (await page.textContent('main .notice.ok')).includes(rec.sprec), 'the SPREC code is announced');
    const sprec = await page.textContent('#sprec');
    for (const e of rec.sprec_explained) check(sprec.includes(e.meaning), `SPREC words missing: ${e.element} = ${e.meaning}`);
    await shot(page, 'collected');
    // Derive DNA.
    await page.selectOption('#derive-form select[name=type]', 'dna');
    await page.fill('#derive-form input[name=quantity]', '50');
    await page.selectOption('#derive-form select[name=unit]', 'ul');
    await page.fill('#derive-form input[name=used]', '1');
    await page.fill('#derive-form input[name=concentration]', '42.5');
    await page.fill('#derive-form input[name=a260_280]', '1.85');
    await page.click('#derive-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:text("Derived")');
    const after = await api('GET', `/api/specimens/${encodeURIComponent(barcode)}`);
    const dna = after.lineage.find((n) => n.type === 'dna' && n.parent === barcode);
    check(dna, `the lineage has the DNA: ${JSON.stringify(after.lineage)}`);
    check((await page.textContent('#lineage')).includes(dna.barcode), 'the page lists the DNA in the lineage');
    check(Number(after.quantity) === 3, `the parent has 3 ml left, not ${after.quantity}`);
    const d = await api('GET', `/api/specimens/${encodeURIComponent(dna.barcode)}`);
    check(Number(d.concentration) === 42.5 && Number(d.a260_280) === 1.85, `the DNA's measures: ${d.concentration}, ${d.a260_280}`);
  },

  /** Keep a tumour panel VCF with a DNA extract, then open its report from the specimen page:
   * the pre-analytical quality above the drugs for EGFR L858R (the server annotates the
   * records on the demo panel genome it was given). */
  async sequencing_report(page) {
    await apiLogin();
    const dna = items(await api('GET', `/api/specimens?site=${SITE}&type=dna&status=available&consent=genetic&limit=1`))[0];
    check(dna, `no available DNA extract at ${SITE} with genetic consent`);
    const vcf = '##fileformat=VCFv4.2\n##contig=<ID=7,length=16637>\n##tumor_sample=TUMOR\n' +
      '##FORMAT=<ID=GT,Number=1,Type=String,Description="Genotype">\n' +
      '##FORMAT=<ID=AD,Number=R,Type=Integer,Description="Allelic depths">\n' +
      '#CHROM\tPOS\tID\tREF\tALT\tQUAL\tFILTER\tINFO\tFORMAT\tNORMAL\tTUMOR\n' +
      '7\t4503\t.\tT\tG\t.\tPASS\t.\tGT:AD\t0/0:40,0\t0/1:70,30\n';
    await uiLogin(page);
    await page.goto(`${BASE}/#/specimen/${encodeURIComponent(dna.barcode)}`);
    await page.waitForSelector('#sequencing-form');
    // A missing tumour type is refused by the server at its field; nothing is kept.
    await page.setInputFiles('#sequencing-form input[name=vcf]', { name: `luad-${RUN}.vcf`, mimeType: 'text/plain', buffer: Buffer.from(vcf) });
    await page.fill('#sequencing-form input[name=assay]', 'Lung panel');
    await page.fill('#sequencing-form input[name=genome]', 'oncobank-demo-panel');
    await page.click('#sequencing-form button[type=submit]');
    await page.waitForSelector('#sequencing-form .notice.error, #sequencing-form [aria-invalid="true"]');
    check((await api('GET', `/api/specimens/${encodeURIComponent(dna.barcode)}/sequencing`)).length === 0 ||
      !(await api('GET', `/api/specimens/${encodeURIComponent(dna.barcode)}/sequencing`)).some((r) => r.file_name === `luad-${RUN}.vcf`),
      'a refused result was kept');
    await page.fill('#sequencing-form input[name=tumor_type]', 'luad');
    await page.fill('#sequencing-form input[name=panel_size_mb]', '1.2');
    await page.click('#sequencing-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:text("Sequencing result")');
    const kept = (await api('GET', `/api/specimens/${encodeURIComponent(dna.barcode)}/sequencing`)).find((r) => r.file_name === `luad-${RUN}.vcf`);
    check(kept && kept.tumor_type === 'LUAD' && kept.variants === 1, `the API lists ${JSON.stringify(kept)}`);
    await page.waitForSelector(`#sequencing-table button[data-id="${kept.id}"]`);
    const [tab] = await Promise.all([
      browser.waitForEvent('page'),
      page.click(`#sequencing-table button[data-id="${kept.id}"]`),
    ]);
    await tab.waitForSelector('section.preanalytical');
    const text = await tab.textContent('body');
    check(text.includes('Specimen and pre-analytical quality') && text.includes(dna.barcode), 'the report heads with the specimen');
    check(text.includes('p.L858R') && /Osimertinib/.test(text), `the report names L858R and osimertinib: ${text.slice(0, 400)}`);
    await shot(tab, 'sequencing-report');
    // The Reports page lists it among the newest results in scope.
    await page.bringToFront();
    await page.click('nav a[data-nav=reports]');
    await page.waitForSelector(`#sequencing-table button[data-id="${kept.id}"]`);
    check((await page.textContent('#sequencing-table')).includes(dna.barcode), 'the Reports page names the specimen');
  },

  /** Another site's specimen in one of our boxes: the cell is taken, unnamed and inert. */
  async foreign_in_box(page) {
    const other = process.env.OB_FOREIGN;
    check(other, 'OB_FOREIGN is not set');
    await uiLogin(page);
    await page.goto(`${BASE}/#/container/FOREIGN-BOX`);
    await page.waitForSelector('.box-grid');
    const cell = page.locator('.cell[data-position="A1"]');
    check(await cell.isDisabled(), 'the foreign cell cannot be clicked');
    check((await cell.getAttribute('class')).includes('foreign'), 'the foreign cell is marked as such');
    check(!(await page.textContent('.box-grid')).includes(other), 'the map does not name the other site\'s barcode');
    check(!(await page.textContent('.box-grid')).includes('(another site)'), 'no placeholder text in a cell');
    check(await page.locator('.cell.free[data-position="A2"]').count() === 1, 'the free cells stay free');
  },

  /** An administrator adds an account and disables it; a technician has no Accounts entry. */
  async accounts(page) {
    check(ADMIN, 'OB_ADMIN_LOGIN is not set');
    const name = `bt${RUN}`;
    await uiLogin(page);
    check(await page.locator('#nav-users').isHidden(), 'a technician is not offered the accounts');
    await uiLogout(page);
    await uiLogin(page, ADMIN, ADMIN_PASSWORD);
    await page.click('#nav-users');
    await page.waitForSelector('#user-form');
    await page.fill('#user-form input[name=username]', name);
    await page.selectOption('#user-form select[name=site]', SITE);
    await page.selectOption('#user-form select[name=role]', 'researcher');
    await page.fill('#user-form input[name=password]', `pw-${name}-Long-enough-1`);
    await page.click('#user-form button[type=submit]');
    await page.waitForSelector(`tr[data-user="${name}"]`);
    await shot(page, 'accounts');
    await apiLogin(name, `pw-${name}-Long-enough-1`);   // the account works
    page.once('dialog', (d) => d.accept());
    await page.click(`tr[data-user="${name}"] button`);
    // The notice of the addition is still shown until the list is redrawn:
    // wait for the one that names the disabling.
    await page.waitForSelector('#users-status .notice.ok:has-text("disabled")');
    check((await page.textContent(`tr[data-user="${name}"]`)).includes('disabled'), 'the list shows it disabled');
    const r = await fetch(`${BASE}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: name, password: `pw-${name}-Long-enough-1` }) });
    check(r.status === 401 || r.status === 403, `a disabled account cannot log in (HTTP ${r.status})`);
  },

  /** A user changes their password, is sent to login, and logs in with the new one. */
  async password_change(page) {
    check(ADMIN, 'OB_ADMIN_LOGIN is not set');
    const name = `bp${RUN}`, old = `old-${name}-Password-1`, neu = `new-${name}-Password-2`;
    await apiLogin(ADMIN, ADMIN_PASSWORD);
    await api('POST', '/api/users', { username: name, site: SITE, role: 'pathologist', password: old });
    await uiLogin(page, name, old);
    await page.click('#nav-password');
    await page.waitForSelector('#password-form');
    await page.fill('#password-form input[name=current_password]', `${old}-wrong`);
    await page.fill('#password-form input[name=password]', neu);
    await page.fill('#password-form input[name=again]', neu);
    await page.click('#password-form button[type=submit]');
    await page.waitForSelector('#password-form input[name=current_password][aria-invalid="true"]');
    await page.fill('#password-form input[name=current_password]', old);
    await page.click('#password-form button[type=submit]');
    await page.waitForSelector('.login-form');
    check(/password was changed/i.test(await page.textContent('.login-form')), 'login says the password was changed');
    await page.fill('.login-form input[name=username]', name);
    await page.fill('.login-form input[name=password]', neu);
    await page.click('.login-form button[type=submit]');
    await page.waitForSelector('svg.chart');
    check((await page.textContent('#who')).includes(name), 'logged in again with the new password');
  },

  /** Correct a specimen's tumour % with a reason: the form refuses no reason, and so does the
   * server when one is dropped on its way; the new value and its history entry (who, before,
   * after, reason) are shown; it fits a phone and speaks Chinese; a technician of another
   * site and an auditor are offered no Correct; a pathologist only what they read. */
  async correction(page) {
    check(ADMIN, 'OB_ADMIN_LOGIN is not set');
    await apiLogin();
    const s = items(await api('GET', `/api/specimens?site=${SITE}&pathology=tumour&limit=1`))[0];
    check(s, `no tumour specimen at ${SITE}`);
    const bc = encodeURIComponent(s.barcode), path = `/api/specimens/${bc}`;
    const old = Number(s.tumour_pct), neu = old === 60 ? 65 : 60;
    const why = `Re-read on the H&E slide ${RUN}`;
    const patches = [];
    page.on('request', (r) => { if (r.method() === 'PATCH') patches.push(r.url()); });
    await uiLogin(page);
    await page.goto(`${BASE}/#/specimen/${bc}`);
    await page.waitForSelector('#field-history');
    await page.click('#correct-open');
    await page.waitForSelector('#correct-panel:not([hidden])');
    check(await page.evaluate(() => document.activeElement && document.activeElement.matches('#correct-form select.pick')),
      'opening the form puts the focus on the field to choose');
    await page.selectOption('#correct-form select.pick', 'tumour_pct');
    await page.fill('#correct-form input[name=tumour_pct]', String(neu));
    // No reason: the form refuses, nothing is sent.
    await page.click('#correct-form button[type=submit]');
    await page.waitForSelector('#correct-form textarea[name=reason][aria-invalid="true"]');
    const local = await page.textContent('#correct-form [data-field=reason] .field-error');
    check(/reason/i.test(local), `the form says a reason is needed: ${local}`);
    check(patches.length === 0, `a correction without a reason was sent: ${patches}`);
    // Sent anyway (the reason dropped on its way): the server refuses and the form shows why.
    const strip = (route) => {
      const req = route.request();
      if (req.method() !== 'PATCH') return route.continue();
      const body = JSON.parse(req.postData() || '{}');
      delete body.reason;
      return route.continue({ postData: JSON.stringify(body) });
    };
    await page.route(`**${path}`, strip);
    await page.fill('#correct-form textarea[name=reason]', 'dropped on its way');
    await page.click('#correct-form button[type=submit]');
    const refused = await page.waitForFunction(() => {
      const e = [...document.querySelectorAll('#correct-form .field-error, #correct-form .form-error')].find((x) => !x.hidden && x.textContent.trim());
      return e && e.textContent.trim();
    });
    const said = await refused.jsonValue();
    check(patches.length === 1, `the correction was sent once: ${patches}`);
    check(/reason/i.test(said), `the server's refusal is shown: ${said}`);
    check(Number((await api('GET', path)).tumour_pct) === old, 'a refused correction changed the value');
    await page.unroute(`**${path}`, strip);
    // With the reason: saved, shown, in the history.
    await page.fill('#correct-form textarea[name=reason]', why);
    await page.click('#correct-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("Corrected")');
    const shown = await page.textContent('#pathology-value');
    check(shown.includes(`(${neu} % tumour)`), `the page shows the new value: ${shown}`);
    const rec = await api('GET', path);
    check(Number(rec.tumour_pct) === neu, `the API gives ${rec.tumour_pct}, not ${neu}`);
    const hist = await api('GET', `${path}/history`);
    const mine = (Array.isArray(hist) ? hist : hist.changes || []).filter((c) => c.field === 'tumour_pct' && c.reason === why);
    check(mine.length === 1 && Number(mine[0].before) === old && Number(mine[0].after) === neu,
      `the API history has the correction: ${JSON.stringify(mine)}`);
    // The clock beside the pathology opens the field's history: newest first, with the reason.
    await page.click('#details button.hist-link[data-fields~="tumour_pct"]');
    await page.waitForSelector('#hist-tumour_pct[open] tr.change');
    const cells = (await page.locator('#hist-tumour_pct tr.change').first().locator('td').allTextContents()).map((x) => x.trim());
    check(cells.includes(why), `the history row gives the reason: ${cells}`);
    check(cells.includes(LOGIN), `the history row gives who: ${cells}`);
    check(cells.some((x) => Number(x) === old) && cells.some((x) => Number(x) === neu), `the history row gives before and after: ${cells}`);
    await shot(page, 'correction');
    // A phone: the form and the history fit; and in Chinese.
    await close();
    const phone = await open(390);
    await uiLogin(phone);
    await phone.evaluate(() => localStorage.setItem('oncobank.lang', 'zh'));
    await phone.goto(`${BASE}/#/specimen/${bc}`);
    await phone.waitForSelector('#field-history');
    check((await phone.textContent('#correct-open')).trim() === '更正', 'the Correct button speaks Chinese');
    check((await phone.textContent('#field-history h2')).includes('历史'), 'the history heading speaks Chinese');
    await phone.click('#correct-open');
    await phone.click('#hist-tumour_pct summary');
    const over = await phone.evaluate(() => ['#correct-panel', '#field-history', '#hist-tumour_pct tr.change']
      .map((q) => [q, document.querySelector(q).getBoundingClientRect().right - window.innerWidth]).filter(([, x]) => x > 1));
    check(!over.length, `wider than a 390 px phone: ${JSON.stringify(over)}`);
    await shot(phone, 'correction-phone');
    // An auditor reads the history but is offered no correction.
    await close();
    page = await open();
    await uiLogin(page, AUDITOR, AUDITOR_PASSWORD);
    await page.goto(`${BASE}/#/specimen/${bc}`);
    await page.waitForSelector('#field-history');
    check(await page.locator('#correct-open').count() === 0, 'an auditor is offered Correct');
    check((await page.textContent('#hist-tumour_pct')).includes(why), 'the auditor sees the correction in the history');
    // A technician of another site: no Correct on our specimen; one on their own.
    await apiLogin(ADMIN, ADMIN_PASSWORD);
    const all = await api('GET', '/api/sites');
    const list = Array.isArray(all) ? all : all.items;
    const ours = new Set([SITE]), up = new Set();
    for (let grew = true; grew;) {
      grew = false;
      for (const x of list) if (!ours.has(x.code) && ours.has(x.parent)) { ours.add(x.code); grew = true; }
    }
    for (let x = list.find((y) => y.code === SITE); x && x.parent; x = list.find((y) => y.code === x.parent)) up.add(x.parent);
    let otherSite = null, theirs = null;
    for (const x of list) {
      if (ours.has(x.code) || up.has(x.code)) continue;
      theirs = items(await api('GET', `/api/specimens?site=${x.code}&limit=1`))[0];
      if (theirs) { otherSite = x.code; break; }
    }
    check(otherSite, `no other site with specimens beside ${SITE}`);
    const other = `bo${RUN}`, otherPw = `pw-${other}-Long-enough-1`;
    await api('POST', '/api/users', { username: other, site: otherSite, role: 'technician', password: otherPw });
    await close();
    page = await open();
    await uiLogin(page, other, otherPw);
    await page.goto(`${BASE}/#/specimen/${bc}`);
    await page.waitForSelector('main h1:text("Not found")');
    check(await page.locator('#correct-open').count() === 0, `a technician of ${otherSite} is offered Correct on ${s.barcode}`);
    await page.goto(`${BASE}/#/specimen/${encodeURIComponent(theirs.barcode)}`);
    await page.waitForSelector('#correct-open');
    // A pathologist of our site corrects what they read, and nothing else.
    const patho = `bq${RUN}`;
    await apiLogin(ADMIN, ADMIN_PASSWORD);
    await api('POST', '/api/users', { username: patho, site: SITE, role: 'pathologist', password: otherPw });
    await close();
    page = await open();
    await uiLogin(page, patho, otherPw);
    await page.goto(`${BASE}/#/specimen/${bc}`);
    await page.click('#correct-open');
    const offered = (await page.locator('#correct-form select.pick option').evaluateAll((os) => os.map((o) => o.value))).filter(Boolean).sort();
    check(JSON.stringify(offered) === JSON.stringify(['anatomic_site', 'pathology', 'tumour_pct']), `a pathologist is offered ${offered}`);
  },

  /**
   * Correct a donor's birth year and sex with a reason: shown, and in the
   * donor's history. A diagnosis: no Correct for a technician; a
   * pathologist's refused morphology shown at its field, then corrected.
   */
  async correction_donor(page) {
    await apiLogin();
    let d = null, rec = null;
    for (const x of items(await api('GET', `/api/donors?site=${SITE}`)).filter((y) => y.birth_year && y.sex)) {
      rec = await api('GET', `/api/donors/${encodeURIComponent(x.site)}/${encodeURIComponent(x.code)}`);
      if ((rec.diagnoses || []).some((g) => g.id != null)) { d = x; break; }
    }
    check(d, `no donor with a birth year, a sex and a diagnosis at ${SITE}`);
    const dpath = `/api/donors/${encodeURIComponent(d.site)}/${encodeURIComponent(d.code)}`;
    const dhash = `${BASE}/#/donor/${encodeURIComponent(d.site)}/${encodeURIComponent(d.code)}`;
    const neu = Number(d.birth_year) === 1950 ? 1951 : 1950;
    const why = `Year misread from the form ${RUN}`;
    await uiLogin(page);
    await page.goto(dhash);
    await page.waitForSelector('#correct-open');
    await page.click('#correct-open');
    await page.selectOption('#correct-form select.pick', 'birth_year');
    await page.fill('#correct-form input[name=birth_year]', 'nineteen');
    await page.fill('#correct-form textarea[name=reason]', why);
    await page.click('#correct-form button[type=submit]');
    await page.waitForSelector('#correct-form input[name=birth_year][aria-invalid="true"]');
    await page.fill('#correct-form input[name=birth_year]', String(neu));
    await page.click('#correct-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("Corrected")');
    check((await page.textContent('#donor-birth-year')).trim() === String(neu), 'the page shows the new birth year');
    check(Number((await api('GET', dpath)).birth_year) === neu, 'the API gives the new birth year');
    await page.click('#hist-birth_year summary');
    const row = (await page.locator('#hist-birth_year tr.change').first().locator('td').allTextContents()).map((x) => x.trim());
    check(row.includes(why) && row.includes(String(d.birth_year)) && row.includes(String(neu)), `the donor's history row: ${row}`);
    // The sex, from its select; the reason is required by the form.
    const sex = d.sex === 'female' ? 'male' : 'female';
    const whySex = `Sex ticked in the wrong box ${RUN}`;
    await page.click('#correct-open');
    await page.selectOption('#correct-form select.pick', 'sex');
    await page.selectOption('#correct-form select[name=sex]', sex);
    await page.click('#correct-form button[type=submit]');
    await page.waitForSelector('#correct-form textarea[name=reason][aria-invalid="true"]');
    await page.fill('#correct-form textarea[name=reason]', whySex);
    await page.click('#correct-form button[type=submit]');
    await page.waitForSelector(`#donor-sex:text-is("${sex}")`);
    check((await api('GET', dpath)).sex === sex, 'the API gives the new sex');
    await page.click('#hist-sex summary');
    const srow = (await page.locator('#hist-sex tr.change').first().locator('td').allTextContents()).map((x) => x.trim());
    check(srow.includes(whySex) && srow.includes(d.sex) && srow.includes(sex), `the sex's history row: ${srow}`);
    // A technician records no diagnosis, so corrects none.
    const dx = rec.diagnoses.find((g) => g.id != null);
    check(await page.locator(`#dx-${dx.id}-open, .dx-actions button`).count() === 0, 'a technician is offered Correct on a diagnosis');
    // A pathologist of the site: a wrong morphology is refused by the server, at its field.
    const patho = `bd${RUN}`, pw = `pw-${patho}-Long-enough-1`;
    await apiLogin(ADMIN, ADMIN_PASSWORD);
    await api('POST', '/api/users', { username: patho, site: SITE, role: 'pathologist', password: pw });
    await close();
    page = await open();
    await uiLogin(page, patho, pw);
    await page.goto(dhash);
    await page.waitForSelector(`#dx-${dx.id}-open`);
    check(await page.locator('#correct-open').count() === 0, 'a pathologist is offered Correct on the donor');
    await page.click(`#dx-${dx.id}-open`);
    const form = `#dx-${dx.id}-form`;
    const offered = (await page.locator(`${form} select.pick option`).evaluateAll((os) => os.map((o) => o.value))).filter(Boolean).sort();
    check(JSON.stringify(offered) === JSON.stringify(['diagnosed_on', 'morphology', 'topography']), `a diagnosis offers ${offered}`);
    await page.selectOption(`${form} select.pick`, 'morphology');
    await page.fill(`${form} input[name=morphology]`, '8500/7');
    const whyDx = `Behaviour code mistyped ${RUN}`;
    await page.fill(`${form} textarea[name=reason]`, whyDx);
    await page.click(`${form} button[type=submit]`);
    await page.waitForSelector(`${form} input[name=morphology][aria-invalid="true"]`);
    const said = await page.textContent(`${form} [data-field=morphology] .field-error`);
    check(/morphology/i.test(said) && /8500\/7/.test(said), `the server's refusal at the morphology field: ${said}`);
    const morph = dx.morphology === '8500/3' ? '8140/3' : '8500/3';
    await page.fill(`${form} input[name=morphology]`, morph);
    await page.click(`${form} button[type=submit]`);
    await page.waitForSelector('main .notice.ok:has-text("Corrected")');
    check((await page.textContent(`tr[data-diagnosis="${dx.id}"] .dx-morphology`)).trim() === morph, 'the page shows the new morphology');
    const after = (await api('GET', dpath)).diagnoses.find((g) => g.id === dx.id);
    check(after && after.morphology === morph, `the API gives the diagnosis: ${JSON.stringify(after)}`);
    await shot(page, 'donor-diagnosis');
  },

  /** Rename a box and move a rack into another freezer, each with a reason: the new name and path, and their history. */
  async correction_container(page) {
    await apiLogin();
    const all = items(await api('GET', `/api/containers?site=${SITE}`)).filter((c) => c.site === SITE);
    const rack = all.filter((c) => c.kind === 'rack' && c.parent).pop();
    check(rack, `no rack at ${SITE}`);
    const freezer = all.find((c) => c.depth === 0 && ['freezer', 'ln2_tank'].includes(c.kind) && c.barcode !== rack.parent);
    check(freezer, `no second freezer at ${SITE}`);
    const box = all.find((c) => c.kind === 'box' && c.parent === rack.barcode);
    check(box, `no box in ${rack.barcode}`);
    const name = `Cryo box relabelled ${RUN}`, whyName = `Label printed for the wrong box ${RUN}`;
    await uiLogin(page);
    await page.goto(`${BASE}/#/container/${encodeURIComponent(box.barcode)}`);
    await page.click('#correct-open');
    await page.selectOption('#correct-form select.pick', 'name');
    await page.fill('#correct-form input[name=name]', name);
    await page.fill('#correct-form textarea[name=reason]', whyName);
    await page.click('#correct-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("Corrected")');
    const renamed = items(await api('GET', `/api/containers?under=${encodeURIComponent(box.barcode)}`)).find((c) => c.barcode === box.barcode);
    check(renamed && renamed.name === name, `the API gives the new name: ${JSON.stringify(renamed)}`);
    await page.click('#hist-name summary');
    const nrow = (await page.locator('#hist-name tr.change').first().locator('td').allTextContents()).map((x) => x.trim());
    check(nrow.includes(whyName) && nrow.includes(box.name) && nrow.includes(name), `the box name's history row: ${nrow}`);
    // The rack, with its boxes, into the other freezer.
    const whyMove = `Canister moved during the defrost ${RUN}`;
    await page.goto(`${BASE}/#/container/${encodeURIComponent(rack.barcode)}`);
    await page.click('#correct-open');
    await page.selectOption('#correct-form select.pick', 'parent');
    await page.fill('#correct-form input[name=parent]', freezer.barcode);
    await page.fill('#correct-form textarea[name=reason]', whyMove);
    await page.click('#correct-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("Corrected")');
    const parts = (await page.locator('main .page-head .lead .path a').allTextContents()).map((x) => x.trim());
    check(JSON.stringify(parts) === JSON.stringify([freezer.barcode, rack.barcode]), `the rack's path: ${parts}`);
    await page.click('#hist-parent summary');
    const prow = (await page.locator('#hist-parent tr.change').first().locator('td').allTextContents()).map((x) => x.trim());
    check(prow.includes(whyMove) && prow.some((x) => x.includes(rack.parent)) && prow.some((x) => x.includes(freezer.barcode)),
      `the rack's parent history row: ${prow}`);
    // Its box came along: its page's path starts at the new freezer.
    await page.goto(`${BASE}/#/container/${encodeURIComponent(box.barcode)}`);
    await page.waitForSelector('.box-grid');
    const boxPath = (await page.locator('main .page-head .lead .path a').allTextContents()).map((x) => x.trim());
    check(JSON.stringify(boxPath) === JSON.stringify([freezer.barcode, rack.barcode, box.barcode]), `the box's path: ${boxPath}`);
    const moved = await api('GET', `/api/containers/${encodeURIComponent(box.barcode)}`);
    check(String(moved.path).startsWith(freezer.barcode), `the API gives the box's path ${moved.path}`);
    await shot(page, 'container-moved');
  },

  /**
   * The network: an administrator retires a hospital with a reason (a
   * refused retirement shown at its field), sees it greyed and its history,
   * and puts it back in service; a technician reads the tree with no Correct.
   */
  async sites(page) {
    await apiLogin(ADMIN, ADMIN_PASSWORD);
    const list = items(await api('GET', '/api/sites'));
    // A hospital below the technician's site: its history is theirs to read.
    const hosp = list.find((x) => x.kind === 'hospital' && x.parent === SITE && !x.retired && !list.some((y) => y.parent === x.code));
    check(hosp, `no hospital in service below ${SITE}`);
    const up = list.find((x) => x.code === hosp.parent);
    await uiLogin(page, ADMIN, ADMIN_PASSWORD);
    await page.click('nav a[data-nav=sites]');
    await page.waitForSelector('#site-tree');
    check(await page.locator('table.sites tbody tr').count() === list.length, 'the tree lists every site');
    // Its region cannot retire while the hospital is in service: the server says so at the field.
    await page.goto(`${BASE}/#/site/${encodeURIComponent(up.code)}?correct=1`);
    await page.waitForSelector('#correct-form');
    await page.selectOption('#correct-form select.pick', 'retired');
    await page.selectOption('#correct-form select[name=retired]', 'yes');
    await page.fill('#correct-form textarea[name=reason]', `Region closing ${RUN}`);
    await page.click('#correct-form button[type=submit]');
    await page.waitForSelector('#correct-form select[name=retired][aria-invalid="true"]');
    const refused = await page.textContent('#correct-form [data-field=retired] .field-error');
    check(refused.includes(hosp.code), `the refusal names the hospital in service: ${refused}`);
    // The hospital, from its row's Correct; no reason is refused by the form.
    await page.goto(`${BASE}/#/sites`);
    await page.click(`tr[data-site="${hosp.code}"] .site-correct`);
    await page.waitForSelector('#correct-form');
    await page.selectOption('#correct-form select.pick', 'retired');
    await page.selectOption('#correct-form select[name=retired]', 'yes');
    await page.click('#correct-form button[type=submit]');
    await page.waitForSelector('#correct-form textarea[name=reason][aria-invalid="true"]');
    const why = `Hospital left the network ${RUN}`;
    await page.fill('#correct-form textarea[name=reason]', why);
    await page.click('#correct-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("Corrected")');
    const api1 = await api('GET', `/api/sites/${encodeURIComponent(hosp.code)}`);
    check(api1.retired, `the API gives the site retired: ${JSON.stringify(api1)}`);
    check((await page.textContent('#site-state')).includes(String(api1.retired).slice(0, 10)), 'the page shows the day it was retired');
    await page.click('#hist-retired summary');
    const row = (await page.locator('#hist-retired tr.change').first().locator('td').allTextContents()).map((x) => x.trim());
    check(row.includes(why) && row.includes(ADMIN) && row.some((x) => x.includes(String(api1.retired).slice(0, 10))), `the retirement's history row: ${row}`);
    await page.goto(`${BASE}/#/sites`);
    await page.waitForSelector(`tr.retired[data-site="${hosp.code}"]`);
    const grey = await page.evaluate((code) => {
      const tr = document.querySelector(`tr[data-site="${code}"]`);
      const live = document.querySelector('tr[data-site]:not(.retired) td:nth-child(2)');
      return [getComputedStyle(tr.querySelector('td:nth-child(2)')).color, getComputedStyle(live).color];
    }, hosp.code);
    check(grey[0] !== grey[1], `the retired site is not greyed: ${grey}`);
    check((await page.textContent(`tr[data-site="${hosp.code}"]`)).includes('retired'), 'the row says retired');
    await shot(page, 'sites-retired');
    // A technician: the tree, the retired hospital greyed, no Correct anywhere; in Chinese.
    await close();
    page = await open();
    await uiLogin(page);
    await page.evaluate(() => localStorage.setItem('oncobank.lang', 'zh'));
    await page.goto(`${BASE}/#/sites`);
    await page.waitForSelector(`tr.retired[data-site="${hosp.code}"]`);
    check((await page.textContent('main h1')).includes('机构网络'), 'the page speaks Chinese');
    check(await page.locator('.site-correct, #correct-open').count() === 0, 'a technician is offered Correct in the tree');
    await page.click(`tr[data-site="${hosp.code}"] a.mono`);
    await page.waitForSelector('#field-history');
    check(await page.locator('#correct-open').count() === 0, 'a technician is offered Correct on a site');
    await page.click('#hist-retired summary');
    check((await page.textContent('#hist-retired')).includes(why), 'the technician reads the reason');
    // Back in service, by the administrator.
    await close();
    page = await open();
    await uiLogin(page, ADMIN, ADMIN_PASSWORD);
    await page.goto(`${BASE}/#/site/${encodeURIComponent(hosp.code)}?correct=1`);
    await page.waitForSelector('#correct-form');
    await page.selectOption('#correct-form select.pick', 'retired');
    await page.selectOption('#correct-form select[name=retired]', 'no');
    await page.fill('#correct-form textarea[name=reason]', `Retired by mistake ${RUN}`);
    await page.click('#correct-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("Corrected")');
    check(!(await api('GET', `/api/sites/${encodeURIComponent(hosp.code)}`)).retired, 'the API gives the site in service');
    await page.goto(`${BASE}/#/sites`);
    await page.waitForSelector(`tr[data-site="${hosp.code}"]:not(.retired)`);
  },

  /**
   * Studies and coded consent, as an administrator: a consent form with
   * three statements, a study (a site, the form, an event with a plasma
   * requirement) whose ethics approval expires within 30 days, a donor who
   * signs the form and is enrolled; the worklist (printed alone, as CSV)
   * offers the plasma, Collect opens the collect page prefilled and the due
   * row disappears; an aliquot of it; the donor withdraws the genetic
   * statement, then everything with the material kept: the aliquot's page
   * says so (in English and Chinese).
   */
  async study_consent(page) {
    check(ADMIN, 'OB_ADMIN_LOGIN is not set');
    const version = `ICF-${RUN}`, code = `ST${RUN}`, donor = `SC${RUN}`, ppid = `P${RUN}`;
    const inDays = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
    await apiLogin(ADMIN, ADMIN_PASSWORD);
    await api('POST', '/api/donors', { site: SITE, code: donor, sex: 'female', birth_year: 1968 });
    await uiLogin(page, ADMIN, ADMIN_PASSWORD);

    // The consent form: a statement without uses is stopped at its field.
    await page.click('nav a[data-nav=forms]');
    await page.waitForSelector('#consent-form-form');
    await page.fill('#consent-form-form input[name=form_version]', version);
    await page.fill('#consent-form-form input[name=title]', `Browser test form ${RUN}`);
    const st = [['STORE', 'My samples may be stored.', '我的样本可以保存。', ['storage']],
      ['RES', 'My samples may be used for research.', '我的样本可以用于研究。', ['research']],
      ['GEN', 'My samples may be used for genetic research.', '我的样本可以用于遗传学研究。', ['genetic']]];
    for (let i = 0; i < st.length; i++) {
      if (i) await page.click('#statement-add');
      const row = page.locator('#consent-form-form .statement-row').nth(i);
      await row.locator('input[name$="-code"]').fill(st[i][0]);
      await row.locator('textarea[name$="-text"]').fill(st[i][1]);
      await row.locator('textarea[name$="-text_zh"]').fill(st[i][2]);
      if (i) for (const u of st[i][3]) await row.locator(`input[type=checkbox][value=${u}]`).check();
    }
    await page.click('#consent-form-form button[type=submit]');
    await page.waitForSelector('#consent-form-form [aria-invalid="true"]');
    check(await page.locator('#consent-form-form .statement-row').first().locator('.field-error:not([hidden])').count() === 1,
      'a statement without uses is stopped at its row');
    await page.locator('#consent-form-form .statement-row').first().locator('input[type=checkbox][value=storage]').check();
    await page.click('#consent-form-form button[type=submit]');
    await page.waitForURL(`**/#/consent-form/${version}`);
    await page.waitForSelector('#form-statements');
    for (const [c, text] of st) check((await page.textContent(`tr[data-statement="${c}"]`)).includes(text), `the form shows statement ${c}`);
    check((await page.textContent('tr[data-statement="GEN"] .chip')).includes('genetic'), 'the uses are chips');

    // The study: its site at creation, its form added after; the ethics approval expires in 20 days.
    await page.click('nav a[data-nav=studies]');
    await page.waitForSelector('#study-form');
    await page.fill('#study-form input[name=code]', code);
    await page.fill('#study-form input[name=title]', `Browser test study ${RUN}`);
    await page.selectOption('#study-form select[name=status]', 'active');
    await page.fill('#study-form input[name=ethics_ref]', `IRB-${RUN}`);
    await page.fill('#study-form input[name=ethics_approved_on]', inDays(-30));
    await page.fill('#study-form input[name=ethics_expires_on]', inDays(20));
    await page.check(`#study-form input[name=sites][value="${SITE}"]`);
    await page.click('#study-form button[type=submit]');
    await page.waitForURL(`**/#/study/${code}`);
    await page.waitForSelector('#study-details');
    check((await page.textContent('#study-sites')).includes(SITE), 'the study lists its site');
    check(await page.locator(`#study-forms a.chip:has-text("${version}")`).count() === 0, 'no form yet');
    await page.selectOption('#study-form-form select[name=form_version]', version);
    await page.click('#study-form-form button[type=submit]');
    await page.waitForSelector(`#study-forms a.chip:has-text("${version}")`);
    check((await page.textContent('#study-forms')).includes(version), 'the study lists its form');
    check(await page.locator('#study-ethics-expires-on .expiring').count() === 1, 'the expiry within 30 days is highlighted');
    // An event and its requirement.
    await page.fill('#event-form input[name=code]', 'BASE');
    await page.fill('#event-form input[name=label]', 'Baseline');
    await page.fill('#event-form input[name=day]', '0');
    await page.click('#event-form button[type=submit]');
    await page.waitForSelector('.event[data-event="BASE"]');
    await page.selectOption('#requirement-form select[name=event]', 'BASE');
    await page.fill('#requirement-form input[name=code]', 'PLASMA');
    await page.selectOption('#requirement-form select[name=type]', 'plasma');
    await page.fill('#requirement-form input[name=count]', '1');
    await page.fill('#requirement-form input[name=quantity]', '2');
    await page.selectOption('#requirement-form select[name=unit]', 'ml');
    await page.fill('#requirement-form input[name=processing]', 'Spin within 2 h, freeze at -80 C');
    await page.click('#requirement-form button[type=submit]');
    await page.waitForSelector('.event[data-event="BASE"] tr[data-requirement="PLASMA"]');
    // A member added, then removed (after the confirmation).
    await page.fill('#member-form input[name=user]', LOGIN);
    await page.selectOption('#member-form select[name=role]', 'coordinator');
    await page.click('#member-form button[type=submit]');
    await page.waitForSelector(`#study-members li[data-user="${LOGIN}"]`);
    check((await page.textContent(`#study-members li[data-user="${LOGIN}"]`)).includes('coordinator'), 'the member and their role');
    page.once('dialog', (dg) => dg.accept());
    await page.click(`#study-members li[data-user="${LOGIN}"] button`);
    await page.waitForSelector('main .notice.ok:has-text("removed")');
    check(await page.locator(`#study-members li[data-user="${LOGIN}"]`).count() === 0, 'the member is gone');
    await page.goto(`${BASE}/#/studies`);
    await page.waitForSelector(`tr[data-study="${code}"]`);
    check(await page.locator(`tr[data-study="${code}"] .expiring`).count() === 1, 'the list highlights the expiry');

    // The donor signs the form: an unanswered statement is stopped at it.
    await page.goto(`${BASE}/#/donor/${SITE}/${donor}`);
    await page.waitForSelector('#consent-form');
    await page.selectOption('#consent-form select[name=form_version]', version);
    await page.waitForSelector('#consent-form input[name="resp-GEN"]');
    await page.check('#consent-form input[name="resp-STORE"][value=yes]');
    await page.check('#consent-form input[name="resp-RES"][value=yes]');
    await page.fill('#consent-form input[name=witness]', 'Nurse Li');
    await page.click('#consent-form button[type=submit]');
    await page.waitForSelector('#consent-form [data-field="resp-GEN"] .field-error:not([hidden])');
    await page.check('#consent-form input[name="resp-GEN"][value=yes]');
    await page.click('#consent-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("Consent recorded")');
    check((await page.textContent(`#consents article[data-form="${version}"] tr[data-statement="GEN"]`)).includes('yes'), 'the GEN answer is shown');
    const uses0 = await page.locator('.donor-uses .chip').evaluateAll((cs) => cs.map((c) => c.dataset.use));
    check(['storage', 'research', 'genetic'].every((u) => uses0.includes(u)), `the permitted uses: ${uses0}`);

    // Enrolled on the study page.
    await page.goto(`${BASE}/#/study/${code}`);
    await page.waitForSelector('#enrol-form');
    await page.selectOption('#enrol-form select[name=site]', SITE);
    await page.fill('#enrol-form input[name=donor]', donor);
    await page.fill('#enrol-form input[name=ppid]', ppid);
    await page.click('#enrol-form button[type=submit]');
    await page.waitForSelector(`#study-participants tr[data-ppid="${ppid}"]`);
    // The worklist: the plasma is due; printed alone; as CSV.
    const due = page.locator(`#worklist tr[data-ppid="${ppid}"][data-requirement="PLASMA"]`);
    await due.waitFor();
    check((await due.textContent()).includes('0/1'), `the due row: ${await due.textContent()}`);
    check((await page.textContent('#study-accrual')).includes('0/1'), 'the accrual shows 0/1');
    await page.evaluate(() => { window.print = () => { window.printed = document.body.classList.contains('print-worklist'); }; });
    await page.click('#worklist-print');
    check(await page.evaluate(() => window.printed === true), 'Print worklist prints with the worklist stylesheet');
    await page.evaluate(() => document.body.classList.add('print-worklist'));
    await page.emulateMedia({ media: 'print' });
    check(await page.locator('#worklist table').isVisible() && await page.locator('#study-details').isHidden()
      && await page.locator('#topbar').isHidden() && await page.locator('#worklist-filter').isHidden(), 'printed, the page shows the worklist table alone');
    await page.emulateMedia({ media: 'screen' });
    await page.evaluate(() => document.body.classList.remove('print-worklist'));
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click('#worklist-csv')]);
    const csv = fs.readFileSync(await dl.path(), 'utf8');
    check(csv.includes(ppid) && csv.includes('PLASMA'), `the worklist CSV: ${csv.slice(0, 300)}`);
    await page.setViewportSize({ width: 800, height: 900 });
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(over <= 0, `the study page at 800px is ${over}px wider than the window`);
    await shot(page, 'study-800');
    await page.setViewportSize({ width: 1280, height: 900 });

    // Collect from the worklist: the collect page comes prefilled.
    await due.locator('a.collect-due').click();
    await page.waitForURL(/#\/collect\?/);
    await page.waitForSelector('#collect-form select[name=requirement]:not([disabled])');
    const pre = await page.evaluate(() => {
      const f = document.querySelector('#collect-form');
      return ['site', 'donor', 'type', 'quantity', 'unit', 'study', 'event', 'requirement'].map((n) => f.elements[n].value);
    });
    check(JSON.stringify(pre) === JSON.stringify([SITE, donor, 'plasma', '2', 'ml', code, 'BASE', 'PLASMA']), `the collect page is prefilled: ${pre}`);
    await page.click('#collect-form button[type=submit]');
    await page.waitForURL(/#\/specimen\//);
    await page.waitForSelector('#specimen-study');
    const primary = (await page.textContent('main h1')).trim();
    check((await page.textContent('#specimen-requirement')).includes('PLASMA'), 'the specimen shows its requirement');
    const rec = await api('GET', `/api/specimens/${encodeURIComponent(primary)}`);
    check(rec.study === code && rec.requirement === 'PLASMA', `the API gives the study: ${JSON.stringify(rec).slice(0, 300)}`);
    await page.goto(`${BASE}/#/study/${code}`);
    await page.waitForSelector('#worklist');
    check(await page.locator(`#worklist tr[data-ppid="${ppid}"]`).count() === 0, 'the due row disappears once collected');
    check((await page.textContent('#study-accrual')).includes('1/1'), 'the accrual shows 1/1');

    // An aliquot of it (the existing Aliquot form).
    await page.goto(`${BASE}/#/specimen/${primary}`);
    await page.fill('#aliquot-form input[name=quantity]', '0.5');
    await page.fill('#aliquot-form input[name=count]', '1');
    await page.click('#aliquot-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("Made 1 aliquot")');
    const aliquot = /Made 1 aliquot: (\w+)/.exec(await page.textContent('main .notice.ok'))[1];

    // The genetic statement withdrawn (partial): the aliquot's page says its use is not permitted.
    await page.goto(`${BASE}/#/donor/${SITE}/${donor}`);
    await page.click('#withdraw-open');
    await page.waitForSelector('#withdraw-dialog[open]');
    await page.check('#withdraw-form input[name=kind][value=partial]');
    await page.selectOption('#withdraw-form select[name=statement]', 'GEN');
    await page.click('#withdraw-form button[type=submit]');
    await page.waitForSelector('#withdraw-form textarea[name=reason][aria-invalid="true"]');
    await page.fill('#withdraw-form textarea[name=reason]', `No genetic research ${RUN}`);
    await page.click('#withdraw-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("GEN")');
    check((await page.textContent('tr[data-statement="GEN"]')).includes('withdrawn'), 'the GEN answer shows withdrawn');
    const uses1 = await page.locator('.donor-uses .chip').evaluateAll((cs) => cs.map((c) => c.dataset.use));
    check(!uses1.includes('genetic') && uses1.includes('research'), `the permitted uses after the partial withdrawal: ${uses1}`);
    await page.goto(`${BASE}/#/specimen/${aliquot}`);
    await page.waitForSelector('#uses-banner');
    check((await page.textContent('#uses-banner')).includes('genetic'), 'the aliquot warns that genetic analysis is not permitted');
    check(await page.locator('#consent-banner').count() === 0, 'no withdrawal banner yet');

    // Full withdrawal, the material kept: the disposition is required.
    await page.goto(`${BASE}/#/donor/${SITE}/${donor}`);
    await page.click('#withdraw-open');
    await page.waitForSelector('#withdraw-dialog[open]');
    await page.fill('#withdraw-form textarea[name=reason]', `Donor asked to leave ${RUN}`);
    await page.click('#withdraw-form button[type=submit]');
    await page.waitForSelector('#withdraw-form [data-field=disposition] .field-error:not([hidden])');
    await page.check('#withdraw-form input[name=disposition][value=keep]');
    await page.click('#withdraw-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("Consent withdrawn")');
    check((await page.textContent('#consents')).includes('keep the material'), 'the consent shows the disposition');
    await page.goto(`${BASE}/#/specimen/${aliquot}`);
    await page.waitForSelector('#consent-banner');
    const banner = await page.textContent('#consent-banner');
    check(banner.includes('Donor withdrew consent: keep material'), `the aliquot's banner: ${banner}`);
    check((await api('GET', `/api/specimens/${encodeURIComponent(aliquot)}`)).consent_disposition === 'keep', 'the API gives the aliquot disposition keep');
    await shot(page, 'aliquot-withdrawn');
    // The search: the study's specimens of donors who withdrew.
    await page.goto(`${BASE}/#/search`);
    await page.waitForSelector('form.filters select[name=study]');
    await page.selectOption('form.filters select[name=study]', code);
    await page.selectOption('form.filters select[name=withdrawn]', 'only');
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/withdrawn=only/);
    await page.waitForSelector('table.results');
    const found = await page.locator('table.results tbody td:first-child a').allTextContents();
    check(found.includes(primary) && found.includes(aliquot) && found.length === 2, `the study's withdrawn specimens: ${found}`);
    await page.selectOption('form.filters select[name=withdrawn]', 'exclude');
    await page.click('form.filters button[type=submit]');
    await page.waitForURL(/withdrawn=exclude/);
    await page.waitForSelector('#results h2:has-text("No specimens match")');
    // The participant shows withdrawn; the ethics approval renewed with Correct (no longer highlighted).
    await page.goto(`${BASE}/#/study/${code}`);
    await page.waitForSelector(`#study-participants tr[data-ppid="${ppid}"]`);
    check((await page.textContent(`#study-participants tr[data-ppid="${ppid}"]`)).includes('withdrawn'), 'the participant shows withdrawn');
    await page.click('#correct-open');
    await page.selectOption('#correct-form select.pick', 'ethics_expires_on');
    await page.fill('#correct-form input[name=ethics_expires_on]', inDays(200));
    await page.fill('#correct-form textarea[name=reason]', `Ethics approval renewed ${RUN}`);
    await page.click('#correct-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("Corrected")');
    check((await page.textContent('#study-ethics-expires-on')).includes(inDays(200)) && await page.locator('#study-ethics-expires-on .expiring').count() === 0,
      'the renewed expiry is shown, not highlighted');
    await page.click('#hist-ethics_expires_on summary');
    check((await page.textContent('#hist-ethics_expires_on')).includes(`Ethics approval renewed ${RUN}`), 'the expiry\'s history row has the reason');
    // Closed, with a reason (none is stopped by the form).
    await page.click('#close-open');
    await page.click('#close-form button[type=submit]');
    await page.waitForSelector('#close-form textarea[name=reason][aria-invalid="true"]');
    await page.fill('#close-form textarea[name=reason]', `Accrual complete ${RUN}`);
    await page.click('#close-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("closed")');
    check((await page.textContent('#study-status')).includes('closed'), 'the study shows closed');
    check((await api('GET', `/api/studies/${code}`)).status === 'closed', 'the API gives the study closed');
    check(await page.locator('#enrol-form, .collect-due').count() === 0, 'a closed study offers no enrolment or collection');
    await page.evaluate(() => localStorage.setItem('oncobank.lang', 'zh'));
    await page.goto(`${BASE}/#/specimen/${aliquot}`);
    await page.waitForSelector('#consent-banner');
    check((await page.textContent('#consent-banner')).includes('捐献者已撤回同意：保留样本'), 'the banner in Chinese');
  },

  /**
   * A shipment from OB_SITE to a site below it, built in the UI by scanning
   * (a refusal shown at its scan, a box picked), packed and shipped; the
   * destination's technician receives it on the receive screen as a scanner
   * does (typing, Enter, the focus kept): a specimen into a box, one marked
   * thawed, an extra (the NOT ON MANIFEST banner and the flash), one
   * scanned twice (refused), the box into a rack, the layout at 375 px;
   * finishes (the rest missing, after a confirmation), and reads the chain
   * of custody and the specimen's shipment history.
   */
  async ship_receive(page) {
    check(RECEIVER && RECEIVER_SITE, 'OB_RECEIVER_LOGIN and OB_RECEIVER_SITE are not set');
    const enc = encodeURIComponent;
    await apiLogin();
    // Specimens that may go: available, of a donor of OB_SITE (the
    // destination lies in the collecting site's scope), in no open shipment.
    const found = items(await api('GET', `/api/specimens?site=${SITE}&status=available&limit=300`));
    const cands = [];
    for (const s of found) {
      if (s.donor_site !== SITE || s.parent) continue;
      const hist = (await api('GET', `/api/specimens/${enc(s.barcode)}/shipments`)).shipments || [];
      if (hist.some((x) => ['draft', 'packed', 'shipped'].includes(x.state))) continue;
      cands.push(s.barcode);
      if (cands.length === 9) break;
    }
    check(cands.length === 9, `only ${cands.length} specimens of ${SITE} can go`);
    // A small box of ours holding two of them, to ship whole.
    const mine = await api('GET', `/api/containers?site=${SITE}`);
    const rack = (Array.isArray(mine) ? mine : mine.items).find((c) => c.kind === 'rack' && c.site === SITE);
    const box = `SHIPBOX${RUN}`;
    await api('POST', '/api/containers', { barcode: box, kind: 'box', parent: rack.barcode, rows: 2, cols: 2, name: `Browser shipment ${RUN}` });
    await api('POST', `/api/specimens/${enc(cands[7])}/move`, { container: box, position: 'A1' });
    await api('POST', `/api/specimens/${enc(cands[8])}/move`, { container: box, position: 'B2' });
    // Where the destination puts them: a box with room, and a rack.
    const theirs = await api('GET', `/api/containers?site=${RECEIVER_SITE}`);
    const tlist = Array.isArray(theirs) ? theirs : theirs.items;
    const tbox = tlist.find((c) => c.kind === 'box' && c.site === RECEIVER_SITE && c.capacity - c.specimens >= 4);
    const track = tlist.find((c) => c.kind === 'rack' && c.site === RECEIVER_SITE);
    check(tbox && track, `${RECEIVER_SITE} has no box with room or no rack`);
    const other = process.env.OB_FOREIGN || 'NOSUCH0000X';

    // ---- a draft edited, then cancelled with a reason ----
    const draft = await api('POST', '/api/shipments', { to_site: RECEIVER_SITE, items: [cands[4]] });
    await uiLogin(page);
    await page.goto(`${BASE}/#/shipment/${draft.code}`);
    await page.click('#edit-open');
    await page.fill('#edit-form input[name=tracking]', `EDIT${RUN}`);
    await page.click('#edit-form button[type=submit]');
    await page.waitForSelector('main .notice.ok');
    check((await page.textContent('#shipment-facts')).includes(`EDIT${RUN}`), 'the edited tracking number is shown');
    await page.click('#cancel-open');
    await page.click('#cancel-form button[type=submit]');
    await page.waitForSelector('#cancel-form textarea[name=reason][aria-invalid="true"]');
    await page.fill('#cancel-form textarea[name=reason]', `Courier did not come ${RUN}`);
    await page.click('#cancel-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("cancelled")');
    check((await page.textContent('#ship-state')).includes('cancelled'), 'the draft is cancelled');
    check((await page.textContent('#shipment-facts')).includes(`Courier did not come ${RUN}`), 'the reason is shown');
    check(await page.locator('#build-open, #pack-form, #cancel-open').count() === 0, 'a cancelled shipment offers no change');

    // ---- built by scanning at OB_SITE ----
    await page.click('nav a[data-nav=shipments]');
    await page.waitForSelector(`#shipment-list tr[data-shipment="${draft.code}"][data-state=cancelled]`);
    await page.selectOption('#shipment-filter select[name=state]', 'draft');
    await page.waitForURL(/state=draft/);
    // The filtered list: drafts only, the cancelled one left out.
    await page.waitForFunction(() => document.querySelector('#shipment-list')
      && !document.querySelector('#shipment-list tr[data-state]:not([data-state=draft])'));
    check(await page.locator(`#shipment-list tr[data-shipment="${draft.code}"]`).count() === 0, 'the state filter leaves the cancelled one out');
    await page.waitForSelector('#shipment-form');
    await page.selectOption('#shipment-form select[name=to_site]', RECEIVER_SITE);
    await page.fill('#shipment-form input[name=courier]', 'Cold chain courier');
    await page.selectOption('#shipment-form select[name=condition]', 'dry_ice');
    await page.click('#shipment-form button[type=submit]');
    await page.waitForURL(/#\/shipment\/[^/]+\/build$/);
    const code = decodeURIComponent(/#\/shipment\/([^/]+)\/build/.exec(page.url())[1]);
    await page.waitForSelector('#build-input');
    const focused = (id) => page.evaluate((x) => document.activeElement && document.activeElement.id === x, id);
    check(await focused('build-input'), 'the build screen puts the focus in the scan box');
    const scan = async (barcode) => { await page.keyboard.type(barcode); await page.keyboard.press('Enter'); };
    // Another site's specimen: refused with its reason, at its scan.
    await scan(other);
    await page.waitForSelector(`#build-log li.err[data-barcode="${other}"]`);
    const refusal = (await page.textContent(`#build-log li.err[data-barcode="${other}"]`)).trim();
    check(refusal.length > other.length + 3, `the refusal gives a reason: ${refusal}`);
    check(await page.locator('#manifest tbody tr').count() === 0, 'nothing was added');
    // Three specimens, one scan each, without touching the screen.
    const sent = cands.slice(0, 4);
    for (const b of sent) {
      await scan(b.toLowerCase());
      await page.waitForSelector(`#build-log li[data-barcode="${b}"], #build-log li[data-barcode="${b.toLowerCase()}"]`);
      check(await page.locator(`#manifest tr[data-barcode="${b}"]`).count() === 1, `${b} is on the manifest: ${await page.textContent('#build-log li:first-child')}`);
      check(await focused('build-input'), 'the scan box keeps the focus');
    }
    // Scanned again: refused, said at once.
    await scan(sent[0]);
    await page.waitForFunction((b) => document.querySelectorAll(`#build-log li[data-barcode="${b}"]`).length === 2, sent[0]);
    check(await page.locator(`#build-log li.err[data-barcode="${sent[0]}"]`).count() === 1, 'a barcode scanned twice is refused');
    check((await page.getAttribute('#build-result', 'aria-live')) === 'polite', 'the scan result is announced');
    // The whole box, picked.
    await page.selectOption('#box-pick', box);
    await page.click('#box-form button[type=submit]');
    await page.waitForSelector(`#boxes tr[data-box="${box}"]`);
    for (const b of [cands[7], cands[8]]) check(await page.locator(`#manifest tr[data-barcode="${b}"]`).count() === 1, `${b} goes in its box`);
    // One removed again.
    await page.click(`#manifest tr[data-barcode="${sent[3]}"] button`);
    await page.waitForSelector(`#build-log li.ok[data-barcode="${sent[3]}"]:has-text("removed")`);
    check(await page.locator(`#manifest tr[data-barcode="${sent[3]}"]`).count() === 0, 'the removed item is gone');
    check(await page.locator('#build-log li').count() === 8, 'the scan log is kept');
    await shot(page, 'shipment-build');
    // Packed, then shipped with its tracking number.
    await page.click('#pack-form button[type=submit]');
    await page.waitForURL(`**/#/shipment/${code}`);
    await page.waitForSelector('#ship-form');
    check((await page.textContent('#ship-state')).includes('packed'), 'the shipment is packed');
    await page.fill('#ship-form input[name=tracking]', `TRK${RUN}`);
    await page.click('#ship-form button[type=submit]');
    await page.waitForSelector('main .notice.ok:has-text("shipped")');
    check((await page.textContent('#ship-state')).includes('shipped'), 'the shipment is shipped');
    const moving = await api('GET', `/api/specimens/${enc(sent[0])}`);
    check(moving.status === 'in_transit' && moving.site === SITE, `in transit, still at ${SITE}: ${moving.status} ${moving.site}`);
    await uiLogout(page);

    // ---- received at the destination ----
    await uiLogin(page, RECEIVER, RECEIVER_PASSWORD);
    await page.click('nav a[data-nav=shipments]');
    await page.click('nav.tabs a[data-direction=incoming]');
    await page.waitForSelector(`tr[data-shipment="${code}"]`);
    await shot(page, 'shipments-incoming');
    const row = await page.textContent(`tr[data-shipment="${code}"]`);
    check(row.includes(SITE) && row.includes(RECEIVER_SITE) && row.includes('shipped'), `the incoming row: ${row}`);
    await page.click(`tr[data-shipment="${code}"] a`);
    await page.click('#receive-open');
    await page.waitForSelector('#receive-input');
    check(await focused('receive-input'), 'the receive screen puts the focus in the scan box');
    await page.fill('#receive-box', tbox.barcode);
    await page.fill('#receive-rack', track.barcode);
    await page.click('#receive-input');
    const result = async () => (await page.textContent('#receive-result')).replace(/\s+/g, ' ');
    const count = async (k) => Number(await page.textContent(`#receive-counts [data-count=${k}] strong`));
    check(await count('pending') === 5 && await count('received') === 0, 'the counts before the first scan');
    // A specimen into the target box, its next free position.
    await scan(sent[0]);
    await page.waitForSelector(`#receive-result .scan-line.ok[data-barcode="${sent[0]}"]`);
    check((await result()).includes(`received → ${tbox.barcode}`), `the result line: ${await result()}`);
    check(await count('received') === 1 && await count('pending') === 4, 'the counts after one scan');
    check(await focused('receive-input'), 'the focus stays in the scan box');
    // Marked thawed: the mark goes with the next scan only.
    await page.check('#flag-thawed');
    await page.click('#receive-input');
    await scan(sent[1]);
    await page.waitForSelector(`#receive-result .scan-line.ok[data-barcode="${sent[1]}"]`);
    check((await result()).includes('thawed'), `the thawed mark is shown: ${await result()}`);
    check(!(await page.isChecked('#flag-thawed')), 'the mark is cleared after the scan');
    // Not on the manifest: the banner and the flash, at phone width.
    await page.setViewportSize({ width: 375, height: 740 });
    await page.click('#receive-input');
    await scan(cands[5]);
    await page.waitForSelector('#extra-banner');
    check((await page.textContent('#extra-banner')).includes('NOT ON MANIFEST'), 'the banner says NOT ON MANIFEST');
    check(await page.locator('#receive-result.warn .scan-line.warn').count() === 1, 'the extra is amber');
    check(await page.evaluate(() => document.querySelector('#receive-screen').classList.contains('flash-extra')), 'the screen flashes');
    const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(over <= 0, `the receive screen at 375px is ${over}px wider than the window`);
    const big = await page.evaluate(() => document.querySelector('#receive-input').getBoundingClientRect().height);
    check(big >= 44, `the scan box is ${big}px high`);
    await shot(page, 'receive-375');
    await page.setViewportSize({ width: 1280, height: 900 });
    check(await count('extra') === 1, 'the extra is counted');
    // Scanned twice: red.
    await page.click('#receive-input');
    await scan(sent[0]);
    await page.waitForSelector(`#receive-result .scan-line.err[data-barcode="${sent[0]}"]`);
    check(await page.locator('#extra-banner').count() === 0, 'the banner goes with the next scan');
    // The box, into the rack, with what it holds.
    await scan(box);
    await page.waitForSelector(`#receive-result .scan-line.ok[data-barcode="${box}"]`);
    check((await result()).includes(track.barcode), `the box line names the rack: ${await result()}`);
    check(await count('received') === 4 && await count('pending') === 1, 'the counts after the box');
    check(await page.locator('#receive-log li').count() === 5, 'every scan is in the log');
    check((await page.getAttribute('#receive-result', 'aria-live')) === 'assertive', 'the results are announced');
    // Finished: one pending item becomes missing, after the confirmation.
    await page.click('#finish-open');
    await page.waitForSelector('#finish-panel:not([hidden])');
    check((await page.textContent('#finish-panel')).includes('not scanned: 1.'), `the confirmation says what goes missing: ${await page.textContent('#finish-panel')}`);
    await page.click('#finish-confirm');
    await page.waitForURL(`**/#/shipment/${code}`);
    await page.waitForSelector('main .notice.ok:has-text("finished")');
    check((await page.textContent('#ship-state')).includes('received'), 'the shipment is received');
    // The chain of custody and the discrepancies.
    for (const [a, who] of [['pack', LOGIN], ['ship', LOGIN], ['receive', RECEIVER], ['finish', RECEIVER]]) {
      const step = page.locator(`#custody li[data-action=${a}]`);
      check(await step.count() >= 1, `the custody lists ${a}: ${await page.textContent('#custody')}`);
      check((await step.first().textContent()).includes(who), `${a} by ${who}`);
    }
    for (const [b, k] of [[cands[5], 'extra'], [sent[1], 'thawed'], [sent[2], 'missing']]) {
      check(await page.locator(`#discrepancies tr[data-barcode="${b}"][data-kind=${k}]`).count() === 1, `the discrepancy ${k} of ${b}: ${await page.textContent('#discrepancies')}`);
    }
    check(await page.locator(`#manifest tr[data-barcode="${sent[2]}"][data-state=missing]`).count() === 1, 'the unscanned item is missing');
    await shot(page, 'shipment-received');
    // The documents: the manifest and the receipt as CSV.
    const [man] = await Promise.all([page.waitForEvent('download'), page.click('#doc-manifest-csv')]);
    const manCsv = fs.readFileSync(await man.path(), 'utf8');
    check([sent[0], sent[1], sent[2], cands[7]].every((b) => manCsv.includes(b)), `the manifest CSV: ${manCsv.slice(0, 300)}`);
    const [rec] = await Promise.all([page.waitForEvent('download'), page.click('#doc-receipt-csv')]);
    const recCsv = fs.readFileSync(await rec.path(), 'utf8');
    check(recCsv.includes(cands[5]) && recCsv.includes('thawed') && recCsv.includes('missing'), `the receipt CSV: ${recCsv.slice(0, 300)}`);
    // The API agrees: received at the destination, in the target box.
    await apiLogin(RECEIVER, RECEIVER_PASSWORD);
    const got = await api('GET', `/api/specimens/${enc(sent[0])}`);
    check(got.status === 'available' && got.site === RECEIVER_SITE && got.container === tbox.barcode, `received: ${got.status} ${got.site} ${got.container}`);
    const inbox = await api('GET', `/api/specimens/${enc(cands[8])}`);
    check(inbox.container === box && inbox.position === 'B2', `the box kept its layout: ${inbox.container} ${inbox.position}`);
    // The thawed specimen's page: the shipment in its history.
    await page.goto(`${BASE}/#/specimen/${sent[1]}`);
    await page.waitForSelector(`#specimen-shipments tr[data-shipment="${code}"]`);
    const hist = await page.textContent(`#specimen-shipments tr[data-shipment="${code}"]`);
    check(hist.includes('thawed') && hist.includes('received'), `the specimen's shipment history: ${hist}`);
    await shot(page, 'specimen-shipments');
    // In Chinese.
    await page.evaluate(() => localStorage.setItem('oncobank.lang', 'zh'));
    await page.goto(`${BASE}/#/shipment/${code}`);
    await page.waitForSelector('#custody');
    check((await page.textContent('#custody-h')).includes('交接记录'), 'the custody heading in Chinese');
  },

  /** Nothing wider than the window at tablet width; screenshots at both widths. */
  async layout() {
    await apiLogin();
    const { s } = await movableSpecimen();
    for (const width of [1280, 800]) {
      const page = await open(width);
      await uiLogin(page);
      for (const [name, hash, sel] of [['dashboard', '#/', 'svg.chart'], ['search', `#/search?site=${SITE}`, 'table.results'],
        ['specimen', `#/specimen/${s.barcode}`, '#audit'], ['box', `#/container/${s.container}`, '.box-grid'],
        ['donors', `#/donors?site=${SITE}`, '#donor-form'], ['collect', '#/collect', '#collect-form'],
        ['reports', '#/reports', 'main section.card'], ['sites', '#/sites', '#site-tree'],
        ['studies', '#/studies', '#study-list'], ['consent-forms', '#/consent-forms', '#form-list'],
        ['shipments', '#/shipments?direction=all', '#shipment-list']]) {
        await page.goto(`${BASE}/${hash}`);
        await page.waitForSelector(sel);
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        check(over <= 0, `${name} at ${width}px is ${over}px wider than the window`);
        await shot(page, `${name}-${width}`);
      }
      await close();
    }
  },
};

/** Whether the server routes method + pattern, asked without a token: an unrouted one
 * answers 404 or 405 before any login is checked, a routed one 401 (or its answer). */
async function routed(m, p) {
  try {
    const r = await fetch(BASE + p.replace(/\{[^}]+\}/g, 'X'), { method: m });
    return r.status !== 404 && r.status !== 405;
  } catch { return false; }
}

async function missingRoutes() {
  let doc;
  try { doc = await (await fetch(`${BASE}/api/openapi.json`)).json(); } catch { doc = null; }
  const paths = doc && doc.paths ? doc.paths : null;
  const out = [];
  for (const [name, needs] of Object.entries(NEEDS)) {
    for (const [m, p] of needs) {
      if (!paths) continue;   // no description: every route is taken to exist
      const re = new RegExp(`^${p.replace(/\{[^}]+\}/g, '\\{[^}]+\\}')}$`);
      const hit = Object.entries(paths).find(([k]) => re.test(k));
      // A route the description lacks may be served all the same (a description behind).
      if ((!hit || !hit[1][m.toLowerCase()]) && !(await routed(m, p))) out.push(`${name} ${m} ${p}`);
    }
  }
  return out;
}

const which = process.argv[2];
if (which === 'routes') {
  for (const line of await missingRoutes()) console.log(line);
  process.exit(0);
}
if (!SCENARIOS[which]) {
  console.error(`usage: node ui.test.mjs routes|${Object.keys(SCENARIOS).join('|')}`);
  process.exit(2);
}
let rc = 0;
try {
  const page = which === 'layout' ? null : await open();
  await SCENARIOS[which](page);
} catch (err) {
  console.error(err instanceof Fail ? err.message : (err.stack || String(err)));
  rc = 1;
} finally {
  await close();
}
process.exit(rc);
