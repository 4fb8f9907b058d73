// Lantian's climate page: the carbon market's books, green electricity, registry credits and
// the EU ETS oracle, as /api/v1/carbon/* returns them (no figure is computed here).
import * as echarts from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { TEXT } from './i18n.js';
import { cell, getJson } from './page.js';

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const params = new URLSearchParams(location.search);
let lang = params.get('lang') || localStorage.getItem('lantian-lang') || 'zh';
const state = { oracle: null, compliance: null, green: null, offsets: null, errors: {} };
const charts = {};
window.lantianClimate = { charts, state, ready: false };

const $ = (s) => document.querySelector(s);
const t = (k) => TEXT[lang][k] ?? k;

const get = (name, path) => getJson(path, state.errors, name);
const tonnes = (v) => (v == null ? '—' : `${(v / 1000).toLocaleString(lang === 'zh' ? 'zh-CN' : 'en', { maximumFractionDigits: 1 })} kt`);
const pct = (v) => (v == null || Number.isNaN(v) ? '—' : `${v.toFixed(1)}%`);

function setValue(sel, v, text) {
  const el = $(sel);
  el.dataset.value = v ?? '';
  el.textContent = text ?? (v == null ? '—' : String(v));
}

function render() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
  $('#lang').textContent = t('lang');
  const o = state.oracle;
  setValue('#oracle-match', o?.total?.match_pct, o ? o.total.match_pct.toFixed(3) : '—');
  setValue('#oracle-letters', o?.total?.letters, o ? o.total.letters.toLocaleString() : '—');
  $('#oracle-note').textContent = o ? t('oracleNote') : (state.errors.oracle || '');
  if (o) {
    charts.oracle = charts.oracle || echarts.init($('#oracle-chart'));
    const years = o.by_year.map((r) => r.span);
    charts.oracle.setOption({
      tooltip: { trigger: 'axis' },
      legend: { data: [t('registryRules'), t('figuresOnly')] },
      xAxis: { type: 'category', data: years },
      yAxis: { type: 'value', min: 95, max: 100 },
      series: [
        { name: t('registryRules'), type: 'bar', data: o.by_year.map((r) => r.match_pct) },
        { name: t('figuresOnly'), type: 'bar', data: o.by_year.map((r) => r.figures_only_match_pct) },
      ],
    }, true);
  }
  const off = state.offsets;
  setValue('#offsets-year', off?.year, off ? String(off.year) : '');
  setValue('#offsets-eligible', off?.eligible_t, off ? off.eligible_t.toLocaleString() : '—');
  setValue('#offsets-refused', off?.refused_t, off ? off.refused_t.toLocaleString() : '—');
  $('#offsets-note').textContent = off ? t('offsetsNote')(off.batches.length, off.projects) : (state.errors.offsets || '');
  const market = $('#market tbody');
  market.replaceChildren();
  for (const y of state.compliance?.years ?? []) {
    const tr = document.createElement('tr');
    tr.dataset.year = y.year;
    tr.append(cell(y.year), cell(y.units), cell(y.compliance_pct, pct(y.compliance_pct)),
      cell(y.emissions_t, tonnes(y.emissions_t)), cell(y.offsets_counted_t, tonnes(y.offsets_counted_t)),
      cell(y.shortfall_t, tonnes(y.shortfall_t)));
    market.append(tr);
  }
  $('#market-note').textContent = state.compliance ? '' : (state.errors.compliance || '');
  const green = $('#green tbody');
  green.replaceChildren();
  for (const y of state.green?.years ?? []) {
    const tr = document.createElement('tr');
    tr.dataset.year = y.year;
    tr.append(cell(y.year), cell(y.consumption_mwh, `${y.consumption_mwh.toLocaleString()} MWh`),
      cell(y.green_share_pct, pct(y.green_share_pct)), cell(y.avoided_t, tonnes(y.avoided_t)),
      cell(y.plan?.done_pct, y.plan ? pct(y.plan.done_pct) : '—'));
    green.append(tr);
  }
  $('#green-note').textContent = state.green ? '' : (state.errors.green || '');
}

async function load() {
  const year = new Date().getFullYear();
  const [oracle, compliance, green, offsets] = await Promise.all([
    get('oracle', '/carbon/oracle'), get('compliance', '/carbon/compliance'), get('green', '/carbon/green'),
    get('offsets', `/carbon/offsets?year=${year}`),
  ]);
  Object.assign(state, { oracle, compliance, green, offsets });
  render();
  window.lantianClimate.ready = true;
  document.body.dataset.ready = '1';
}

$('#lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('lantian-lang', lang);
  render();
});
window.addEventListener('resize', () => Object.values(charts).forEach((c) => c.resize()));
load();
