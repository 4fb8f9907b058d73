// Drives the campaigns page in headless Chromium and prints, as JSON, what it shows: the
// headline (plan, date, the means done, expected and elapsed, the pace), the measures per
// status, the rows per campaign and per lead unit with their bars, the burn-up's series, the
// late measures and the indicators. The Rust test (crates/lantian-cli/tests/serve_campaigns.rs)
// compares them with the API's answers.
//
// node web/e2e/campaigns.mjs URL [--pick YYYY-MM-DD] [--lang en]
// With --pick, the date is then set through the page's date picker; with --lang en, the page is
// switched to English; either way the page is shown again under "after".
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
  const bars = (s) => [...document.querySelectorAll(`${s} tbody tr .bar`)].map((b) => {
    const done = b.querySelector('.done');
    const expected = b.querySelector('.expected');
    return { done: done.dataset.value, expected: expected.dataset.value, width: done.style.width, left: expected.style.left };
  });
  const chart = window.lantianCampaigns.charts.burnUp;
  const option = chart?.getOption();
  return {
    lang: document.documentElement.lang,
    heading: text('[data-t="byCampaign"]'),
    picked: document.querySelector('#as-of').value,
    plan: text('#plan-name'),
    as_of: val('#shown-as-of'),
    done: val('#total-done'),
    expected: val('#total-expected'),
    time_elapsed: val('#total-time'),
    measures: val('#total-measures'),
    pace: val('#pace'),
    pace_text: text('#pace'),
    headline_note: text('#headline-note'),
    by_status: rows('#by-status'),
    by_campaign: rows('#by-campaign'),
    by_campaign_names: texts('#by-campaign').map((r) => r[0]),
    campaign_bars: bars('#by-campaign'),
    by_unit: rows('#by-unit'),
    unit_bars: bars('#by-unit'),
    burn_up: option ? {
      dates: option.xAxis[0].data,
      done: option.series[0].data,
      expected: option.series[1].data,
    } : null,
    late: rows('#late'),
    late_titles: texts('#late').map((r) => r[1]),
    late_count: val('#late-count'),
    late_note: text('#late-note'),
    indicators: rows('#indicators'),
    indicator_names: texts('#indicators').map((r) => r[0]),
    indicators_as_of: val('#indicators-as-of'),
  };
}

try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 2000 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  const loaded = (n) => page.waitForFunction((n) => window.lantianCampaigns && window.lantianCampaigns.loads >= n
    && window.lantianCampaigns.ready, n, { timeout: 120000 });
  await loaded(1);
  const shown = await page.evaluate(snapshot);
  const pick = opt('--pick');
  if (pick) {
    // As a person's pick: the value set, then one change event.
    await page.$eval('#as-of', (el, v) => { el.value = v; el.dispatchEvent(new Event('change')); }, pick);
    await loaded(2);
  }
  if (opt('--lang') === 'en') await page.click('#lang');
  if (pick || opt('--lang')) shown.after = await page.evaluate(snapshot);
  shown.errors = errors;
  console.log(JSON.stringify(shown));
} finally {
  await browser.close();
}
