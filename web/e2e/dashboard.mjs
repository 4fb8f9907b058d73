// Drives the dashboard in headless Chromium (Debian's /usr/bin/chromium, playwright-core from
// npm) and prints, as JSON, what the page shows: the city's AQI, the year-to-date PM2.5, the
// station table, the map's points (where each is drawn, and whether approximately), the calendar's days, the ranking and the series. The Rust
// test (crates/lantian-cli/tests/serve_dashboard.rs) compares every value with the API's.
//
// node web/e2e/dashboard.mjs URL [--screenshot FILE] [--wait-time ISO [--ready-file F]] [--lang en]
// With --wait-time, F is written once the page has loaded, and the script then waits (without
// reloading) until the page shows the hour ISO: the caller adds data in between.
import { writeFileSync } from 'node:fs';
import { launch } from './browser.mjs';

const args = process.argv.slice(2);
const url = args[0];
const opt = (name) => { const i = args.indexOf(name); return i > 0 ? args[i + 1] : null; };
const browser = await launch();
const errors = [];
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1800 } });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForFunction(() => window.lantian && window.lantian.ready, null, { timeout: 60000 });
  const waitTime = opt('--wait-time');
  const readyFile = opt('--ready-file');
  if (readyFile) writeFileSync(readyFile, 'ready');
  if (waitTime) {
    // The page polls; wait for it to show the new hour without being reloaded.
    await page.waitForFunction((t) => document.querySelector('#latest-time').dataset.value === t
      && window.lantian.state.latest.time === t, waitTime, { timeout: 60000 });
    await page.waitForFunction((t) => window.lantian.loads >= 2, null, { timeout: 60000 });
  }
  if (opt('--lang') === 'en') {
    await page.click('#lang');
  }
  const shown = await page.evaluate(() => {
    const L = window.lantian;
    const val = (s) => document.querySelector(s)?.dataset.value ?? null;
    const text = (s) => document.querySelector(s)?.textContent ?? null;
    const opt = (c) => L.charts[c]?.getOption();
    return {
      lang: document.documentElement.lang,
      title: text('[data-t="title"]'),
      time: val('#latest-time'),
      city_aqi: val('#city-aqi'),
      city_aqi_text: text('#city-aqi'),
      city_primary: val('#city-primary'),
      city_stations: text('#city-stations'),
      ytd_pm25: val('#ytd-pm25'),
      ytd_baseline: val('#ytd-baseline'),
      ytd_change: val('#ytd-change'),
      ytd_good: val('#ytd-good'),
      station_rows: [...document.querySelectorAll('#stations tbody tr')].map((tr) => ({
        code: tr.dataset.code,
        aqi: tr.querySelector('td.aqi').dataset.value,
        aqi_text: tr.querySelector('td.aqi').textContent,
        name: tr.children[0].textContent,
      })),
      map_points: (opt('map')?.series?.[0]?.data || []).map((d) => ({ code: d.code, longitude: d.value[0], latitude: d.value[1], approximate: d.approximate, aqi: d.value[2], colour: d.itemStyle.color })),
      map_approximate: L.approximate || [],
      map_regions: L.state.geo ? L.state.geo.features.length : 0,
      map_unplaced: L.unplaced || [],
      map_note: text('#map-note'),
      calendar_days: (opt('calendar')?.series?.[0]?.data || []).map((d) => ({ date: d.value[0], aqi: d.value[1], colour: d.itemStyle.color })),
      ranking: (opt('ranking')?.yAxis?.[0]?.data || []).map((name, i) => ({ name, pm25: opt('ranking').series[0].data[i] })),
      ranking_rows: [...document.querySelectorAll('#ranking-table tbody tr')].map((tr) => tr.dataset.name),
      series: (opt('series')?.series || []).map((s) => ({ name: s.name, points: s.data.length, values: s.data.filter((p) => p[1] != null).length })),
      loads: L.loads,
    };
  });
  // Canvas pixels: the map and the calendar really drew something.
  const painted = async (sel) => page.evaluate((s) => {
    const c = document.querySelector(`${s} canvas`);
    if (!c) return 0;
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && !(d[i] > 245 && d[i + 1] > 245 && d[i + 2] > 245)) n++;
    return n;
  }, sel);
  shown.painted = { map: await painted('#map'), calendar: await painted('#calendar') };
  const shot = opt('--screenshot');
  if (shot) await page.screenshot({ path: shot, fullPage: true });
  shown.errors = errors;
  console.log(JSON.stringify(shown));
} finally {
  await browser.close();
}
