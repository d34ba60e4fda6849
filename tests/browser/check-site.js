#!/usr/bin/env node
// Checks a built policybook HTML site in Debian's headless Chromium:
//   1. axe-core (WCAG 2.0/2.1 A and AA) on every page: zero violations;
//   2. the static search UI: queries find the expected section anchors (and not the absent ones);
//   3. no page logs an error (a Content-Security-Policy violation included).
// Usage: node check-site.js SITE_DIR [--screenshots OUT_DIR] [--no-search]
// (--no-search: a site other than the default project's public edition, whose queries SEARCHES are)
// Exit code 0 when every check passes, 1 otherwise (with the reasons on stderr).
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const http = require('http');
const { chromium } = require('playwright-core');

const AXE = require.resolve('axe-core/axe.min.js');
const CHROMIUM = process.env.POLICYBOOK_CHROMIUM || '/usr/bin/chromium';
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// Queries of the default project: [query, page, must contain, must not contain].
const SEARCHES = [
  ['不正アクセス', 'index.html', ['standards/ja.html#intrusion-prevention', 'basic-policy/ja.html#threats'], []],
  ['可用性', 'index.html', ['basic-policy/ja.html#def-availability', 'standards/ja.html#integrity-availability-classes'],
    ['#asset-register']],
  ['availability', 'index.en.html', ['basic-policy/en.html#def-availability',
    'standards/en.html#integrity-availability-classes'], ['#asset-register']],
];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8', '.json': 'application/json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8', '.png': 'image/png',
};

function serve(root) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost');
    let rel = decodeURIComponent(url.pathname);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize(rel));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function pages(root, dir = '') {
  let out = [];
  for (const e of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) out = out.concat(pages(root, rel));
    else if (e.name.endsWith('.html')) out.push(rel);
  }
  return out.sort();
}

