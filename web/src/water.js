// Lantian's water page: a year's surface-water assessment and the districts' compensation, as
// /api/v1/water/* returns them (no figure is computed here, only formatted).
import * as echarts from 'echarts/core';
import { BarChart, ScatterChart } from 'echarts/charts';
import { GridComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { TEXT } from './i18n.js';
import { cell, getJson } from './page.js';

echarts.use([BarChart, ScatterChart, GridComponent, TooltipComponent, CanvasRenderer]);

const params = new URLSearchParams(location.search);
let lang = params.get('lang') || localStorage.getItem('lantian-lang') || 'zh';
const state = { years: [], period: null, sections: null, assessment: null, compensation: null, errors: {} };
const charts = {};
window.lantianWater = { charts, state, ready: false, loads: 0 };

// The method's colours by class index (I–II blue, III green, IV yellow, V orange, 劣V red).
const CLASS_COLOURS = ['#0070C0', '#0070C0', '#00B050', '#FFD900', '#FF8C00', '#DC0000'];
const NO_CLASS = '#9E9E9E';
const CLASSES = ['I', 'II', 'III', 'IV', 'V', '劣V'];

const $ = (s) => document.querySelector(s);
const t = (k) => TEXT[lang][k] ?? k;

const get = (name, path) => getJson(path, state.errors, name);
function setValue(sel, v, text) {
  const el = $(sel);
  el.dataset.value = v ?? '';
  el.textContent = text ?? (v == null ? '—' : String(v));
}
const pct = (v) => (v == null ? '—' : `${v.toFixed(1)}%`);
const className = (c) => (c == null ? t('noClass') : t('classNames')[CLASSES.indexOf(c)] ?? c);
const colour = (i) => (i == null ? NO_CLASS : CLASS_COLOURS[i]);
const name = (x) => (lang === 'en' ? x.name_en : x.name_zh) || x.name_zh || x.code;

// An item's name: the section's own means carry the Chinese one; English names come with the
// city's main pollutants, else the item's code.
function itemName(item, section) {
  const main = state.assessment?.main_pollutants?.find((p) => p.item === item);
  if (lang === 'en') return main?.name_en ?? item.replace(/^water\./, '');
  return section.means?.find((m) => m.item === item)?.name_zh ?? main?.name_zh ?? item;
}

function renderHeadline() {
  const a = state.assessment;
  const all = a?.grades?.find((g) => g.level === 'all');
  setValue('#w-period', a?.period, a ? a.period : '');
  setValue('#w-good', all?.good_pct, all ? all.good_pct.toFixed(1) : '—');
  setValue('#w-worse', all?.worse_than_v_pct, all ? all.worse_than_v_pct.toFixed(1) : '—');
  setValue('#w-grade', all?.grade, all?.grade ? all[`grade_${lang}`] : '—');
  setValue('#w-sections', all?.sections);
  const c = a?.change;
  setValue('#w-change', c ? c[`change_${lang}`] : null, c
    ? t('wChange')(c.previous_period, pct(c.previous_good_pct), pct(c.good_pct), pct(c.previous_worse_than_v_pct),
      pct(c.worse_than_v_pct), c[`change_${lang}`], c.sections_better, c.sections_worse)
    : (a ? t('wNoChange') : '—'));
  $('#w-note').textContent = a ? (a.notes ?? []).join(' ') : (state.errors.assessment || state.errors.sections || '');
}

function renderClasses() {
  const counts = state.assessment?.class_counts;
  if (!counts) { charts.classes?.clear(); return; }
  charts.classes = charts.classes || echarts.init($('#classes'));
  charts.classes.setOption({
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 30 },
    xAxis: { type: 'category', data: t('classNames') },
    yAxis: { type: 'value', minInterval: 1 },
    series: [{ type: 'bar', data: counts.map((n, i) => ({ value: n, itemStyle: { color: CLASS_COLOURS[i] } })),
      label: { show: true, position: 'top' } }],
  }, true);
}

