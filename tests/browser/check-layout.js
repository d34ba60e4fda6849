#!/usr/bin/env node
// Measures the article-style layout (reiki.md) of a built rule in Debian's headless Chromium, on
// the character grid u (one character of body text), from the margin of the 章 (its heading):
// 見出し one character in, 第n条 at the margin, 号 one in, ア two in, the wrapped lines of 第n条
// one in, and the links of an article without a 見出し on its first line.
// Usage: node check-layout.js PAGE.html (the ja.html of tests/fixtures/reiki's rule)
// Exit code 0 when every position is as expected, 1 otherwise (with the positions on stderr).
'use strict';

const path = require('path');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.POLICYBOOK_CHROMIUM || '/usr/bin/chromium';

// [what, selector, expected x in characters from the margin].
const MARKS = [
  ['見出し （定義）', '#definitions .caption', 1],
  ['第２条', '#definitions p.kou > .num', 0],
  ['（１）', '#definitions li > .num', 1],
  ['ア', '#definitions li li > .num', 2],
];

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node check-layout.js PAGE.html');
    process.exit(2);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  const failures = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto('file://' + path.resolve(file), { waitUntil: 'load' });
    const m = await page.evaluate((marks) => {
      // The left of the first line box of an element's content, and the tops of its lines.
      const lines = (el) => {
        const r = document.createRange();
        r.selectNodeContents(el);
        return [...r.getClientRects()];
      };
      const u = parseFloat(getComputedStyle(document.querySelector('main')).fontSize);
      const margin = lines(document.querySelector('#general .sec-head h2'))[0].left;
      const x = (el) => (lines(el)[0].left - margin) / u;
      const out = marks.map(([what, sel]) => [what, x(document.querySelector(sel))]);
      // 第１条 wraps at 1280 px: its second line hangs one character.
      const art1 = lines(document.querySelector('#purpose p.kou'));
      const second = art1.find((r) => r.top > art1[0].bottom - 1);
      out.push(['第１条 wrapped line', second ? (second.left - margin) / u : null]);
      // 第４条 has no 見出し: its ¶ link stands on the line of 第４条, not on a line of its own.
      const link = document.querySelector('#manager-deputy a.permalink').getBoundingClientRect();
      const num = document.querySelector('#manager-deputy p.kou > .num').getBoundingClientRect();
      out.push(['第４条 links on its first line', link.top < num.bottom && link.bottom > num.top ? 1 : 0]);
      return out;
    }, MARKS);
    const want = MARKS.map(([what, , x]) => [what, x]).concat([['第１条 wrapped line', 1], ['第４条 links on its first line', 1]]);
    for (const [i, [what, x]] of want.entries()) {
      const got = m[i][1];
      const ok = got !== null && Math.abs(got - x) < 0.05;
      console.log(`${what}: ${got === null ? 'none' : got.toFixed(2)} (want ${x})${ok ? '' : '  <- wrong'}`);
      if (!ok) failures.push(`${what}: ${got}, want ${x}`);
    }
  } finally {
    await browser.close();
  }
  if (failures.length) {
    console.error(`${failures.length} failure(s):\n` + failures.join('\n'));
    process.exit(1);
  }
  console.log('ok: the article layout stands on the character grid');
}

main().catch((e) => {
  console.error(e && e.stack ? e.stack : String(e));
  process.exit(1);
});
