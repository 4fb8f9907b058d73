// Lantian's soil page: the samples' categories (GB 15618) and risks (GB 36600), their map, the
// network's coverage of the city's classes, the risk-control list and an item's interpolated
// surface, as /api/v1/soil/* returns them. No figure is computed here: the page formats the
// API's numbers, places them on the screen and picks colours.
import { cell, getJson } from './page.js';

const TEXT = {
  zh: {
    soilTitle: '土壤环境', airPage: '空气质量', water: '水环境', climate: '应对气候变化', campaignsPage: '五大攻坚战', lang: 'EN',
    gb15618Title: '农用地土壤环境质量类别（GB 15618—2018）', gb36600Title: '建设用地土壤污染风险（GB 36600—2018）',
    category: '类别', risk: '风险', samples: '样品', share: '比例', plots: '地块', areaHa: '面积（公顷）',
    counted: '计入样品 / 应计样品：', notCounted: (n, why) => `${n} 个样品未计入（如：${why}）`,
    noArea: '未提供地块文件，无按面积统计。', noAreaHere: '地块文件中无此类用地的地块。', areaCounted: (c, e) => `按面积：计入地块 ${c} / ${e}`,
    mapTitle: '点位分布（按类别着色）', undecided: '类别未定', notScreened: '未筛选（无土地类别）',
    notOnMap: (n) => `${n} 个样品无坐标，未在图中。`,
    surfaceTitle: '含量空间分布（插值）', item: '指标', method: '方法', threshold: '阈值', draw: '绘制',
    rampNote: '蓝：不高于阈值；黄至红：高于阈值（对数）', above: '高于阈值', nodes: '个网格点', cv: '留一交叉验证', variogram: '变异函数',
    coverageTitle: '监测网络覆盖', cellsCovered: '已覆盖组合', cellsEmpty: '空缺组合（城市中存在而无点位）：',
    dimension: '维度', classesCovered: '已覆盖类别', emptyClasses: '空缺类别',
    dims: { land_use: '土地利用', soil_type: '土壤类型', topography: '地形', district: '行政区' },
    listTitle: '建设用地土壤污染风险管控和修复名录', status: '状态', plot: '地块', since: '起始', listedOn: '列入日期',
    listNote: (n, h) => `名录内 ${n} 个地块；历史记录共 ${h} 条。`,
    changesTitle: '名录变更', yearTo: '截至', entered: '新列入', moved: '状态变更', removed: '移出',
    date: '日期', from: '原状态', to: '新状态', by: '决定机关', reason: '理由', notListed: '未列入', removedName: '移出名录',
    latestNote: (n) => `最近 ${n} 条记录（按日期）。`,
    soilFooter: '依据 GB 15618—2018、GB 36600—2018；插值为普通克里金或反距离加权；名录的写入仅通过命令行；方法见 docs/soil.md',
  },
  en: {
    soilTitle: 'Soil', airPage: 'Air quality', water: 'Water', climate: 'Climate', campaignsPage: 'Campaigns', lang: '中文',
    gb15618Title: 'Agricultural land by category (GB 15618—2018)', gb36600Title: 'Construction land by risk (GB 36600—2018)',
    category: 'Category', risk: 'Risk', samples: 'Samples', share: 'Share', plots: 'Plots', areaHa: 'Area (ha)',
    counted: 'Samples counted / expected:', notCounted: (n, why) => `${n} samples not counted (e.g. ${why})`,
    noArea: 'No plots file: no shares by area.', noAreaHere: 'No plot of this land in the plots file.', areaCounted: (c, e) => `By area: plots counted ${c} / ${e}`,
    mapTitle: 'Samples, coloured by category', undecided: 'no single level', notScreened: 'not screened (no land class)',
    notOnMap: (n) => `${n} samples have no coordinates and are not on the map.`,
    surfaceTitle: 'Interpolated content', item: 'Item', method: 'Method', threshold: 'Threshold', draw: 'Draw',
    rampNote: 'blue: at most the threshold; yellow to red: above it (log scale)', above: 'Above', nodes: 'grid nodes', cv: 'Leave-one-out', variogram: 'Variogram',
    coverageTitle: 'Network coverage', cellsCovered: 'Combinations covered', cellsEmpty: 'empty (in the city, no point):',
    dimension: 'Dimension', classesCovered: 'Classes covered', emptyClasses: 'Empty classes',
    dims: { land_use: 'Land use', soil_type: 'Soil type', topography: 'Topography', district: 'District' },
    listTitle: 'Risk-control and restoration list of construction land', status: 'Status', plot: 'Plot', since: 'Since', listedOn: 'Listed on',
    listNote: (n, h) => `${n} plots on the list; ${h} events in its history.`,
    changesTitle: 'Changes to the list', yearTo: 'Year to', entered: 'listed', moved: 'moved on', removed: 'removed',
    date: 'Date', from: 'From', to: 'To', by: 'By', reason: 'Reason', notListed: 'not listed', removedName: 'removed from the list',
    latestNote: (n) => `The ${n} latest events (by date).`,
    soilFooter: 'GB 15618—2018 and GB 36600—2018; surfaces by ordinary kriging or inverse distance; the list is written with the command line only; the method: docs/soil.md',
  },
};

