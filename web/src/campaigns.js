// Lantian's campaigns page: the plan's progress on a date (per campaign and lead unit, done
// against expected), the burn-up, the measures behind schedule or overdue, and the indicators
// against their baselines and targets, as /api/v1/campaigns/* returns them. No figure is
// computed here: the page formats the API's numbers, places them and picks words and colours.
import * as echarts from 'echarts/core';
import { LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { cell, getJson } from './page.js';

echarts.use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

const TEXT = {
  zh: {
    campaignsTitle: '五大攻坚战：任务进度与指标', airPage: '空气质量', water: '水环境', soil: '土壤环境', climate: '应对气候变化',
    lang: 'EN', asOf: '截至', doneWord: '任务完成（平均）', expected: '应完成', timeElapsed: '时间进度', measures: '任务数',
    byStatus: '各状态任务数', status: '状态', byCampaign: '各攻坚战进度', byUnit: '各牵头单位进度', campaign: '攻坚战', unit: '牵头单位',
    doneVsExpected: '完成 / 应完成', done: '完成', behind: '滞后', overdue: '逾期', pace: '进度判断',
    barNote: '蓝条：已完成工作量；红线：按计划应完成的工作量（各任务平均）。',
    burnUp: '累计完成曲线', burnUpNote: '各月末及所选日期：已完成与应完成工作量（各任务平均）。',
    lateTitle: '进度滞后和逾期未完成的任务', measure: '任务', title: '名称', deadline: '完成时限', lastReport: '最近报告',
    lateCount: (n) => `${n} 项`, noneLate: '无滞后或逾期任务。',
    unmatched: (n) => `${n} 条进度报告所指任务或节点不在计划中，未计入。`,
    reports: (f, s) => `进度报告：计划文件 ${f} 条，系统录入 ${s} 条。`,
    indicatorsTitle: '指标', indicator: '指标', value: '数值', unitOfMeasure: '单位', date: '日期', baseline: '基准',
    target: '目标', change: '较基准变化', towardTarget: '目标进度', met: '达标', source: '来源',
    yes: '是', no: '否', enteredBy: (by) => `${by} 录入`, computedBy: (e) => `计算（${e}）`,
    computedByBulletin: '由公报计算', noValue: '暂无数值',
    paceWords: { half: '时间过半、任务过半', keeps: '进度与时间同步', behind: '进度落后于时间' },
    campaigns: { blue_sky: '蓝天保卫战', clear_water: '碧水攻坚战', pure_land: '净土持久战', climate: '应对气候变化', ecology: '生态保护' },
    statuses: {
      upcoming: '尚未开始', on_schedule: '按进度推进', behind: '进度滞后', overdue: '逾期未完成',
      done_early: '提前完成', done_on_time: '按期完成', done_late: '逾期完成',
    },
    series: { done: '已完成', expected: '应完成' },
    campaignsFooter: '任务、节点、权重与指标来自计划文件；进度 = 各节点最近报告完成比例的加权平均；方法见 docs/campaigns.md',
  },
  en: {
    campaignsTitle: 'The five campaigns: measures and indicators', airPage: 'Air quality', water: 'Water', soil: 'Soil', climate: 'Climate',
    lang: '中文', asOf: 'As of', doneWord: 'of the work done (mean)', expected: 'Expected', timeElapsed: 'Time elapsed', measures: 'Measures',
    byStatus: 'Measures by status', status: 'Status', byCampaign: 'Progress by campaign', byUnit: 'Progress by lead unit', campaign: 'Campaign', unit: 'Lead unit',
    doneVsExpected: 'Done / expected', done: 'Done', behind: 'Behind', overdue: 'Overdue', pace: 'Pace',
    barNote: 'Blue bar: the work done; red line: the work the plan expects by the date (means over the measures).',
    burnUp: 'Burn-up', burnUpNote: 'At each month\'s end and on the date: the work done and expected (means over the measures).',
    lateTitle: 'Measures behind schedule or overdue', measure: 'Measure', title: 'Title', deadline: 'Deadline', lastReport: 'Last report',
    lateCount: (n) => `${n}`, noneLate: 'No measure is behind schedule or overdue.',
    unmatched: (n) => `${n} reports name a measure or milestone the plan does not have (not counted).`,
    reports: (f, s) => `Progress reports: ${f} in the plan's files, ${s} recorded since.`,
    indicatorsTitle: 'Indicators', indicator: 'Indicator', value: 'Value', unitOfMeasure: 'Unit', date: 'Date', baseline: 'Baseline',
    target: 'Target', change: 'Change from baseline', towardTarget: 'Toward target', met: 'Met', source: 'Source',
    yes: 'yes', no: 'no', enteredBy: (by) => `entered by ${by}`, computedBy: (e) => `computed (${e})`,
    computedByBulletin: 'computed by the bulletin', noValue: 'no value yet',
    paceWords: { half: 'half the time, half the tasks', keeps: 'keeps pace with the time', behind: 'behind the time' },
    campaigns: { blue_sky: 'Blue sky (air)', clear_water: 'Clear water', pure_land: 'Pure land (soil)', climate: 'Climate', ecology: 'Ecology' },
    statuses: {
      upcoming: 'not yet started', on_schedule: 'on schedule', behind: 'behind schedule', overdue: 'overdue',
      done_early: 'done early', done_on_time: 'done on time', done_late: 'done late',
    },
    series: { done: 'done', expected: 'expected' },
    campaignsFooter: 'Measures, milestones, weights and indicators from the plan\'s files; the work done is the weighted mean of each milestone\'s latest reported share; the method: docs/campaigns.md',
  },
};

const params = new URLSearchParams(location.search);
let lang = params.get('lang') || localStorage.getItem('lantian-lang') || 'zh';
const state = { progress: null, measures: null, indicators: null, errors: {} };
const charts = {};
window.lantianCampaigns = { state, charts, ready: false, loads: 0 };

const CAMPAIGN_ORDER = ['blue_sky', 'clear_water', 'pure_land', 'climate', 'ecology'];
const STATUS_ORDER = ['upcoming', 'on_schedule', 'behind', 'overdue', 'done_early', 'done_on_time', 'done_late'];

const $ = (s) => document.querySelector(s);
const t = (k) => TEXT[lang][k] ?? k;
const get = (name, path) => getJson(path, state.errors, name);
const pct = (v) => (v == null ? '—' : `${(100 * v).toFixed(1)}%`);
const num = (v) => (v == null ? '—' : String(v));
function setValue(sel, v, text) {
  const el = $(sel);
  el.dataset.value = v ?? '';
  el.textContent = text ?? (v == null ? '—' : String(v));
}
const campaignName = (code) => t('campaigns')[code] ?? code;
const statusName = (code) => t('statuses')[code] ?? code;
const local = (x, key) => (lang === 'en' ? x[`${key}_en`] : x[`${key}_zh`]) ?? x[`${key}_zh`];

// The API's two statements about a group, as one word: "half the time, half the tasks" implies
// keeping pace.
const pace = (s) => (s.half_time_half_tasks ? 'half' : s.keeps_pace ? 'keeps' : 'behind');

function paceCell(s) {
  const code = pace(s);
  const td = cell(code, t('paceWords')[code]);
  td.className = code === 'behind' ? 'pace-no' : 'pace-yes';
  return td;
}

// Done as a bar, expected as a line across it: both are the API's shares of 0–1.
function barCell(s) {
  const td = cell(s.done, '');
  td.className = 'bar-cell';
  const bar = document.createElement('div');
  bar.className = 'bar';
  const done = document.createElement('div');
  done.className = 'done';
  done.dataset.value = s.done;
  done.style.width = `${Math.min(100, 100 * s.done)}%`;
  const expected = document.createElement('div');
  expected.className = 'expected';
  expected.dataset.value = s.expected;
  expected.style.left = `${Math.min(100, 100 * s.expected)}%`;
  bar.append(done, expected);
  td.append(bar);
  return td;
}

function summaryRow(key, name, s) {
  const tr = document.createElement('tr');
  tr.dataset.key = key;
  tr.append(cell(key, name), cell(s.measures), barCell(s), cell(s.done, pct(s.done)), cell(s.expected, pct(s.expected)),
    cell(s.by_status.behind), cell(s.by_status.overdue), paceCell(s));
  return tr;
}

function renderHeadline() {
  const a = state.progress;
  const p = a?.progress;
  $('#plan-name').textContent = a ? (lang === 'en' ? a.plan_en : a.plan_zh) : (state.errors.progress || '—');
  setValue('#shown-as-of', p?.as_of, p ? p.as_of : '');
  setValue('#total-done', p?.total.done, p ? pct(p.total.done) : '—');
  setValue('#total-expected', p?.total.expected, p ? pct(p.total.expected) : '—');
  setValue('#total-time', p?.total.time_elapsed, p ? pct(p.total.time_elapsed) : '—');
  setValue('#total-measures', p?.total.measures);
  const code = p ? pace(p.total) : null;
  setValue('#pace', code, code ? t('paceWords')[code] : '—');
  $('#pace').className = code === 'behind' ? 'pace-no' : code ? 'pace-yes' : '';
  const notes = [];
  if (a) notes.push(t('reports')(a.reports_in_files, a.reports_in_store), a.origin);
  if (p?.unmatched_updates) notes.push(t('unmatched')(p.unmatched_updates));
  $('#headline-note').textContent = notes.join(' ');
  const body = $('#by-status tbody');
  body.replaceChildren();
  for (const code of STATUS_ORDER) {
    if (!p) break;
    const tr = document.createElement('tr');
    tr.append(cell(code, statusName(code)), cell(p.total.by_status[code]));
    body.append(tr);
  }
}

function renderGroups() {
  const p = state.progress?.progress;
  const campaigns = $('#by-campaign tbody');
  campaigns.replaceChildren();
  // The campaigns in the order the city's reports give them (the API's keys are sorted).
  const byCampaign = p?.by_campaign ?? {};
  const codes = [...CAMPAIGN_ORDER.filter((c) => c in byCampaign), ...Object.keys(byCampaign).filter((c) => !CAMPAIGN_ORDER.includes(c))];
  for (const code of codes) campaigns.append(summaryRow(code, campaignName(code), byCampaign[code]));
  const units = $('#by-unit tbody');
  units.replaceChildren();
  for (const [unit, s] of Object.entries(p?.by_unit ?? {})) units.append(summaryRow(unit, unit, s));
}

function renderBurnUp() {
  const el = $('#burn-up');
  const points = state.progress?.burn_up ?? [];
  charts.burnUp ??= echarts.init(el);
  charts.burnUp.setOption({
    animation: false,
    tooltip: { trigger: 'axis', valueFormatter: (v) => pct(v) },
    legend: { top: 0, data: [t('series').done, t('series').expected] },
    grid: { left: 48, right: 16, top: 32, bottom: 28 },
    xAxis: { type: 'category', data: points.map((b) => b.date) },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: (v) => `${Math.round(100 * v)}%` } },
    series: [
      { name: t('series').done, type: 'line', data: points.map((b) => b.done), itemStyle: { color: '#1565c0' } },
      { name: t('series').expected, type: 'line', data: points.map((b) => b.expected), itemStyle: { color: '#d32f2f' },
        lineStyle: { type: 'dashed' } },
    ],
  }, true);
}

