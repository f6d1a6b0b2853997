// The dashboard: filters in the URL -> API calls -> map, numbers, charts and tables.
import { apiUrl, askAhead, getJSON } from './api.js';
import { barSpec, compareSpec, drawVegaLite, embed, empty, timeSpec } from './charts.js';
import { $, blocName, clearError, el, loc, showError, startCommon } from './common.js';
import * as I from './i18n.js';
import { drawForecasts } from './forecast.js';
import { DashMap, boundsOf, loadMapLibre, renderLegend } from './map.js';
import { aggFilters, eventFilters, membersOf, readState, viewCountries, writeState } from './state.js';
import { renderAlerts, renderEvents, renderIndicators } from './tables.js';

const CATEGORIES = ['battle', 'explosion_remote', 'violence_against_civilians', 'protest', 'riot', 'strategic'];
const COMPARE = ['AES', 'G5_SAHEL', 'EAC'];
const hook = { ready: false, renders: 0, errors: [], map: null, marks: {} };  // marks: ms since navigation
window.sahelwatch = hook;  // the browser tests' hook (no inline script: exposed from here)

let meta = null;
let state = null;
let dmap = null;
let mapReady = Promise.resolve();  // the map's style and shapes loaded (the view's data load meanwhile)
const cache = {};          // last data, to re-render on a language switch without refetching
let eventsCursor = null;
let generation = 0;

const sum = (rows, f) => rows.reduce((a, r) => a + (Number(r[f]) || 0), 0);

function sourceNames() {
  const names = (meta.sources || []).map((s) => s.source);
  return names.length ? names : [...new Set((cache.snapshots || []).map((s) => s.source))];
}

function defaultSource() {
  const names = sourceNames();
  if (names.some((n) => n.startsWith('ucdp'))) return 'ucdp';
  return names[0] || 'ucdp';
}

function sourceOptions() {
  const names = sourceNames();
  const opts = [];
  if (names.some((n) => n.startsWith('ucdp'))) opts.push('ucdp');
  for (const n of names) if (!opts.includes(n)) opts.push(n);
  return opts.length ? opts : ['ucdp'];
}

function coverage() {
  const src = state.source || defaultSource();
  const fam = src === 'ucdp' ? (s) => s.startsWith('ucdp') : (s) => s === src;
  const known = (meta.sources || []).length ? meta.sources : ((cache.main && cache.main.meta && cache.main.meta.coverage) || []);
  const cov = known.filter((s) => fam(s.source));
  const first = cov.map((c) => c.first_date).filter(Boolean).sort()[0];
  const last = cov.map((c) => c.last_date).filter(Boolean).sort().slice(-1)[0];
  return [first, last];
}

// A country's name in the page's language: the crosswalk's names from /meta, else the map's
// outline name, else the code.
let countryNames = null;
function countryName(iso3) {
  if (!countryNames) countryNames = new Map(((meta && meta.country_names) || []).map((c) => [c.iso3, c]));
  const n = countryNames.get(iso3);
  if (n) return loc(n, 'name');
  const f = (cache.admin0 || { features: [] }).features.find((x) => (x.properties.iso3 || x.properties.country_iso3) === iso3);
  return f ? f.properties.name : iso3;
}
const countryLabel = (v) => (v.includes(',') ? v.split(',').map(countryName).join(', ') : `${countryName(v)} (${v})`);
// a snapshot as the list names it: its source and release (the bundled series' releases have French labels)
const snapshotLabel = (s) => `${s.id} · ${s.source} ${loc(s, 'release')}`.trim();

// The option labels that come from the API, in the page's language (after a switch).
function relabelOptions() {
  for (const o of $('#f-country').options) if (o.value) o.textContent = countryLabel(o.value);
  const snaps = new Map((cache.snapshots || []).map((s) => [String(s.id), s]));
  for (const o of $('#f-as_of').options) if (snaps.has(o.value)) o.textContent = snapshotLabel(snaps.get(o.value));
}

// ---- the filter form <-> state --------------------------------------------------------------
function option(value, label, key) {
  const o = el('option', { value, text: label });
  if (key) o.dataset.i18n = key;
  return o;
}

