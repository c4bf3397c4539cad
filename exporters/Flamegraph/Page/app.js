// The collector's live flame graph: fetches /api/stacks for a time range, builds the d3-flame-graph tree in the
// browser with tree.js (so filters, search and the top table need no round trip), and redraws every few seconds
// while "live".
'use strict';

// One colour per profile.frame.type, so kernel, native and JIT frames read apart at a glance.
const TYPE_COLORS = {
  process: '#b8b8b8', kernel: '#f08a5d', native: '#f3c15f', dotnet: '#a58be0', jvm: '#7cc47f',
  v8js: '#e3d45a', cpython: '#6fa8dc', php: '#8e9fd6', ruby: '#e06f6f', perl: '#9fc9c9', go: '#6dd0e0',
  rust: '#d79a6b', beam: '#c27bb5', luajit: '#9bc46e', '': '#d0d0d0',
};
const REFRESH_MS = 5000;

const $ = (id) => document.getElementById(id);
const state = { current: null, base: null, tree: null, zoomed: false };

// The UMD build exposes a namespace: the chart factory is its default export.
const chart = flamegraph.default()
  .width(Math.max(600, document.getElementById('chart').clientWidth || 1200))
  .cellHeight(18)
  .transitionDuration(200)
  .minFrameSize(2)
  .sort(true)
  .title('')
  .setSearchMatch((d, term) => { try { return new RegExp(term).test(d.data.name); } catch { return d.data.name.includes(term); } })
  .setColorMapper((d, original) => {
    if (d.highlight) return original; // search matches keep the library's highlight colour
    if ($('compare').checked && typeof d.data.delta === 'number') return deltaColor(d);
    return TYPE_COLORS[d.data.type] || TYPE_COLORS[''];
  })
  .onClick((d) => { state.zoomed = Boolean(d && d.parent); })
  .label((d) => `${d.data.name} [${d.data.type || 'unknown'}]: ${d.data.value} samples (${percent(d.value, state.tree?.value)})` +
    (typeof d.data.delta === 'number' && $('compare').checked ? `, ${d.data.delta >= 0 ? '+' : ''}${d.data.delta.toFixed(1)} vs before` : ''));

// The locale-aware forms (localeCompare, toLocaleTimeString) load the browser's locale data on first use: 15-60 ms
// measured in the first drawing here, for names and a clock time that read as well without them.
function compareText(a, b) { return a < b ? -1 : a > b ? 1 : 0; }
function clockTime(ms) {
  const time = new Date(ms);
  return [time.getHours(), time.getMinutes(), time.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
}

function percent(part, total) { return total ? (100 * part / total).toFixed(2) + '%' : '-'; }

// Red where the frame grew against the window before (scaled to the same total), blue where it shrank.
function deltaColor(d) {
  const ratio = Math.max(-1, Math.min(1, d.data.delta / Math.max(1, d.data.value)));
  const fade = Math.round(230 - 150 * Math.abs(ratio));
  return ratio >= 0 ? `rgb(255,${fade},${fade})` : `rgb(${fade},${fade},255)`;
}

async function fetchStacks(from, to) {
  const response = await takeFirstStacks(from, to) ?? await fetch(`api/stacks?from=${Math.floor(from)}&to=${Math.floor(to)}`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`api/stacks: ${response.status}`);
  return response.json();
}

// The request index.html started before the libraries loaded, when it asked for the window wanted now (the default
// one, within a few seconds of now); used once. Null sends a request of its own (also when that one failed).
function takeFirstStacks(from, to) {
  const first = window.firstStacks;
  window.firstStacks = undefined;
  if (!first || Math.abs(first.to - to) > 5000 || Math.abs((to - from) - first.minutes * 60000) > 1) return null;
  return first.response;
}

function fillSelect(select, values, label) {
  const chosen = select.value;
  const options = [['', 'all'], ...values.map((v) => [v, label(v)])];
  select.replaceChildren(...options.map(([value, text]) => { const o = document.createElement('option'); o.value = value; o.textContent = text; return o; }));
  select.value = options.some(([value]) => value === chosen) ? chosen : '';
}

function updateFilters(data) {
  const pids = [...new Map(data.processes.map((p) => [String(p.pid), p])).values()].sort((a, b) => compareText(a.name, b.name) || a.pid - b.pid);
  fillSelect($('process'), pids.map((p) => String(p.pid)), (pid) => { const p = pids.find((x) => String(x.pid) === pid); return `${p.name || '?'} (${pid})`; });
  fillSelect($('container'), [...new Set(data.processes.map((p) => p.container).filter(Boolean))].sort(), (c) => c.slice(0, 12));
  fillSelect($('thread'), [...new Set(data.threads.filter(Boolean))].sort(), (t) => t);
}

function renderTop(self, baseSelf, total, baseTotal) {
  const rows = [...self.values()].sort((a, b) => b.value - a.value).slice(0, 30);
  const compare = baseSelf !== null;
  $('top').tHead.innerHTML = `<tr><th>self</th><th>self %</th>${compare ? '<th>before %</th><th>change</th>' : ''}<th>function</th></tr>`;
  const body = $('top').tBodies[0];
  body.replaceChildren(...rows.map((row) => {
    const tr = document.createElement('tr');
    const cells = [row.value, percent(row.value, total)];
    if (compare) {
      const before = baseSelf.get(row.name)?.value || 0;
      const change = total && baseTotal ? 100 * row.value / total - 100 * before / baseTotal : 0;
      cells.push(percent(before, baseTotal), `${change >= 0 ? '+' : ''}${change.toFixed(2)}`);
    }
    cells.push(row.name);
    for (const text of cells) { const td = document.createElement('td'); td.textContent = text; tr.appendChild(td); }
    tr.title = row.type || 'unknown';
    tr.onclick = () => { $('search').value = row.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); search(); };
    return tr;
  }));
}