function renderLate() {
  const p = state.progress?.progress;
  const titles = new Map((state.measures?.measures ?? []).map((m) => [m.id, m]));
  // The API's own flags: a late measure is one whose status is behind or overdue.
  const late = (p?.measures ?? []).filter((m) => m.status === 'behind' || m.status === 'overdue');
  const body = $('#late tbody');
  body.replaceChildren();
  for (const m of late) {
    const tr = document.createElement('tr');
    tr.dataset.measure = m.id;
    const info = titles.get(m.id);
    const status = cell(m.status, statusName(m.status));
    status.className = `status-${m.status}`;
    tr.append(cell(m.id), cell(info ? local(info, 'title') : null), cell(m.campaign, campaignName(m.campaign)), cell(m.lead),
      cell(m.done, pct(m.done)), cell(m.expected, pct(m.expected)), status, cell(m.deadline), cell(m.last_report));
    body.append(tr);
  }
  setValue('#late-count', p ? late.length : null, p ? t('lateCount')(late.length) : '');
  $('#late-note').textContent = !p ? (state.errors.progress || '') : (late.length ? (state.errors.measures || '') : t('noneLate'));
}

function sourceText(i) {
  const v = i.standing.latest;
  if (v?.source.kind === 'entered') return t('enteredBy')(v.source.by);
  if (v?.source.kind === 'computed') return t('computedBy')(v.source.engine);
  return i.indicator.computed ? t('computedByBulletin') : t('noValue');
}