function fillForm() {
  const bloc = $('#f-bloc');
  for (const b of meta.blocs.filter((x) => x.kind !== 'mission')) bloc.append(option(b.id, b.id.replace(/_/g, ' ')));
  const country = $('#f-country');
  for (const c of meta.countries) country.append(option(c, countryLabel(c)));
  const cat = $('#f-category');
  for (const c of CATEGORIES) cat.append(option(c, I.t(`cat.${c}`), `cat.${c}`));
  const src = $('#f-source');
  for (const s of sourceOptions()) src.append(option(s, I.term('src', s)));
  const asof = $('#f-as_of');
  for (const s of cache.snapshots || []) asof.append(option(String(s.id), snapshotLabel(s)));
}

function fillAdmin() {
  const sel = $('#f-admin1');
  const keep = state.admin1;
  sel.replaceChildren(option('', I.t('f.all'), 'f.all'));
  const countries = state.country ? state.country.split(',') : [];
  if (!countries.length) { sel.disabled = true; return; }
  sel.disabled = false;
  const feats = (cache.admin1 || { features: [] }).features
    .filter((f) => countries.includes(f.properties.iso3 || f.properties.country_iso3))
    .sort((a, b) => String(a.properties.name).localeCompare(String(b.properties.name)));
  for (const f of feats) sel.append(option(f.properties.code || f.properties.admin1_code, f.properties.name));
  sel.value = keep;
  if (sel.value !== keep) state.admin1 = '';
}

function fillSlider() {
  const [first, last] = coverage();
  const s = $('#f-slider');
  if (!first || !last) { s.disabled = true; return; }
  const y0 = +first.slice(0, 4);
  const y1 = +last.slice(0, 4);
  s.min = String(y0 - 1);  // the leftmost stop means "all years"
  s.max = String(y1);
  const fy = state.from && state.from.slice(0, 4);
  const ty = state.to && state.to.slice(0, 4);
  const oneYear = fy && fy === ty && state.from.length <= 7 && /-01$|^\d{4}$/.test(state.from) && /-12$|^\d{4}$/.test(state.to);
  s.value = oneYear ? fy : String(y0 - 1);
  $('#f-slider-out').textContent = oneYear ? fy : I.t('f.all_years');
}

function setForm() {
  const csel = $('#f-country');
  if (state.country && ![...csel.options].some((o) => o.value === state.country)) {
    csel.append(option(state.country, countryLabel(state.country)));
  }
  for (const k of ['bloc', 'country', 'from', 'to', 'category', 'actor', 'source', 'precision', 'as_of', 'measure']) {
    const e = $(`#f-${k}`);
    if (e) e.value = state[k] || '';
  }
  if (!$('#f-source').value) $('#f-source').value = defaultSource();
  fillAdmin();
  fillSlider();
  const layers = state.layers.split(',');
  $('#l-admin1').checked = layers.includes('admin1');
  $('#l-grid').checked = layers.includes('grid');
  $('#l-points').checked = layers.includes('points');
}

function readForm() {
  const s = { ...state };
  for (const k of ['bloc', 'country', 'admin1', 'from', 'to', 'category', 'actor', 'source', 'precision', 'as_of', 'measure']) {
    const e = $(`#f-${k}`);
    if (e) s[k] = e.value.trim();
  }
  s.layers = ['admin1', 'grid', 'points'].filter((l) => $(`#l-${l}`).checked).join(',') || 'none';
  return s;
}

function onFilterChange(ev) {
  const before = state;
  state = readForm();
  if (ev && ev.target && ev.target.id === 'f-country') state.admin1 = '';
  if (state.from && state.to && state.from > state.to) state.to = state.from;
  state.source = state.source || defaultSource();
  writeState(state, { push: true });
  setForm();
  const zoom = before.country !== state.country || before.bloc !== state.bloc;
  refresh({ zoom });
}

