// Drives the climate page in headless Chromium and prints, as JSON, what it shows: the oracle's
// total and per-year bars, the market's and green electricity's rows, the registry credits and
// the notes. The Rust test (crates/lantian-cli/tests/serve_dashboard.rs) compares them with the
// API's answers.
//
// node web/e2e/climate.mjs URL [--lang en]
import { launch } from './browser.mjs';

const args = process.argv.slice(2);
const url = args[0];
const browser = await launch();
const errors = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1400 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.lantianClimate && window.lantianClimate.ready, null, { timeout: 60000 });
  if (args.includes('--lang') && args[args.indexOf('--lang') + 1] === 'en') await page.click('#lang');
  const shown = await page.evaluate(() => {
    const val = (s) => document.querySelector(s)?.dataset.value ?? null;
    const text = (s) => document.querySelector(s)?.textContent ?? null;
    const rows = (s) => [...document.querySelectorAll(`${s} tbody tr`)].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => td.dataset.value));
    const o = window.lantianClimate.charts.oracle?.getOption();
    return {
      lang: document.documentElement.lang,
      heading: text('[data-t="marketTitle"]'),
      oracle_match: val('#oracle-match'),
      oracle_letters: val('#oracle-letters'),
      oracle_note: text('#oracle-note'),
      oracle_years: o ? o.xAxis[0].data : null,
      oracle_bars: o ? o.series.map((s) => s.data) : null,
      offsets_eligible: val('#offsets-eligible'),
      offsets_refused: val('#offsets-refused'),
      offsets_note: text('#offsets-note'),
      market: rows('#market'),
      market_note: text('#market-note'),
      green: rows('#green'),
      green_note: text('#green-note'),
    };
  });
  shown.errors = errors;
  console.log(JSON.stringify(shown));
} finally {
  await browser.close();
}
