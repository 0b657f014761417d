// SPDX-License-Identifier: Apache-2.0
// html_check.js — open a kensa HTML report in headless Chromium (Debian's /usr/bin/chromium,
// driven by playwright-core) and report what a person would see, as JSON on stdout:
// the funnel numbers on the page, the rows, the order before and after clicking a column
// header, row counts after typing in the filter and ticking the boxes, whether a row
// expands, any dialog (alert) or script error, and a screenshot.
//
//   node html_check.js REPORT.html SCREENSHOT.png [FILTER-TEXT] [--no-js]
//
// NODE_PATH must reach playwright-core. The browser runs with a fresh profile and no
// network: a report is self-contained, so a request leaving the page is itself a finding.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

async function main() {
  const [report, shot, text] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const noJs = process.argv.includes('--no-js');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'kensa-chromium-'));
  const out = { dialogs: [], errors: [], requests: [], csp: [] };
  // a fresh profile (--user-data-dir, which playwright takes as launchPersistentContext's first argument)
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    javaScriptEnabled: !noJs,
    viewport: { width: 1400, height: 1000 },
  });
  try {
    const page = await context.newPage();
    page.on('dialog', async (d) => { out.dialogs.push(d.message()); await d.dismiss(); });
    page.on('pageerror', (e) => out.errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') out.errors.push(m.text());
      if (/Content Security Policy/i.test(m.text())) out.csp.push(m.text());
    });
    page.on('request', (r) => { if (!r.url().startsWith('file:')) out.requests.push(r.url()); });
    await page.goto('file://' + path.resolve(report), { waitUntil: 'load' });

    out.js = await page.evaluate(() => document.documentElement.classList.contains('js'));
    out.funnel = await page.$$eval('#funnel .step', (steps) => Object.fromEntries(
      steps.map((s) => [s.dataset.step, Number(s.querySelector('.n').textContent)])));
    out.severity = await page.$$eval('#severity g', (gs) => Object.fromEntries(
      gs.map((g) => [g.dataset.severity, Number(g.querySelectorAll('text')[1].textContent)])));
    out.checks = await page.$$eval('#checks tr[data-check]', (rows) => rows.map((r) => r.dataset.check));
    const ids = () => page.$$eval('#findings tbody:not([hidden]) tr.row td.id', (tds) => tds.map((t) => t.textContent));
    const visible = () => page.$$eval('#findings tbody', (bs) => bs.filter((b) => b.offsetParent !== null).length);
    out.rows = (await ids()).length;
    out.order_initial = await ids();
    out.more_visible_initially = await page.$$eval('#findings tr.more', (rs) => rs.filter((r) => r.offsetParent !== null).length);
    if (!noJs && out.rows) {
      await page.click('#findings th[data-key="package"]');
      out.order_by_package = await ids();
      out.packages_by_package = await page.$$eval('#findings tbody tr.row td:nth-child(4)',
        (tds) => tds.map((t) => t.firstChild.textContent));
      out.sort_attr = await page.getAttribute('#findings th[data-key="package"]', 'aria-sort');
      await page.click('#findings th[data-key="package"]');
      out.sort_attr_again = await page.getAttribute('#findings th[data-key="package"]', 'aria-sort');
      await page.click('#findings th[data-key="risk"]');
      out.order_by_risk = await ids();
      // expand the first row
      await page.click('#findings tbody tr.row td:nth-child(4)');
      out.expanded = await page.$$eval('#findings tr.more', (rs) => rs.filter((r) => r.offsetParent !== null).length);
      out.expanded_text = await page.$eval('#findings tbody.open tr.more', (r) => r.innerText);
      if (text) {
        await page.fill('#q', text);
        out.rows_filtered = await visible();
        out.count_text = await page.textContent('#count');
        await page.fill('#q', '');
      }
      await page.check('#f-na');
      out.rows_needs_action = await visible();
      await page.check('#f-kev');
      out.rows_needs_action_kev = await visible();
      await page.uncheck('#f-kev');
      await page.uncheck('#f-na');
      out.rows_after_reset = await visible();
      // the picture: the report as it opens, its first row expanded
      await page.reload({ waitUntil: 'load' });
      await page.click('#findings tbody tr.row td:nth-child(4)');
    }
    out.title = await page.title();
    out.body_text_sample = (await page.innerText('body')).slice(0, 20000);
    await page.screenshot({ path: shot, fullPage: false });
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.stdout.write(JSON.stringify(out));
}

main().catch((e) => { console.error(e); process.exit(1); });