function bindForm() {
  const form = $('#filters');
  form.addEventListener('change', (e) => { if (e.target.id !== 'f-slider') onFilterChange(e); });
  form.addEventListener('submit', (e) => { e.preventDefault(); onFilterChange(e); });
  $('#f-slider').addEventListener('input', () => {
    const s = $('#f-slider');
    $('#f-slider-out').textContent = +s.value < +s.min + 1 ? I.t('f.all_years') : s.value;
  });
  $('#f-slider').addEventListener('change', () => {
    const s = $('#f-slider');
    if (+s.value <= +s.min) { $('#f-from').value = ''; $('#f-to').value = ''; } else { $('#f-from').value = `${s.value}-01`; $('#f-to').value = `${s.value}-12`; }
    onFilterChange();
  });
  $('#f-reset').addEventListener('click', () => {
    state = readState('');
    state.source = defaultSource();
    writeState(state, { push: true });
    setForm();
    refresh({ zoom: true });
  });
  for (const id of ['#l-admin1', '#l-grid', '#l-points']) $(id).addEventListener('change', onFilterChange);
  for (const b of document.querySelectorAll('#events [data-sort]')) {
    b.addEventListener('click', () => {
      const f = b.dataset.sort;
      state.sort = state.sort === `-${f}` ? f : `-${f}`;
      writeState(state, { push: true });
      loadEvents(null);
    });
  }
  $('#ev-first').addEventListener('click', () => loadEvents(null));
  $('#ev-next').addEventListener('click', () => { if (eventsCursor) loadEvents(eventsCursor); });
  $('#forecast-pick').addEventListener('change', async () => {
    document.body.dataset.ready = '0';
    await drawForecasts(state, cache.members).catch((e) => { hook.errors.push(String(e.message || e)); });
    document.body.dataset.ready = '1';
  });
  window.addEventListener('popstate', () => { state = readState(); state.source = state.source || defaultSource(); setForm(); refresh({ zoom: true }); });
  document.addEventListener('sw:lang', () => rerender());
}

// ---- data ---------------------------------------------------------------------------------
function breakdownFor(extra = []) {
  const b = [...extra];
  if (state.category && !b.includes('category')) b.push('category');
  if (state.actor && !b.includes('actor')) b.push('actor');
  return b;
}

// Rows of an aggregate restricted to the category, actor and admin area chosen (the cube
// breaks down by them; the page keeps the chosen value).
function keep(rows) {
  return rows.filter((r) => (!state.category || r.category === state.category)
    && (!state.actor || String(r.actor || '').toLowerCase() === state.actor.toLowerCase())
    && (!state.admin1 || r.admin1_code === state.admin1));
}

function groupBy(rows, key, fields) {
  const m = new Map();
  for (const r of rows) {
    const k = typeof key === 'function' ? key(r) : r[key];
    let g = m.get(k);
    if (!g) { g = { key: k, first: r }; for (const f of fields) g[f] = 0; m.set(k, g); }
    for (const f of fields) g[f] += Number(r[f]) || 0;
  }
  return [...m.values()];
}

const MEASURES = ['events', 'fatalities_best', 'fatalities_low', 'fatalities_high'];

// The view's numbers: by admin area and month (the map, the cards and the time chart).
const mainParams = () => ({ ...aggFilters(state), by: 'admin1', period: 'month', measure: MEASURES.join(','),
  breakdown: breakdownFor(['category']).join(',') });

async function loadMain(gen) {
  const res = await getJSON('/aggregate', mainParams());
  if (gen !== generation) return;
  cache.main = { rows: keep(res.rows), meta: res.meta };
}

async function loadActors(gen) {
  const params = { ...aggFilters(state), by: state.admin1 ? 'admin1' : 'country', period: 'year',
    measure: 'events,fatalities_best', breakdown: breakdownFor(['actor']).join(',') };
  const res = await getJSON('/aggregate', params);
  if (gen !== generation) return;
  cache.actors = keep(res.rows);
}

async function loadGrid(gen) {
  if (!state.layers.includes('grid')) { cache.grid = null; return; }
  const params = { ...aggFilters(state), by: 'priogrid', period: 'year', measure: 'events,fatalities_best' };
  if (breakdownFor().length) params.breakdown = breakdownFor().join(',');
  const res = await getJSON('/aggregate', params);
  if (gen !== generation) return;
  cache.grid = groupBy(keep(res.rows), 'priogrid_gid', ['events', 'fatalities_best'])
    .map((g) => ({ priogrid_gid: g.key, lat: g.first.latitude, lon: g.first.longitude, events: g.events, fatalities_best: g.fatalities_best }));
}

