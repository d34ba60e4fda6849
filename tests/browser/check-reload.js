#!/usr/bin/env node
// The live reload of `policybook serve` in Debian's headless Chromium, driven by tests/serve.rs,
// which edits the sources between the steps: each line printed is a step reached.
//   ready                  the page is open (the test then edits a paragraph)
//   reloaded               TEXT appeared after the page reloaded by itself, not navigated by us
//   banner ref-unresolved  (the test broke a reference) the banner shows the diagnostic
//   banner without errors  (the test fixed it) the banner shows no error
//   console errors: N      messages of level error in the console (a CSP violation is one)
// Usage: node check-reload.js URL TEXT. Exit code 0 when every step was reached.
'use strict';

const { chromium } = require('playwright-core');

const CHROMIUM = process.env.POLICYBOOK_CHROMIUM || '/usr/bin/chromium';
const TIMEOUT = 20000;

async function main() {
  const [url, text] = process.argv.slice(2);
  if (!url || !text) {
    console.error('usage: node check-reload.js URL TEXT');
    process.exit(2);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  const errors = [];
  try {
    const page = await browser.newPage();
    // A failed request is counted by its address (the browser's own /favicon.ico is none of
    // the site's); every other console error counts, a CSP violation ("Refused to ...") first.
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') errors.push(`${r.status()} ${r.url()}`);
    });
    page.on('pageerror', (e) => errors.push(String(e)));
    let loads = 0;
    page.on('load', () => { loads += 1; });
    await page.goto(url, { waitUntil: 'load' });
    // Wait until the reload script listens (its first event fetched the diagnostics).
    await page.waitForFunction(() => document.querySelector('script[src="/__policybook/reload.js"]'), null, { timeout: TIMEOUT });
    await page.waitForTimeout(300);
    await page.evaluate(() => { window.pbNotReloaded = true; });
    console.log('ready');
    await page.waitForFunction((t) => document.body && document.body.textContent.includes(t), text, { timeout: TIMEOUT, polling: 50 });
    const reloaded = await page.evaluate(() => window.pbNotReloaded === undefined);
    if (!reloaded || loads < 2) throw new Error(`the text appeared without a reload (loads: ${loads})`);
    console.log('reloaded');
    await page.waitForFunction(() => {
      const b = document.getElementById('pb-serve-banner');
      return b && b.textContent.includes('ref-unresolved');
    }, null, { timeout: TIMEOUT, polling: 50 });
    console.log('banner ref-unresolved');
    await page.waitForFunction(() => {
      const b = document.getElementById('pb-serve-banner');
      return !b || !b.textContent.includes('ref-unresolved');
    }, null, { timeout: TIMEOUT, polling: 50 });
    console.log('banner without errors');
  } finally {
    console.log(`console errors: ${errors.length}`);
    for (const e of errors) console.log(`  ${e}`);
    await browser.close();
  }
}

main().catch((e) => {
  console.error(String(e && e.stack || e));
  process.exit(1);
});
