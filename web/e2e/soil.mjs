// Drives the soil page in headless Chromium and prints, as JSON, what it shows: the shares by
// category and risk (samples and plots' areas), the map's points and colours, the coverage
// matrix with its marks, the list (status counts, plots, the year's changes, the latest events)
// and the surface panel. The Rust test (crates/lantian-cli/tests/serve_dashboard.rs) compares
// them with the API's answers.
//
// node web/e2e/soil.mjs URL [--threshold MG_KG] [--item ITEM] [--lang en]
// With --threshold (and --item), the surface is then drawn again through the page's form, and
// the page shown again under "after"; with --lang en, in English.
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
  const canvas = document.querySelector('#surface-map');
  const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let opaque = 0;
  for (let k = 3; k < pixels.length; k += 4) if (pixels[k] > 0) opaque += 1;
  return {
    lang: document.documentElement.lang,
    heading: text('[data-t="gb15618Title"]'),
    shares_15618: rows('#shares-15618'),
    counted_15618: val('#c15618'),
    area_15618: rows('#area-15618'),
    shares_36600: rows('#shares-36600'),
    counted_36600: val('#c36600'),
    area_36600: rows('#area-36600'),
    share_names: texts('#shares-15618').map((r) => r[0]),
    map_points: [...document.querySelectorAll('#map circle')].map((c) => ({
      sample: c.dataset.sample, x: Number(c.dataset.x), y: Number(c.dataset.y), level: c.dataset.level,
      colour: c.getAttribute('fill'),
    })),
    map_note: text('#map-note'),
    legend: text('#legend'),
    coverage_head: [...document.querySelectorAll('#coverage thead th')].map((th) => th.textContent),
    coverage: [...document.querySelectorAll('#coverage tbody tr')].map((tr) =>
      [...tr.querySelectorAll('td')].map((td) => [td.dataset.value, td.dataset.mark ?? null, td.textContent])),
    covered: val('#cov-covered'),
    existing: val('#cov-existing'),
    covered_share: val('#cov-share'),
    empty_cells: val('#cov-empty'),
    empty_text: text('#cov-empty'),
    dimensions: rows('#dimensions'),
    list_date: val('#list-date'),
    by_status: rows('#by-status'),
    by_status_names: texts('#by-status').map((r) => r[0]),
    entries: rows('#entries'),
    list_note: text('#list-note'),
    changes_to: val('#ch-to'),
    changes: [val('#ch-entered'), val('#ch-moved'), val('#ch-removed')],
    latest: rows('#latest'),
    items: [...document.querySelectorAll('#s-pick option')].map((o) => o.value),
    item: document.querySelector('#s-pick').value,
    surface_item: val('#s-item'),
    threshold: val('#s-threshold-shown'),
    above: val('#s-above'),
    nodes_above: val('#s-nodes-above'),
    nodes: val('#s-nodes'),
    rmse: val('#s-rmse'),
    mae: val('#s-mae'),
    range: val('#s-variogram'),
    min: val('#s-min'),
    max: val('#s-max'),
    surface_note: text('#s-note'),
    painted_nodes: Number(canvas.dataset.painted),
    painted_pixels: opaque,
  };
}

try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 2000 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url, { waitUntil: 'load' });
  const drawn = (n) => page.waitForFunction((n) => window.lantianSoil && window.lantianSoil.surfaces >= n
    && window.lantianSoil.ready, n, { timeout: 120000 });
  await drawn(1);
  const shown = await page.evaluate(snapshot);
  const threshold = opt('--threshold');
  if (threshold) {
    if (opt('--item')) await page.selectOption('#s-pick', opt('--item'));
    await page.fill('#s-threshold', threshold);
    await page.click('#s-draw');
    await drawn(2);
  }
  if (opt('--lang') === 'en') await page.click('#lang');
  if (threshold || opt('--lang')) shown.after = await page.evaluate(snapshot);
  shown.errors = errors;
  console.log(JSON.stringify(shown));
} finally {
  await browser.close();
}