// The bloc's members at the end of the period (the event table and points filter by country).
async function loadMembers() {
  cache.members = null;
  cache.members = await membersOf(state);
}

function rowsHidden() { return meta.acled_mode === 'aggregates' && (state.source || '').includes('acled'); }

async function loadPoints(gen) {
  cache.points = null;
  $('#points-hidden').hidden = true;
  if (!state.layers.includes('points')) return;
  if (rowsHidden()) { $('#points-hidden').hidden = false; return; }
  try {
    const r = await fetch(apiUrl('/events', { ...eventFilters(state), limit: 1000, format: 'geojson' }));
    const body = await r.json();
    if (gen !== generation) return;
    if (!r.ok) { if (body.error && body.error.code === 'forbidden_acled_rows') $('#points-hidden').hidden = false; else throw new Error(body.error.message); return; }
    cache.points = body;
  } catch (e) { hook.errors.push(String(e)); }
}

async function loadEvents(cursor) {
  const wrap = $('#events-wrap');
  const hidden = $('#events-hidden');
  if (rowsHidden()) { wrap.hidden = true; hidden.hidden = false; cache.events = null; return; }
  try {
    const body = await getJSON('/events', { ...eventFilters(state), limit: 25, sort: state.sort, cursor: cursor || '' });
    wrap.hidden = false; hidden.hidden = true;
    cache.events = body;
    eventsCursor = body.next_cursor || null;
    renderEvents(body, state.sort);
  } catch (e) {
    if (e.code === 'forbidden_acled_rows') { wrap.hidden = true; hidden.hidden = false; return; }
    throw e;
  }
}

// The institutions chart's words (titles, milestone texts) come from the server in the page's language.
// The bloc's institutions chart (its words from the server in the page's language) and its rule.
async function drawInstitutions() {
  const res = cache.institutions;
  $('#institutions-rule').textContent = res && res.vega_lite ? ruleText(res.meta, 'rule') : '';
  await drawVegaLite('#chart-institutions', res);
}

function loadInstitutions(bloc) {
  const lang = I.currentLang();
  return getJSON(`/blocs/${encodeURIComponent(bloc)}/institutions`, { lang })
    .then((r) => { cache.institutions = r; cache.instBloc = bloc; cache.instLang = lang; })
    .catch((e) => { cache.institutions = { rows: [], error: e }; });
}

async function loadSide(gen) {
  const src = state.source || defaultSource();
  // alerts and indicators of the view's countries: the chosen ones, else the bloc's members
  const unitCountry = state.country || (state.bloc ? (cache.members || []).join(',') : '') || undefined;
  const none = state.bloc && !unitCountry;  // a bloc with no member at that date: nothing to show
  const jobs = none ? [Promise.resolve().then(() => { cache.alerts = { rows: [] }; cache.indicators = { rows: [] }; })] : [
    getJSON('/alerts', { unit: 'admin1', country: unitCountry, source: src, as_of: state.as_of }).then((r) => { cache.alerts = r; }).catch((e) => { cache.alerts = { rows: [], error: e }; }),
    getJSON('/indicators', { unit: 'country', country: unitCountry, source: src, as_of: state.as_of }).then((r) => { cache.indicators = r; }).catch((e) => { cache.indicators = { rows: [], error: e }; }),
  ];
  if (cache.compareSource !== src) {
    jobs.push(getJSON('/blocs/compare', { blocs: COMPARE.join(','), align: 'founding', measure: 'fatalities_best', months: 36, source: src })
      .then((r) => { cache.compare = r; cache.compareSource = src; }).catch((e) => { cache.compare = { rows: [], error: e }; }));
  }
  const bloc = state.bloc || 'AES';
  if (cache.instBloc !== bloc || cache.instLang !== I.currentLang()) jobs.push(loadInstitutions(bloc));
  await Promise.all(jobs);
  if (gen !== generation) return;
  renderAlerts(cache.alerts);
  renderIndicators(cache.indicators);
  await drawCompare();
  await drawInstitutions();
  await drawForecasts(state, cache.members).catch((e) => { hook.errors.push(String(e.message || e)); });
}