const params = new URLSearchParams(location.search);
let lang = params.get('lang') || localStorage.getItem('lantian-lang') || 'zh';
const state = { screening: null, coverage: null, list: null, changes: null, history: null, surface: null, errors: {} };
window.lantianSoil = { state, ready: false, loads: 0, surfaces: 0 };

// Categories and risks, best to worst: green to red for farmland, blue to purple for
// construction land, so a map of both tells the standards apart.
const LEVEL_COLOURS = {
  priority_protection: '#2E7D32', safe_utilisation: '#F9A825', strict_control: '#C62828',
  negligible: '#1565C0', within_background: '#00838F', investigate_and_assess: '#EF6C00',
  control_or_remediation: '#6A1B9A',
};
const UNDECIDED = '#9E9E9E';
const NOT_SCREENED = '#FFFFFF';
// The surface's colours: blues up to the threshold, yellow to dark red above it (on a log
// scale, so one hotspot does not wash out the rest), so what lies above reads at a glance.
const BELOW = [[49, 54, 149], [116, 173, 209], [224, 243, 248]];
const ABOVE = [[254, 224, 144], [244, 109, 67], [165, 0, 38]];
// Nodes each way of the page's surfaces (the API allows up to 200).
const GRID = '100x100';
const LATEST = 10;

const $ = (s) => document.querySelector(s);
const t = (k) => TEXT[lang][k] ?? k;
const get = (name, path) => getJson(path, state.errors, name);
const pct = (v) => (v == null ? '—' : `${(100 * v).toFixed(1)}%`);
function setValue(sel, v, text) {
  const el = $(sel);
  el.dataset.value = v ?? '';
  el.textContent = text ?? (v == null ? '—' : String(v));
}
const local = (x) => (lang === 'en' ? x.name_en : x.name_zh);

// A level's words, from the API's rows of either standard.
function levelName(code) {
  const s = state.screening;
  const row = [...(s?.gb15618?.rows ?? []), ...(s?.gb36600?.rows ?? [])].find((r) => r.level === code);
  return row ? local(row) : code;
}

function sampleColour(r) {
  if (!r.standard) return NOT_SCREENED;
  return (r.level && LEVEL_COLOURS[r.level]) || UNDECIDED;
}

function renderShares(key) {
  const s = state.screening?.[`gb${key}`];
  const body = $(`#shares-${key} tbody`);
  body.replaceChildren();
  for (const r of s?.rows ?? []) {
    const tr = document.createElement('tr');
    tr.dataset.level = r.level;
    const name = cell(r.level, local(r));
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = LEVEL_COLOURS[r.level];
    name.prepend(sw);
    tr.append(name, cell(r.samples), cell(r.share, pct(r.share)));
    body.append(tr);
  }
  const c = s?.completeness;
  setValue(`#c${key}`, c ? `${c.counted}/${c.expected}` : null, c ? `${c.counted} / ${c.expected}` : '—');
  const area = state.screening?.[`area_gb${key}`];
  const ab = $(`#area-${key} tbody`);
  ab.replaceChildren();
  for (const r of area?.rows ?? []) {
    const tr = document.createElement('tr');
    tr.append(cell(r.level, local(r)), cell(r.plots), cell(r.area_m2, (r.area_m2 / 10000).toFixed(1)), cell(r.share, pct(r.share)));
    ab.append(tr);
  }
  $(`#area-${key}`).style.display = area ? '' : 'none';
  const anyArea = state.screening?.area_gb15618 || state.screening?.area_gb36600;
  const notes = [];
  if (!state.screening) notes.push(state.errors.screening || '');
  else if (!s) notes.push('—');
  if (s?.not_counted?.length) notes.push(t('notCounted')(s.not_counted.length, s.not_counted[0].reason));
  if (area) notes.push(t('areaCounted')(area.completeness.counted, area.completeness.expected));
  else if (state.screening && s) notes.push(t(anyArea ? 'noAreaHere' : 'noArea'));
  $(`#n${key}`).textContent = notes.join(' ');
}

