// Drives the water page in headless Chromium and prints, as JSON, what it shows: the period
// picker, the headline, the class counts' bars, the map's points, the sections' table, the main
// pollutants and the compensation. The Rust test (crates/lantian-cli/tests/serve_dashboard.rs)
// compares them with the API's answers.
//
// node web/e2e/water.mjs URL [--pick PERIOD] [--lang en]
// With --pick or --lang, the page is then set to that period (through its picker) or language
// and shown again, under "after".
import { launch } from './browser.mjs';

const args = process.argv.slice(2);
const url = args[0];
const opt = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : null);
const browser = await launch();
const errors = [];

function snapshot() {
  const val = (s) => document.querySelector(s)?.dataset.value ?? null;
  const text = (s) => document.querySelector(s)?.textContent ?? null;
  const rows = (s) => [...document.querySelectorAll(`${s} tbody tr`)].map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.dataset.value));
  const texts = (s) => [...document.querySelectorAll(`${s} tbody tr`)].map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => td.textContent));
  const { charts } = window.lantianWater;
  const bars = charts.classes?.getOption().series[0].data ?? null;
  const points = charts.map?.getOption().series[0].data ?? [];
  return {
    lang: document.documentElement.lang,
    heading: text('[data-t="wTable"]'),
    periods: [...document.querySelectorAll('#period option')].map((o) => o.value),
    period: document.querySelector('#period').value,
    shown_period: val('#w-period'),
    good_pct: val('#w-good'),
    good_text: text('#w-good'),
    worse_than_v_pct: val('#w-worse'),
    grade: val('#w-grade'),
    grade_text: text('#w-grade'),
    sections: val('#w-sections'),
    change: val('#w-change'),
    change_text: text('#w-change'),
    note: text('#w-note'),
    class_bars: bars && bars.map((b) => b.value),
    class_colours: bars && bars.map((b) => b.itemStyle.color),
    map_points: points.map((p) => ({ code: p.code, lon: p.value[0], lat: p.value[1], colour: p.itemStyle.color })),
    map_painted: charts.map ? charts.map.getDom().querySelector('canvas').toDataURL().length : 0,
    rows: rows('#sections'),
    row_texts: texts('#sections'),
    pollutants: rows('#pollutants'),
    comp_total: val('#comp-total'),
    comp_total_text: text('#comp-total'),
    comp_months: val('#comp-months'),
    comp_note: text('#comp-note'),
    balances: rows('#balances'),
  };
}

try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1600 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  const loaded = (n) => page.waitForFunction((n) => window.lantianWater && window.lantianWater.loads >= n
    && window.lantianWater.ready, n, { timeout: 60000 });
  await loaded(1);
  const shown = await page.evaluate(snapshot);
  const pick = opt('--pick');
  if (pick) {
    await page.selectOption('#period', pick);
    await loaded(2);
  }
  if (opt('--lang') === 'en') await page.click('#lang');
  if (pick || opt('--lang')) shown.after = await page.evaluate(snapshot);
  shown.errors = errors;
  console.log(JSON.stringify(shown));
} finally {
  await browser.close();
}