// The first view's question: is it worse than ever in the AES? A long real series when the
// store holds one, else the events source, with the API's caveats either way.
async function loadAnswer() {
  const tries = [
    // the AES's three states over their whole history (fixed membership; the API says so in its caveats)
    { bloc: 'AES', measure: 'fatalities_all', period: 'year', source: 'series:ged_cm_251', membership: 'on:2024-12-31' },
    { bloc: 'AES', measure: 'fatalities_best', period: 'year', source: 'ucdp' },
    { bloc: 'AES', measure: 'fatalities_best', period: 'month', source: 'ucdp' },
  ];
  let fallback = null;
  for (const p of tries) {
    try {
      const r = await getJSON('/trend', { ...p, lang: I.currentLang() });
      // A series with no complete period answers nothing useful: try the next one.
      if (r.rows && r.rows[0] && !r.rows[0].n_periods) { fallback = fallback || { res: r, params: p }; continue; }
      cache.answer = { res: r, params: p };
      drawAnswer();
      return;
    } catch (e) { cache.answerError = e; }
  }
  if (fallback) { cache.answer = fallback; drawAnswer(); return; }
  $('#trend-answer').textContent = `${I.t('answer.none')} (${cache.answerError ? cache.answerError.message : ''})`;
}

function drawAnswer() {
  if (!cache.answer) return;
  const { res, params } = cache.answer;
  let text = res.answer;
  if (text && typeof text === 'object' && !Array.isArray(text)) text = Object.values(text);
  if (Array.isArray(text)) text = text.map((a) => (typeof a === 'string' ? a : a.text || a.answer || '')).join(' ');
  if (!text && res.rows && res.rows[0]) text = res.rows[0].answer || '';
  $('#trend-answer').textContent = text || I.t('answer.none');
  $('#trend-source').textContent = `${params.source} · ${I.t(`m.${params.measure}`)} · ${I.t(`period.${params.period}`)}`;
  // the API gives every caveat in the page's language
  const cav = res.caveats || [];
  $('#trend-caveats').replaceChildren(...cav.map((c) => el('li', { text: c })));
}

// The API states its rules and sources in both languages (`…_fr` beside the English text).
function ruleText(meta, key) {
  if (!meta) return '';
  return (I.currentLang() === 'fr' && meta[`${key}_fr`]) || meta[key] || '';
}

// ---- drawing ------------------------------------------------------------------------------
function drawNumbers() {
  const rows = cache.main ? cache.main.rows : [];
  $('#kpi-events').textContent = I.fmtNum(sum(rows, 'events'), 0);
  $('#kpi-fatalities').textContent = I.fmtNum(sum(rows, 'fatalities_best'), 0);
  $('#kpi-band').textContent = `${I.t('kpi.band')} ${I.fmtNum(sum(rows, 'fatalities_low'), 0)} – ${I.fmtNum(sum(rows, 'fatalities_high'), 0)}`;
  const [first, last] = coverage();
  $('#kpi-period').textContent = `${I.fmtDate(state.from || first)} – ${I.fmtDate(state.to || last)}`;
  const snap = (cache.main && cache.main.meta && cache.main.meta.as_of) || meta.latest_snapshot;
  $('#kpi-snapshot').textContent = snap ? `#${snap}` : '–';
  const m = cache.main && cache.main.meta;
  $('#bloc-rule').textContent = state.bloc && m ? ruleText(m, 'membership_rule') : '';
}

async function drawMap(zoom) {
  await mapReady;
  if (!dmap || !dmap.ready) return;
  const rows = cache.main ? cache.main.rows : [];
  const byAdmin = {};
  for (const g of groupBy(rows.filter((r) => r.admin1_code), 'admin1_code', ['events', 'fatalities_best'])) byAdmin[g.key] = g;
  const bks = dmap.setChoropleth(byAdmin, state.measure);
  renderLegend($('#legend'), bks, state.measure);
  if (cache.grid) dmap.setGrid(cache.grid, state.measure);
  dmap.setPoints(cache.points);
  dmap.setLayers(state.layers.split(','));
  if (zoom) {
    dmap.zoomTo(viewCountries(state, cache.members));
  }
  await dmap.idle();
}