const SVG = 'http://www.w3.org/2000/svg';
function svg(name, attrs) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

// Longitude and latitude drawn with a degree of longitude shortened by the cosine of the
// middle latitude, so the city keeps its shape.
function projection(xy, width, height, lonLat) {
  const xs = xy.map((p) => p[0]);
  const ys = xy.map((p) => p[1]);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const k = lonLat ? Math.cos(((y0 + y1) / 2) * Math.PI / 180) : 1;
  const pad = 12;
  const scale = Math.min((width - 2 * pad) / ((x1 - x0) * k || 1), (height - 2 * pad) / ((y1 - y0) || 1));
  const ox = (width - (x1 - x0) * k * scale) / 2;
  const oy = (height - (y1 - y0) * scale) / 2;
  return { to: (x, y) => [ox + (x - x0) * k * scale, height - oy - (y - y0) * scale], scale: scale * k, scaleY: scale };
}

function renderMap() {
  const box = $('#map');
  box.replaceChildren();
  const rows = state.screening?.samples ?? [];
  const placed = rows.filter((r) => r.x != null && r.y != null);
  $('#map-note').textContent = state.screening
    ? (rows.length > placed.length ? t('notOnMap')(rows.length - placed.length) : '')
    : (state.errors.screening || '');
  const legend = $('#legend');
  legend.replaceChildren();
  const s = state.screening;
  const entries = [...(s?.gb15618?.rows ?? []), ...(s?.gb36600?.rows ?? [])]
    .map((r) => [LEVEL_COLOURS[r.level], local(r)]);
  entries.push([UNDECIDED, t('undecided')], [NOT_SCREENED, t('notScreened')]);
  for (const [colour, label] of entries) {
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = colour;
    legend.append(sw, `${label} `);
  }
  if (!placed.length) return;
  const [W, H] = [600, 420];
  const lonLat = placed.every((r) => r.crs === 'EPSG:4326');
  const p = projection(placed.map((r) => [r.x, r.y]), W, H, lonLat);
  const root = svg('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'xMidYMid meet' });
  for (const r of placed) {
    const [cx, cy] = p.to(r.x, r.y);
    const colour = sampleColour(r);
    const c = svg('circle', { cx: cx.toFixed(1), cy: cy.toFixed(1), r: 3.5, fill: colour, stroke: '#333', 'stroke-width': 0.5 });
    Object.assign(c.dataset, { sample: r.sample, x: r.x, y: r.y, level: r.level ?? '', colour });
    const title = svg('title', {});
    title.textContent = `${r.sample} · ${r.standard ? (r.level ? levelName(r.level) : t('undecided')) : t('notScreened')}`;
    c.append(title);
    root.append(c);
  }
  box.append(root);
}

function dimName(d) { return t('dims')[d] ?? d; }

function renderCoverage() {
  const c = state.coverage?.cross;
  const head = $('#coverage thead');
  const body = $('#coverage tbody');
  head.replaceChildren();
  body.replaceChildren();
  $('#cov-note').textContent = state.coverage ? (state.coverage.notes ?? []).join(' ') : (state.errors.coverage || '');
  setValue('#cov-dims', c ? `${c.rows}×${c.columns}` : null, c ? `${dimName(c.rows)} × ${dimName(c.columns)}` : '');
  setValue('#cov-covered', c?.covered);
  setValue('#cov-existing', c?.existing);
  setValue('#cov-share', c?.share_covered, pct(c?.share_covered));
  setValue('#cov-empty', c?.empty.length, c ? c.empty.map((e) => `${e.row} × ${e.column}`).join('、') || '0' : '—');
  const dims = $('#dimensions tbody');
  dims.replaceChildren();
  for (const d of state.coverage?.dimensions ?? []) {
    const tr = document.createElement('tr');
    tr.append(cell(d.dimension, dimName(d.dimension)), cell(`${d.covered.length}/${d.classes.length}`, `${d.covered.length} / ${d.classes.length}`),
      cell(d.share_covered, pct(d.share_covered)), cell(d.empty.join(','), d.empty.join('、') || '—'));
    dims.append(tr);
  }
  if (!c) return;
  const hr = document.createElement('tr');
  const corner = document.createElement('th');
  corner.textContent = `${dimName(c.rows)} \\ ${dimName(c.columns)}`;
  hr.append(corner, ...c.column_classes.map((k) => { const th = document.createElement('th'); th.textContent = k; return th; }));
  head.append(hr);
  const empty = new Set(c.empty.map((e) => `${e.row}\u0000${e.column}`));
  c.row_classes.forEach((rc, i) => {
    const tr = document.createElement('tr');
    tr.append(cell(rc));
    c.column_classes.forEach((cc, j) => {
      const n = c.counts[i][j];
      const isEmpty = empty.has(`${rc}\u0000${cc}`);
      // A cell with no point: marked when the combination exists in the city, a dot when not.
      const td = cell(n, n > 0 ? String(n) : (isEmpty ? '0' : '·'));
      td.className = isEmpty ? 'empty' : (n > 0 ? 'num' : 'absent');
      td.dataset.mark = isEmpty ? 'empty' : (n > 0 ? 'covered' : 'absent');
      tr.append(td);
    });
    body.append(tr);
  });
}

function statusName(code) {
  if (code == null) return t('notListed');
  // The counts name the statuses on the list; a plot removed is no longer on it.
  if (code === 'removed') return t('removedName');
  const s = state.list?.by_status?.find((x) => x.status === code);
  return s ? local(s) : code;
}

function renderList() {
  const l = state.list;
  setValue('#list-date', l?.date, l ? l.date : '');
  const counts = $('#by-status tbody');
  counts.replaceChildren();
  for (const s of l?.by_status ?? []) {
    const tr = document.createElement('tr');
    tr.append(cell(s.status, local(s)), cell(s.plots));
    counts.append(tr);
  }
  const body = $('#entries tbody');
  body.replaceChildren();
  for (const e of l?.entries ?? []) {
    const tr = document.createElement('tr');
    tr.append(cell(e.plot), cell(e.status, statusName(e.status)), cell(e.since), cell(e.listed_on));
    body.append(tr);
  }
  $('#list-note').textContent = l ? t('listNote')(l.entries.length, l.history) : (state.errors.list || '');
  const ch = state.changes;
  setValue('#ch-to', ch?.up_to);
  setValue('#ch-entered', ch?.entered.length);
  setValue('#ch-moved', ch?.status_changes.length);
  setValue('#ch-removed', ch?.removed.length);
  // The latest events by date (the order recorded breaks ties).
  const events = [...(state.history?.events ?? [])]
    .sort((a, b) => (a.date === b.date ? b.seq - a.seq : (a.date < b.date ? 1 : -1)))
    .slice(0, LATEST);
  const latest = $('#latest tbody');
  latest.replaceChildren();
  for (const e of events) {
    const tr = document.createElement('tr');
    tr.dataset.seq = e.seq;
    tr.append(cell(e.date), cell(e.plot), cell(e.from, statusName(e.from)), cell(e.to, statusName(e.to)), cell(e.by), cell(e.reason));
    latest.append(tr);
  }
  $('#changes-note').textContent = state.history
    ? t('latestNote')(events.length)
    : [state.errors.changes, state.errors.history].filter(Boolean).join(' ');
}

function along(ramp, f) {
  const x = Math.min(Math.max(f, 0), 1) * (ramp.length - 1);
  const i = Math.min(Math.floor(x), ramp.length - 2);
  const u = x - i;
  return ramp[i].map((c, k) => Math.round(c + u * (ramp[i + 1][k] - c)));
}

// A node's colour: where it lies between the lowest estimate and the threshold, or between the
// threshold and the highest estimate.
function nodeColour(v, lo, hi, threshold) {
  if (v <= threshold) return along(BELOW, threshold > lo ? (v - lo) / (threshold - lo) : 1);
  const base = Math.max(threshold, lo, 1e-12);
  return along(ABOVE, hi > base ? Math.log(v / base) / Math.log(hi / base) : 0);
}

function renderSurface() {
  const r = state.surface;
  const canvas = $('#surface-map');
  const ctx = canvas.getContext('2d');
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  canvas.dataset.painted = '0';
  $('#ramp').style.background = `linear-gradient(to right, ${[...BELOW, ...ABOVE].map((c) => `rgb(${c})`).join(',')})`;
  setValue('#s-item', r?.item, r ? `${r.item} (${r.method})` : '');
  setValue('#s-threshold-shown', r?.threshold.mg_kg);
  setValue('#s-above', r?.above.share, pct(r?.above.share));
  setValue('#s-nodes-above', r?.above.nodes_above);
  setValue('#s-nodes', r?.above.nodes_estimated);
  setValue('#s-rmse', r?.cross_validation.rmse, r?.cross_validation.rmse?.toPrecision(3));
  setValue('#s-mae', r?.cross_validation.mae, r?.cross_validation.mae?.toPrecision(3));
  const v = r?.variogram?.fitted;
  setValue('#s-variogram', v?.effective_range, v ? `${v.model}, ${Math.round(v.effective_range)} ${r.distance_unit}` : '—');
  $('#s-note').textContent = r
    ? [`${r.threshold.from}`, ...r.notes].join(' · ')
    : (state.errors.surface || '');
  const g = r?.grid;
  const values = g ? g.values.filter((x) => x != null) : [];
  setValue('#s-min', values.length ? Math.min(...values) : null, values.length ? Math.min(...values).toPrecision(3) : '—');
  setValue('#s-max', values.length ? Math.max(...values) : null, values.length ? Math.max(...values).toPrecision(3) : '—');
  if (!values.length) return;
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  // The canvas keeps the grid's shape (degrees of longitude shortened as on the map).
  const lonLat = r.crs === 'EPSG:4326';
  const k = lonLat ? Math.cos((g.y0 + (g.ny - 1) * g.dy / 2) * Math.PI / 180) : 1;
  const W = canvas.width;
  const H = Math.round(Math.min(Math.max(W * (g.ny * g.dy) / (g.nx * g.dx * k), 200), 700));
  canvas.height = H;
  const cw = W / g.nx;
  const ch = H / g.ny;
  let painted = 0;
  for (let j = 0; j < g.ny; j += 1) {
    for (let i = 0; i < g.nx; i += 1) {
      const val = g.values[j * g.nx + i];
      if (val == null) continue;
      const [cr, cg, cb] = nodeColour(val, lo, hi, r.threshold.mg_kg);
      ctx.fillStyle = `rgb(${cr},${cg},${cb})`;
      // Row 0 is the southern edge: drawn at the bottom.
      ctx.fillRect(Math.floor(i * cw), Math.floor(H - (j + 1) * ch), Math.ceil(cw), Math.ceil(ch));
      painted += 1;
    }
  }
  canvas.dataset.painted = String(painted);
  // The samples used, at their places on the grid.
  ctx.strokeStyle = '#000';
  ctx.lineWidth = 0.6;
  for (const s of r.samples) {
    const px = ((s.x - g.x0) / g.dx + 0.5) * cw;
    const py = H - ((s.y - g.y0) / g.dy + 0.5) * ch;
    ctx.fillStyle = sampleColour(s);
    ctx.beginPath();
    ctx.arc(px, py, 2.2, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }
}

function render() {
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  document.querySelectorAll('[data-t]').forEach((el) => { el.textContent = t(el.dataset.t); });
  $('#lang').textContent = t('lang');
  renderShares('15618');
  renderShares('36600');
  renderMap();
  renderCoverage();
  renderList();
  renderSurface();
}

async function loadSurface() {
  window.lantianSoil.ready = false;
  const item = $('#s-pick').value;
  const q = new URLSearchParams({ item, method: $('#s-method').value, grid: GRID });
  const threshold = $('#s-threshold').value.trim();
  if (threshold) q.set('threshold', threshold);
  delete state.errors.surface;
  state.surface = item ? await get('surface', `/soil/surface?${q}`) : null;
  // No item to pick: the screening's refusal says why.
  if (!item && state.errors.screening) state.errors.surface = state.errors.screening;
  renderSurface();
  window.lantianSoil.surfaces += 1;
  window.lantianSoil.ready = true;
}

// The same day a year earlier (28 February for the 29th).
function yearBefore(d) {
  const [y, m, day] = d.split('-');
  return `${Number(y) - 1}-${m}-${m === '02' && day === '29' ? '28' : day}`;
}

async function start() {
  const asOf = params.get('as_of');
  const [screening, coverage, list, history] = await Promise.all([
    get('screening', '/soil/screening'),
    get('coverage', '/soil/coverage'),
    get('list', asOf ? `/soil/list?as_of=${encodeURIComponent(asOf)}` : '/soil/list'),
    get('history', '/soil/list/history'),
  ]);
  Object.assign(state, { screening, coverage, list, history });
  state.changes = list ? await get('changes', `/soil/list/changes?from=${yearBefore(list.date)}&to=${list.date}`) : null;
  const items = (screening?.items ?? []).map((i) => i.item);
  $('#s-pick').replaceChildren(...items.map((i) => new Option(i, i)));
  const wanted = params.get('item') || 'Cd';
  if (items.includes(wanted)) $('#s-pick').value = wanted;
  if (params.get('method')) $('#s-method').value = params.get('method');
  if (params.get('threshold')) $('#s-threshold').value = params.get('threshold');
  render();
  window.lantianSoil.loads += 1;
  await loadSurface();
  document.body.dataset.ready = String(window.lantianSoil.loads);
}

$('#surface-form').addEventListener('submit', (e) => { e.preventDefault(); loadSurface(); });
$('#lang').addEventListener('click', () => {
  lang = lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem('lantian-lang', lang);
  render();
});
start();
