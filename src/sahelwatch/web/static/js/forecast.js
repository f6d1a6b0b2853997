// The forecast panel: one fan chart per country (the selected countries, else the selected bloc's
// members, else the AES's), each from a stored forecast (the latest, or the one picked), with a
// caption naming the model, the origin and the snapshot, and saying it is a forecast.
import { getJSON } from './api.js';
import { drawVegaLite, empty } from './charts.js';
import { $, el } from './common.js';
import * as I from './i18n.js';

const MAX_CHARTS = 3;
let stored = null;       // the stored forecasts' manifests (GET /forecasts)
let defaultUnits = null; // the AES's members, when the view selects no country or bloc
let last = { units: [], results: [] };

export async function loadForecastList() {
  if (stored) return stored;
  try { stored = (await getJSON('/forecasts')).rows || []; } catch (e) { stored = []; }
  const pick = $('#forecast-pick');
  if (pick) {
    const keep = pick.value;
    pick.replaceChildren(el('option', { value: '', text: I.t('fc.latest'), 'data-i18n': 'fc.latest' }),
      ...stored.slice().reverse().map((m) => el('option', { value: m.id, text: `${m.origin_month} · ${m.source} · ${m.model} (${m.id})` })));
    pick.value = keep;
  }
  return stored;
}

async function unitsFor(state, members) {
  const countries = (state.country || '').split(',').filter(Boolean);
  if (countries.length) return countries.slice(0, MAX_CHARTS);
  if (state.bloc && members && members.length) return members.slice(0, MAX_CHARTS);
  if (!defaultUnits) {
    try {
      const r = await getJSON('/blocs/AES/members', {});
      defaultUnits = (r.rows || []).map((x) => x.iso3 || x.country_iso3).filter(Boolean);
    } catch (e) { defaultUnits = []; }
  }
  return defaultUnits.slice(0, MAX_CHARTS);
}

// Fetch (in the current language) and draw; ``members``: the selected bloc's member states.
export async function drawForecasts(state, members) {
  await loadForecastList();
  const box = $('#forecast-charts');
  const note = $('#forecast-note');
  const units = await unitsFor(state, members);
  const pick = ($('#forecast-pick') || {}).value || undefined;
  if (!stored.length) {
    box.replaceChildren();
    note.textContent = I.t('fc.none');
    return;
  }
  const results = await Promise.all(units.map((u) => getJSON('/forecast', { country: u, forecast: pick, lang: I.currentLang() })
    .catch((e) => ({ error: e, unit: u }))));
  last = { units, results };
  await render();
}

async function render() {
  const box = $('#forecast-charts');
  const { units, results } = last;
  box.replaceChildren();
  const jobs = [];
  results.forEach((res, i) => {
    const fig = el('figure', { class: 'forecast-fig', 'data-unit': units[i] });
    const chart = el('div', { class: 'chart forecast-chart' });
    const cap = el('figcaption', { class: 'muted forecast-caption' });
    fig.append(chart, cap);
    box.append(fig);
    if (res.error) {
      empty(chart, 'fc.none_for');
      chart.firstChild.textContent = I.t('fc.none_for', { unit: units[i] });
      return;
    }
    cap.textContent = caption(res.meta);
    jobs.push(drawVegaLite(chart, res));
  });
  await Promise.all(jobs);
  const first = results.find((r) => !r.error);
  $('#forecast-note').textContent = first ? I.t('fc.note', { command: first.meta.command }) : I.t('fc.none');
}

function caption(m) {
  const parts = [I.t('fc.caption', { model: m.model, origin: m.origin, source: m.source, snapshot: m.snapshot, id: m.forecast,
    first: m.months[0], last: m.months[m.months.length - 1] })];
  if (m.observed_months) parts.push(I.t('fc.observed', { n: m.observed_months, snapshot: m.observed_snapshot }));
  const cav = I.currentLang() === 'fr' && (m.caveats_fr || []).length ? m.caveats_fr : (m.caveats || []);
  for (const c of cav) parts.push(`${I.t('fc.caveat')} ${c}.`);
  return parts.join(' ');
}