async function drawCharts() {
  const rows = cache.main ? cache.main.rows : [];
  const months = groupBy(rows, 'period', MEASURES).map((g) => ({ period: g.key, period_start: g.first.period_start, ...pick(g) }));
  months.sort((a, b) => String(a.period).localeCompare(String(b.period)));
  let series = months;
  let period = 'month';
  if (months.length && monthsSpan(months) > 96) {
    series = groupBy(months, (r) => String(r.period).slice(0, 4), MEASURES).map((g) => ({ period: g.key, period_start: `${g.key}-01-01`, ...pick(g) }));
    period = 'year';
  }
  const jobs = [];
  jobs.push(series.length ? embed('#chart-time', timeSpec(series, period)) : empty('#chart-time'));
  const cats = groupBy(rows, 'category', ['events', 'fatalities_best']).map((g) => ({ category: g.key, events: g.events, fatalities_best: g.fatalities_best }));
  jobs.push(cats.length ? embed('#chart-category', barSpec(cats, 'category', (c) => I.term('cat', c), state.measure)) : empty('#chart-category'));
  const actors = groupBy(cache.actors || [], 'actor', ['events', 'fatalities_best'])
    .filter((g) => g.key).sort((a, b) => b[state.measure] - a[state.measure]).slice(0, 10)
    .map((g) => ({ actor: g.key, events: g.events, fatalities_best: g.fatalities_best }));
  jobs.push(actors.length ? embed('#chart-actor', barSpec(actors, 'actor', (a) => a, state.measure)) : empty('#chart-actor'));
  $('#actor-list').replaceChildren(...actors.map((a) => el('option', { value: a.actor })));
  await Promise.all(jobs);
}

function pick(g) { const o = {}; for (const f of MEASURES) o[f] = g[f]; return o; }
function monthsSpan(ms) {
  const a = ms[0].period; const b = ms[ms.length - 1].period;
  return (+b.slice(0, 4) - +a.slice(0, 4)) * 12 + (+b.slice(5, 7) - +a.slice(5, 7));
}

async function drawCompare() {
  const c = cache.compare;
  if (!c || !c.rows || !c.rows.length) { empty('#chart-compare'); $('#compare-note').textContent = c && c.error ? c.error.message : ''; return; }
  const per100k = c.rows.some((r) => r.per_100k !== null && r.per_100k !== undefined);
  const [v, lo, hi] = per100k ? ['per_100k', 'per_100k_low', 'per_100k_high'] : ['value', 'value_low', 'value_high'];
  await embed('#chart-compare', compareSpec(c.rows, v, lo, hi));
  $('#compare-note').textContent = [ruleText(c.meta, 'rule_text'), per100k ? I.t('compare.per100k_note') : '',
    ruleText(c.meta, 'population_source')].filter(Boolean).join(' · ');
}

function drawDownloads() {
  const f = eventFilters(state);
  for (const fmt of ['csv', 'parquet', 'geojson']) {
    const a = $(`#dl-${fmt}`);
    a.href = apiUrl('/events', { ...f, format: fmt });
    const hide = rowsHidden();
    a.hidden = hide;
    const agg = $(`#dl-agg-${fmt}`);
    agg.href = apiUrl('/aggregate', { ...aggFilters(state), by: fmt === 'geojson' ? 'admin1' : 'admin1', period: 'month', measure: MEASURES.join(','), breakdown: breakdownFor().join(','), format: fmt });
  }
  drawBriefLinks();
}

// The brief of the view: its bloc (or its one country, else the AES) for the last month it shows.
function drawBriefLinks() {
  const countries = (state.country || '').split(',').filter(Boolean);
  const unit = state.bloc ? { bloc: state.bloc } : countries.length === 1 ? { country: countries[0] } : { bloc: 'AES' };
  const month = (state.to || coverage()[1] || '').slice(0, 7);
  for (const fmt of ['html', 'pdf']) {
    const a = $(`#brief-${fmt}`);
    if (!a) continue;
    a.hidden = !month;
    a.href = apiUrl('/brief', { ...unit, period: month, lang: I.currentLang(), source: state.source || undefined, as_of: state.as_of || undefined, format: fmt });
  }
}

