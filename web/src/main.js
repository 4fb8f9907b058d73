// Lantian's live dashboard: reads /api/v1 only, shows what the API returns (no figure is
// computed here), and refreshes when the store gets a new hour.
import * as echarts from 'echarts/core';
import { BarChart, HeatmapChart, LineChart, MapChart, ScatterChart } from 'echarts/charts';
import {
  CalendarComponent, GeoComponent, GridComponent, LegendComponent, TooltipComponent,
  VisualMapComponent, DataZoomComponent,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { TEXT } from './i18n.js';

echarts.use([BarChart, HeatmapChart, LineChart, MapChart, ScatterChart, CalendarComponent,
  GeoComponent, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent,
  DataZoomComponent, CanvasRenderer]);

const API = '/api/v1';
const params = new URLSearchParams(location.search);
// Seconds between two polls of the latest hour (a 304 when nothing changed).
const POLL = Math.max(1, Number(params.get('poll')) || 30);
let lang = params.get('lang') || localStorage.getItem('lantian-lang') || 'zh';
const state = { latest: null, assessment: null, calendar: null, ranking: null, series: null, geo: null };
const charts = {};
// For tests and curious users: what each chart shows, and whether the page is complete.
window.lantian = { charts, state, ready: false, loads: 0 };

const $ = (s) => document.querySelector(s);
const t = (k) => TEXT[lang][k] ?? k;
const nameOf = (o) => (lang === 'zh' ? o.name_zh : o.name_en) || o.code;
const districtOf = (o) => (lang === 'zh' ? o.district_zh : o.district_en) || '';
const categoryOf = (o) => (lang === 'zh' ? o.category_zh : o.category_en) || '—';

async function get(path) {
  // `no-cache`: always revalidate; the server answers 304 (ETag) while the store is unchanged.
  const r = await fetch(API + path, { cache: 'no-cache' });
  if (!r.ok) {
    const body = await r.json().catch(() => ({}));
    throw new Error(`${path}: ${r.status} ${body.error || ''}`);
  }
  return r.json();
}

function latestDate(time) {
  // Hour-ending stamps: 24:00 (00:00 of the next day) closes the day before.
  const d = new Date(Date.parse(time) - 3600 * 1000 + 8 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}

function shiftDate(date, days) {
  const d = new Date(date + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

async function loadAll() {
  state.latest = await get('/aqi/latest');
  if (!state.latest.time) { render(); return; }
  const day = latestDate(state.latest.time);
  const [y, m, d] = day.split('-');
  const ytd = `${y}-YTD-${m}-${d}`;
  const settle = async (p) => { try { return await p; } catch (e) { console.warn(String(e)); return null; } };
  const [assessment, calendar, ranking, series, geo] = await Promise.all([
    settle(get(`/assessment?period=${ytd}`)),
    settle(get(`/calendar?period=${y}`)),
    settle(get(`/ranking?period=${ytd}`)),
    settle(get(`/series/hourly?region=beijing&from=${shiftDate(day, -6)}&to=${day}`)),
    state.geo ? state.geo : settle(get('/geo/districts')),
  ]);
  Object.assign(state, { assessment, calendar, ranking, series, geo, ytd, year: y });
  if (geo && !echarts.getMap('beijing')) echarts.registerMap('beijing', geo);
  render();
  window.lantian.loads += 1;
  window.lantian.ready = true;
  document.body.dataset.ready = String(window.lantian.loads);
}

function headline(doc, which) {
  const h = doc?.[which]?.stats?.stats?.find((s) => s.pollutant === 'PM2.5');
  return h ? h.published : null;
}

function render() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
  $('#lang').textContent = t('lang');
  const L = state.latest;
  $('#latest-time').textContent = L?.time ? L.time.replace('T', ' ').slice(0, 16) : '—';
  $('#latest-time').dataset.value = L?.time || '';
  renderNow(L?.city);
  renderYtd();
  renderStations(L?.stations || []);
  renderMap(L?.stations || []);
  renderCalendar();
  renderRanking();
  renderSeries();
}

function renderNow(c) {
  const el = $('#city-aqi');
  el.textContent = c?.aqi ?? '—';
  el.dataset.value = c?.aqi ?? '';
  el.style.background = c?.colour || '#eee';
  el.style.color = c && c.level >= 4 ? '#fff' : '#1f2933';
  $('#city-category').textContent = c ? categoryOf(c) : '—';
  $('#city-primary').textContent = c?.primary?.length ? c.primary.join(', ') : t('none');
  $('#city-primary').dataset.value = (c?.primary || []).join(',');
  $('#city-stations').textContent = c?.stations ?? '—';
  $('#city-missing').textContent = c?.missing?.length ? `${t('missing')}: ${c.missing.join(', ')}` : '';
}

function renderYtd() {
  const a = state.assessment;
  const cur = headline(a, 'current');
  const base = headline(a, 'baseline');
  const ch = a?.comparison?.figures?.find((f) => f.pollutant === 'PM2.5')?.change;
  $('#ytd-period').textContent = state.ytd ? `(${state.ytd})` : '';
  $('#ytd-pm25').textContent = cur ?? '—';
  $('#ytd-pm25').dataset.value = cur ?? '';
  $('#ytd-baseline').textContent = base ?? '—';
  $('#ytd-baseline').dataset.value = base ?? '';
  const pct = ch?.percent;
  $('#ytd-change').textContent = pct == null ? '—'
    : `${pct > 0 ? t('up') : pct < 0 ? t('down') : ''} ${Math.abs(pct).toFixed(1)}%`;
  $('#ytd-change').dataset.value = pct ?? '';
  const days = a?.current?.days;
  $('#ytd-good').textContent = days ? `${days.excellent_or_good} / ${days.valid}` : '—';
  $('#ytd-good').dataset.value = days ? days.excellent_or_good : '';
}

function renderStations(list) {
  const rows = [...list].sort((a, b) => (b.aqi ?? -1) - (a.aqi ?? -1));
  $('#stations tbody').innerHTML = '';
  for (const s of rows) {
    const tr = document.createElement('tr');
    tr.dataset.code = s.code;
    const cells = [nameOf(s), districtOf(s), s.aqi ?? '—', categoryOf(s), s.primary.join(', '),
      s.concentrations['PM2.5'] ?? '—'];
    cells.forEach((v, i) => {
      const td = document.createElement('td');
      if (i === 2) {
        td.className = 'num aqi'; td.dataset.value = s.aqi ?? '';
        const sw = document.createElement('span'); sw.className = 'swatch';
        sw.style.background = s.colour || '#ddd'; td.append(sw);
      }
      if (i === 5) td.className = 'num';
      td.append(String(v));
      tr.append(td);
    });
    $('#stations tbody').append(tr);
  }
}

// Where a station is drawn: its registry coordinates (from the station lists, `lantian
// --station-list`), or, for a station without, a point on a small circle around its district's
// centroid, so that every station stays visible and clickable; those are returned as
// `approximate` and counted in the map's note.
function positions(list) {
  const centre = {};
  for (const f of state.geo?.features || []) {
    centre[f.properties.name] = f.properties.centroid || f.properties.center;
  }
  const located = (s) => s.longitude != null && s.latitude != null;
  // Only the stations drawn approximately share their district's circle.
  const byDistrict = {};
  list.filter((s) => !located(s)).forEach((s) => { (byDistrict[s.district_zh] ||= []).push(s); });
  const approximate = [];
  const out = list.map((s) => {
    if (located(s)) return [s.longitude, s.latitude];
    const c = centre[s.district_zh];
    if (!c) return null;
    approximate.push(s.code);
    const group = byDistrict[s.district_zh];
    const k = group.indexOf(s);
    const r = group.length > 1 ? 0.035 : 0;
    const a = (2 * Math.PI * k) / group.length;
    return [c[0] + r * Math.cos(a), c[1] + r * Math.sin(a) * 0.8];
  });
  return { out, approximate };
}

function chart(id) {
  if (!charts[id]) charts[id] = echarts.init(document.getElementById(id));
  return charts[id];
}

function renderMap(list) {
  const withData = list.filter((s) => s.aqi != null || Object.keys(s.concentrations).length);
  const { out, approximate } = positions(withData);
  // Stations with neither coordinates nor a district shape are listed, not dropped.
  const unplaced = withData.filter((s, i) => !out[i]);
  window.lantian.unplaced = unplaced.map((s) => s.code);
  window.lantian.approximate = approximate;
  const notes = [!state.geo ? t('noMap') : approximate.length ? TEXT[lang].mapCentre(approximate.length) : ''];
  if (state.geo && unplaced.length) notes.push(`${t('notOnMap')}: ${unplaced.map((s) => `${nameOf(s)} ${s.aqi ?? '—'}`).join(', ')}`);
  $('#map-note').textContent = notes.filter(Boolean).join(' ');
  const nameMap = {};
  list.forEach((s) => { if (s.district_zh) nameMap[s.district_zh] = lang === 'zh' ? s.district_zh : s.district_en; });
  const data = withData.map((s, i) => out[i] && {
    name: nameOf(s), code: s.code, approximate: approximate.includes(s.code),
    value: [...out[i], s.aqi],
    itemStyle: { color: s.colour || '#bbb', borderColor: '#333', borderWidth: 0.5 },
  }).filter(Boolean);
  chart('map').setOption({
    tooltip: { trigger: 'item', formatter: (p) => `${p.name}<br>AQI ${p.value?.[2] ?? '—'}` },
    geo: state.geo ? {
      map: 'beijing', roam: true, nameMap, label: { show: true, fontSize: 9, color: '#667085' },
      itemStyle: { areaColor: '#eef2f6', borderColor: '#98a2b3' },
      emphasis: { itemStyle: { areaColor: '#dbe4ee' } },
    } : undefined,
    series: [{ id: 'stations', type: 'scatter', coordinateSystem: 'geo', symbolSize: 13, data,
      label: { show: false } }],
  }, true);
}

function renderCalendar() {
  const days = state.calendar || [];
  $('#calendar-year').textContent = state.year || '';
  const data = days.filter((d) => d.aqi != null).map((d) => ({
    value: [d.date, d.aqi], itemStyle: { color: d.colour }, primary: d.primary,
  }));
  chart('calendar').setOption({
    tooltip: { formatter: (p) => `${p.value[0]}<br>AQI ${p.value[1]} ${p.data.primary || ''}` },
    calendar: { range: state.year || new Date().getFullYear(), cellSize: ['auto', 18], top: 30, left: 40, right: 20,
      dayLabel: { firstDay: 1, nameMap: lang === 'zh' ? 'ZH' : 'EN' }, monthLabel: { nameMap: lang === 'zh' ? 'ZH' : 'EN' },
      yearLabel: { show: false } },
    series: [{ id: 'days', type: 'heatmap', coordinateSystem: 'calendar', data }],
  }, true);
}

function renderRanking() {
  const doc = state.ranking;
  const rows = (doc?.rows || []).filter((r) => headline(r, 'current') != null);
  $('#ranking-period').textContent = doc ? `(${doc.period})` : '';
  const en = {};
  (state.latest?.stations || []).forEach((s) => { en[s.district_zh] = s.district_en; });
  const label = (n) => (lang === 'zh' ? n : en[n] || n);
  chart('ranking').setOption({
    tooltip: { trigger: 'axis' },
    grid: { left: 70, right: 20, top: 10, bottom: 25 },
    xAxis: { type: 'value', name: 'µg/m³' },
    yAxis: { type: 'category', inverse: true, axisLabel: { interval: 0 }, data: rows.map((r) => label(r.name)) },
    series: [{ id: 'pm25', type: 'bar', data: rows.map((r) => headline(r, 'current')),
      itemStyle: { color: '#1565c0' }, label: { show: true, position: 'right' } }],
  }, true);
  const tb = $('#ranking-table tbody');
  tb.innerHTML = '';
  for (const r of rows) {
    const tr = document.createElement('tr');
    tr.dataset.name = r.name;
    const ch = r.pm25_change_percent;
    [r.rank_pm25, label(r.name), headline(r, 'current'), ch == null ? '—' : `${ch > 0 ? '+' : ''}${ch.toFixed(1)}%`,
      r.current?.composite?.published?.toFixed(2) ?? '—'].forEach((v, i) => {
      const td = document.createElement('td'); td.textContent = String(v);
      if (i !== 1) td.className = 'num';
      tr.append(td);
    });
    tb.append(tr);
  }
}

function renderSeries() {
  const rows = state.series || [];
  const pollutants = ['PM2.5', 'PM10', 'NO2', 'O3'];
  chart('series').setOption({
    tooltip: { trigger: 'axis' },
    legend: { data: pollutants, top: 0 },
    grid: { left: 45, right: 15, top: 30, bottom: 30 },
    xAxis: { type: 'time' },
    yAxis: { type: 'value', name: 'µg/m³' },
    series: pollutants.map((p) => ({
      id: p, name: p, type: 'line', showSymbol: false, connectNulls: false,
      data: rows.map((r) => [r.time, r.concentrations[p] ?? null]),
    })),
  }, true);
}

$('#lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('lantian-lang', lang);
  render();
});
window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));

// Live: poll the latest hour; when it (or the snapshot) changes, reload everything.
let shown = null;
async function poll() {
  try {
    const h = await get('/health');
    const key = `${h.generation}|${h.latest}`;
    if (key !== shown) { shown = key; await loadAll(); }
  } catch (e) {
    console.warn(String(e));
  }
  setTimeout(poll, POLL * 1000);
}
poll();