function render() {
  if (!state.current) return;
  const started = performance.now();
  const names = new Names();
  const choice = { process: $('process').value, container: $('container').value, thread: $('thread').value };
  const current = buildTree(state.current, names, choice);
  const base = state.base ? buildTree(state.base, names, choice) : null;
  const total = current.value[0], baseTotal = base ? base.value[0] : 0;
  const scale = baseTotal ? total / baseTotal : 0;
  state.tree = finish(current, state.current, base, scale, total / (2 * chart.width()));
  if (!chart.rendered) {
    d3.select('#chart').datum(state.tree).call(chart);
    chart.rendered = true;
  } else {
    chart.update(state.tree);
  }
  renderTop(selfOf(current, state.current), base ? selfOf(base, state.base) : null, total, baseTotal);
  if ($('search').value) search();
  const span = (state.current.to - state.current.from) / 60000;
  $('status').textContent = `${total} samples, ${state.current.stacks.length} distinct stacks over the last ${span} min` +
    (base ? `; compared with the ${span} min before (${baseTotal} samples)` : '') +
    ` · drawn in ${Math.round(performance.now() - started)} ms · ${clockTime(state.current.to)}`;
  // For tests and the curious: when the first complete picture was on screen, in ms since navigation started.
  if (window.firstRenderMs === undefined) window.firstRenderMs = performance.now();
  window.renderCount = (window.renderCount || 0) + 1;
}

function search() {
  const term = $('search').value;
  if (term) chart.search(term); else chart.clear();
}

async function load() {
  const minutes = Number($('minutes').value);
  const to = Date.now(), from = to - minutes * 60000;
  try {
    const [current, base] = await Promise.all([
      fetchStacks(from, to),
      $('compare').checked ? fetchStacks(from - minutes * 60000, from) : Promise.resolve(null),
    ]);
    state.current = current;
    state.base = base;
    updateFilters(current);
    render();
  } catch (error) {
    $('status').textContent = `could not load: ${error.message}`;
  }
}

function legend() {
  $('legend').replaceChildren(...Object.entries(TYPE_COLORS).filter(([type]) => type).map(([type, color]) => {
    const span = document.createElement('span'); span.textContent = type; span.style.background = color; return span;
  }));
}

for (const id of ['process', 'container', 'thread']) $(id).addEventListener('change', render);
for (const id of ['minutes', 'compare']) $(id).addEventListener('change', load);
$('search').addEventListener('input', search);
$('controls').addEventListener('submit', (event) => event.preventDefault());
$('reset').addEventListener('click', () => { chart.resetZoom(); state.zoomed = false; });
// A redraw would undo a zoom, so live updates wait while the user looks at a part of the graph.
setInterval(() => { if ($('live').checked && !document.hidden && !state.zoomed) load(); }, REFRESH_MS);
legend();
load();