async function main() {
  const args = process.argv.slice(2);
  if (!args[0]) {
    console.error('usage: node check-site.js SITE_DIR [--screenshots OUT_DIR]');
    process.exit(2);
  }
  const root = path.resolve(args[0]);
  const shotsAt = args.indexOf('--screenshots');
  const shots = shotsAt >= 0 ? path.resolve(args[shotsAt + 1]) : null;
  if (!fs.existsSync(CHROMIUM)) {
    console.error(`no Chromium at ${CHROMIUM}: install it with apt-get install -y chromium (scripts/setup does)`);
    process.exit(1);
  }
  const server = await serve(root);
  const base = `http://127.0.0.1:${server.address().port}/`;
  // Each browser context runs in a fresh Chromium profile (user data dir), removed at the end.
  const profiles = [];
  const open = (options) => {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'policybook-chromium-'));
    profiles.push(profile);
    return chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      ...options,
    });
  };
  const failures = [];
  try {
    const list = pages(root);
    if (!list.length) failures.push(`no HTML pages in ${root}`);

    // 1. Accessibility. axe is injected as a script, so this context bypasses the page CSP.
    const axeCtx = await open({ bypassCSP: true });
    const axePage = axeCtx.pages()[0] || await axeCtx.newPage();
    for (const rel of list) {
      await axePage.goto(base + rel, { waitUntil: 'load' });
      await axePage.addScriptTag({ path: AXE });
      const result = await axePage.evaluate(async (tags) => {
        // Folded content (the stale-section diff) is checked too: axe skips what is hidden.
        document.querySelectorAll('details').forEach((d) => { d.open = true; });
        // eslint-disable-next-line no-undef
        const r = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
        return r.violations.map((v) => ({
          id: v.id, impact: v.impact, help: v.help,
          nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' :: ' + n.failureSummary.replace(/\s+/g, ' ')),
          count: v.nodes.length,
        }));
      }, TAGS);
      for (const v of result) {
        failures.push(`${rel}: axe ${v.id} (${v.impact}, ${v.count} node(s)): ${v.help}\n    ${v.nodes.join('\n    ')}`);
      }
      console.log(`axe ${rel}: ${result.length} violation(s)`);
    }
    await axeCtx.close();

    // 2. Pages under their real CSP: no console error, no CSP violation; the search works.
    const ctx = await open({});
    const page = ctx.pages()[0] || await ctx.newPage();
    const errors = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(`${page.url()}: ${m.text()}`);
    });
    // Missing files are reported by URL (the browser's own /favicon.ico request aside).
    page.on('response', (r) => {
      if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`${r.url()}: HTTP ${r.status()}`);
    });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${e.message}`));
    for (const rel of list) {
      await page.goto(base + rel, { waitUntil: 'load' });
    }
    for (const [query, from, want, absent] of args.includes('--no-search') ? [] : SEARCHES) {
      if (!list.includes(from)) {
        failures.push(`search ${query}: no page ${from}`);
        continue;
      }
      await page.goto(base + from, { waitUntil: 'load' });
      await page.fill('#pb_q', query);
      await page.press('#pb_q', 'Enter');
      await page.waitForSelector('#pb_results h3', { timeout: 10000 });
      const hrefs = await page.$$eval('#pb_results li > a', (as) => as.map((a) => a.getAttribute('href')));
      for (const w of want) {
        if (!hrefs.includes(w)) failures.push(`search ${query}: ${w} not among the results ${JSON.stringify(hrefs)}`);
      }
      for (const a of absent) {
        if (hrefs.some((h) => h.includes(a))) failures.push(`search ${query}: ${a} must not be found`);
      }
      console.log(`search ${query}: ${hrefs.length} result(s)`);
      // The URL form (?q=) gives the same results.
      await page.goto(base + from + '?q=' + encodeURIComponent(query), { waitUntil: 'load' });
      await page.waitForSelector('#pb_results h3', { timeout: 10000 });
      const again = await page.$$eval('#pb_results li > a', (as) => as.map((a) => a.getAttribute('href')));
      if (JSON.stringify(again) !== JSON.stringify(hrefs)) failures.push(`search ${query}: ?q= differs from the form`);
    }
    // The language switch in the header lands on the section being read.
    if (list.includes('basic-policy/ja.html') && list.includes('basic-policy/en.html')) {
      await page.goto(base + 'basic-policy/ja.html#purpose', { waitUntil: 'load' });
      await page.click('a[data-pb-switch]');
      await page.waitForLoadState('load');
      if (!page.url().endsWith('basic-policy/en.html#purpose')) failures.push(`language switch led to ${page.url()}`);
      await page.click('a.other-lang[href="ja.html#purpose"]');
      await page.waitForLoadState('load');
      if (!page.url().endsWith('basic-policy/ja.html#purpose')) failures.push(`section switch led to ${page.url()}`);
      console.log('language switch: ok');
    }
    failures.push(...errors.map((e) => `console error: ${e}`));

    // 3. Screenshots to look at.
    if (shots) {
      fs.mkdirSync(shots, { recursive: true });
      const want = [['index', 'index.html'], ['ja', 'basic-policy/ja.html'], ['en', 'standards/en.html'],
        ['parallel', 'basic-policy/parallel.html'], ['glossary', 'glossary.html'], ['glossary-en', 'glossary.en.html'],
        ['search', 'index.html?q=' + encodeURIComponent('不正アクセス')]];
      for (const [name, rel] of want) {
        await page.setViewportSize({ width: 1280, height: 900 });
        await page.goto(base + rel, { waitUntil: 'networkidle' });
        await page.screenshot({ path: path.join(shots, `${name}.png`) });
        await page.setViewportSize({ width: 390, height: 844 });
        await page.screenshot({ path: path.join(shots, `${name}-phone.png`) });
      }
      await page.setViewportSize({ width: 1280, height: 900 });
      await page.goto(base + 'standards/en.html', { waitUntil: 'load' });
      await page.emulateMedia({ media: 'print' });
      await page.screenshot({ path: path.join(shots, 'en-print.png') });
      console.log(`screenshots in ${shots}`);
    }
    await ctx.close();
  } finally {
    server.close();
    for (const p of profiles) fs.rmSync(p, { recursive: true, force: true });
  }
  if (failures.length) {
    console.error(`${failures.length} failure(s):\n` + failures.join('\n'));
    process.exit(1);
  }
  console.log('ok: every page passes axe (WCAG 2.1 AA) and the search finds the expected sections');
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