function renderIndicators() {
  const list = state.indicators ?? [];
  const body = $('#indicators tbody');
  body.replaceChildren();
  for (const i of list) {
    const s = i.standing;
    const v = s.latest;
    const tr = document.createElement('tr');
    tr.dataset.indicator = i.indicator.id;
    const met = cell(s.target_met, s.target_met == null ? '—' : t(s.target_met ? 'yes' : 'no'));
    if (s.target_met != null) met.className = s.target_met ? 'met-yes' : 'met-no';
    tr.append(cell(i.indicator.id, local(i.indicator, 'name')), cell(i.indicator.campaign, campaignName(i.indicator.campaign)),
      cell(v?.value, num(v?.value)), cell(i.indicator.unit), cell(v?.date),
      cell(i.indicator.baseline?.value, num(i.indicator.baseline?.value)), cell(i.indicator.target?.value, num(i.indicator.target?.value)),
      cell(s.change_percent, s.change_percent == null ? '—' : `${s.change_percent.toFixed(1)}%`),
      cell(s.toward_target, pct(s.toward_target)), met, cell(v?.source.kind ?? (i.indicator.computed ? 'bulletin' : null), sourceText(i)));
    body.append(tr);
  }
  const date = state.progress?.progress.as_of ?? $('#as-of').value;
  setValue('#indicators-as-of', state.indicators ? date : null, state.indicators ? date : '');
  $('#indicators-note').textContent = state.indicators ? '' : (state.errors.indicators || '');
}

function render() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
  $('#lang').textContent = t('lang');
  renderHeadline();
  renderGroups();
  renderBurnUp();
  renderLate();
  renderIndicators();
}

// Progress and indicators on the date picked (the server's today without one); the measures'
// titles once.
async function load(asOf) {
  window.lantianCampaigns.ready = false;
  state.errors = {};
  const q = asOf ? `?as_of=${encodeURIComponent(asOf)}` : '';
  const [progress, indicators, measures] = await Promise.all([
    get('progress', `/campaigns/progress${q}`),
    get('indicators', `/campaigns/indicators${q}`),
    state.measures ? Promise.resolve(state.measures) : get('measures', '/campaigns/measures'),
  ]);
  Object.assign(state, { progress, indicators, measures });
  if (progress) $('#as-of').value = progress.progress.as_of;
  render();
  window.lantianCampaigns.loads += 1;
  window.lantianCampaigns.ready = true;
  document.body.dataset.ready = String(window.lantianCampaigns.loads);
}

$('#as-of').addEventListener('change', () => {
  const d = $('#as-of').value;
  if (d) load(d);
});
$('#lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('lantian-lang', lang);
  render();
});
window.addEventListener('resize', () => charts.burnUp?.resize());
load(params.get('as_of'));