function renderMap() {
  const rows = state.assessment?.sections ?? [];
  const placed = rows.filter((s) => s.lon != null && s.lat != null);
  const unplaced = rows.filter((s) => s.lon == null || s.lat == null);
  $('#map-note').textContent = unplaced.length ? t('notOnMapW')(unplaced.map(name).join('、')) : '';
  $('#legend').innerHTML = '';
  [...t('classNames'), t('noClass')].forEach((label, i) => {
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = i < 6 ? CLASS_COLOURS[i] : NO_CLASS;
    $('#legend').append(sw, `${label} `);
  });
  if (!state.assessment) { charts.map?.clear(); return; }
  charts.map = charts.map || echarts.init($('#map'));
  charts.map.setOption({
    tooltip: { trigger: 'item', formatter: (p) => `${p.name}<br>${className(p.data.cls)}` },
    grid: { left: 50, right: 16, top: 16, bottom: 30 },
    xAxis: { type: 'value', scale: true, name: '°E' },
    yAxis: { type: 'value', scale: true, name: '°N' },
    series: [{ type: 'scatter', symbolSize: 12,
      data: placed.map((s) => ({ name: name(s), code: s.code, cls: s.class, value: [s.lon, s.lat],
        itemStyle: { color: colour(s.class_index), borderColor: '#333', borderWidth: 0.5 } })) }],
  }, true);
}

function renderTables() {
  const body = $('#sections tbody');
  body.replaceChildren();
  for (const s of state.assessment?.sections ?? []) {
    const tr = document.createElement('tr');
    tr.dataset.code = s.code;
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = colour(s.class_index);
    const cls = cell(s.class, className(s.class));
    cls.prepend(sw);
    tr.append(cell(s.code), cell(name(s)), cell(s.water), cls, cell(s.target, s.target ? className(s.target) : '—'),
      cell(s.meets_target, s.meets_target == null ? '—' : t(s.meets_target ? 'yes' : 'no')),
      cell(s.main_pollutants.join(','), s.main_pollutants.map((p) => itemName(p, s)).join('、') || '—'),
      cell(s[`change_${lang}`]));
    body.append(tr);
  }
  const main = $('#pollutants tbody');
  main.replaceChildren();
  for (const p of state.assessment?.main_pollutants ?? []) {
    const tr = document.createElement('tr');
    tr.dataset.item = p.item;
    tr.append(cell(p.item, lang === 'en' ? p.name_en : p.name_zh), cell(p.sections_over), cell(p.rate_pct, pct(p.rate_pct)));
    main.append(tr);
  }
  const comp = state.compensation;
  setValue('#comp-period', comp?.period, comp ? comp.period : '');
  setValue('#comp-total', comp?.total_cny, comp ? t('cny')(comp.total_cny) : '—');
  setValue('#comp-months', comp?.section_months);
  $('#comp-note').textContent = comp
    ? [comp.rules, ...(comp.unconfirmed.length ? [t('compUnconfirmed') + comp.unconfirmed.join('; ')] : [])].join(' · ')
    : (state.errors.compensation || '');
  const bal = $('#balances tbody');
  bal.replaceChildren();
  for (const b of comp?.balances ?? []) {
    const tr = document.createElement('tr');
    tr.append(cell(b.district), cell(b.balance_cny, t('cny')(b.balance_cny)));
    tr.lastChild.className = 'num';
    bal.append(tr);
  }
}

function render() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
  $('#lang').textContent = t('lang');
  renderHeadline();
  renderClasses();
  renderMap();
  renderTables();
}

async function load(period) {
  window.lantianWater.ready = false;
  state.period = period;
  delete state.errors.assessment;
  delete state.errors.compensation;
  const [assessment, compensation] = period
    ? await Promise.all([get('assessment', `/water/assessment?period=${period}`),
      get('compensation', `/water/compensation?period=${period}`)])
    : [null, null];
  if (period !== state.period) return; // a later choice is loading
  Object.assign(state, { assessment, compensation });
  render();
  window.lantianWater.loads += 1;
  window.lantianWater.ready = true;
  document.body.dataset.ready = String(window.lantianWater.loads);
}

async function start() {
  state.sections = await get('sections', '/water/sections');
  state.years = [...new Set((state.sections ?? []).flatMap((s) => s.years))].sort((a, b) => a - b);
  const pick = $('#period');
  pick.replaceChildren(...state.years.map((y) => new Option(String(y), String(y))));
  const latest = state.years.length ? String(state.years[state.years.length - 1]) : null;
  if (latest) pick.value = latest;
  await load(latest);
}

$('#period').addEventListener('change', (e) => load(e.target.value));
$('#lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('lantian-lang', lang);
  render();
});
window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
start();