async function rerender() {
  document.body.dataset.ready = '0';
  for (const o of document.querySelectorAll('#f-category option[data-i18n]')) o.textContent = I.t(o.dataset.i18n);
  relabelOptions();
  fillSlider();
  drawNumbers();
  await drawMap(false);
  await drawCharts();
  if (cache.events) renderEvents(cache.events, state.sort);
  renderAlerts(cache.alerts);
  renderIndicators(cache.indicators);
  await drawCompare();
  if (cache.instBloc && cache.instLang !== I.currentLang()) await loadInstitutions(cache.instBloc);
  await drawInstitutions();
  await drawForecasts(state, cache.members).catch((e) => { hook.errors.push(String(e.message || e)); });
  await loadAnswer();
  hook.renders += 1;
  document.body.dataset.ready = '1';
}

async function refresh({ zoom = false } = {}) {
  const gen = ++generation;
  hook.ready = false;
  document.body.dataset.ready = '0';
  clearError();
  try {
    // side by side: the aggregate names the bloc, not its members (they are for the zoom)
    await Promise.all([loadMembers(), loadMain(gen)]);
    if (gen !== generation) return;
    if (hook.marks.data === undefined) hook.marks.data = performance.now();
    fillSlider();
    drawNumbers();
    drawDownloads();
    await drawMap(zoom);
    // first meaningful paint: the map drawn with the view's data (read by bench_dashboard.py)
    if (hook.mapDrawnMs === undefined) {
      hook.mapDrawnMs = performance.now();
      loadAnswer();  // after the first paint: the map does not wait for the trend's answer
    }
    await Promise.all([loadActors(gen), loadGrid(gen), loadPoints(gen)]);
    if (gen !== generation) return;
    await drawMap(false);
    await drawCharts();
    await loadEvents(null);
    await loadSide(gen);
  } catch (e) {
    hook.errors.push(String(e.message || e));
    showError(e);
  }
  if (gen !== generation) return;
  hook.renders += 1;
  hook.ready = true;
  document.body.dataset.ready = '1';
}

async function makeMap(opensOn, outlines) {
  dmap = await DashMap.create($('#map'), {
    bounds: boundsOf(opensOn, [outlines]),
    onSelect: ({ admin1: code, country }) => {
      if (!state.country) { $('#f-country').value = country; state.country = country; fillAdmin(); }
      $('#f-admin1').value = code;
      onFilterChange();
    },
  });
  hook.map = dmap.map;
  hook.dmap = dmap;
}

async function main() {
  try {
    // the store's metadata, the language, the map's shapes and its library load side by side
    const library = loadMapLibre();
    const common = startCommon();
    const outlines = getJSON('/places/admin', { level: 0 }).catch(() => null);
    const shapes = Promise.all([
      getJSON('/places/admin', { level: 1 }),
      outlines,
      getJSON('/snapshots').catch(() => ({ rows: [] })),
    ]);
    // The map is made as soon as the library, the country outlines (for its bounds) and a
    // bloc's members are in, on the view's countries (the URL alone names them), while the
    // admin-1 shapes and the metadata still load: its WebGL set-up overlaps them, and its
    // worker cuts tiles once, at the zoom shown.
    const opening = readState();
    const made = Promise.all([membersOf(opening).catch(() => null), outlines, library])
      .then(([mem, a0]) => makeMap(viewCountries(opening, mem), a0));
    meta = await common;
    hook.meta = meta;
    state = readState();
    state.source = state.source || defaultSource();
    askAhead('/aggregate', mainParams());  // the view's numbers, while the shapes still load
    const [admin1, admin0, snaps] = await shapes;
    hook.marks.shapes = performance.now();
    cache.admin1 = admin1; cache.admin0 = admin0 || { type: 'FeatureCollection', features: [] }; cache.snapshots = snaps.rows;
    writeState(state, { push: false });
    fillForm();
    setForm();
    bindForm();
    mapReady = made.then(() => dmap.init(cache.admin1, cache.admin0)).then(() => { hook.marks.map_init = performance.now(); });
    await refresh({ zoom: !!(state.country || state.bloc) });
  } catch (e) {
    hook.errors.push(String(e.message || e));
    showError(e);
    document.body.dataset.ready = '1';
  }
}

// Test hook: how many features of these layers the map has drawn.
hook.renderedFeatures = (layers) => (dmap && dmap.ready ? dmap.map.queryRenderedFeatures({ layers }).length : 0);
hook.blocName = blocName;

main();
