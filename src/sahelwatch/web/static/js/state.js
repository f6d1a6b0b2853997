import { getJSON } from './api.js';
import { urlLang } from './i18n.js';

// The view lives in the URL's query string: every filter, the map layers and the table's
// sort, so a view can be shared and a reload restores it.
export const FILTERS = ['bloc', 'country', 'admin1', 'from', 'to', 'category', 'actor', 'source', 'precision',
  'as_of', 'measure'];
export const VIEW = ['layers', 'sort'];
export const DEFAULTS = { precision: 'as-coded', measure: 'events', layers: 'admin1,points', sort: '-date_start' };

export function readState(search = location.search) {
  const q = new URLSearchParams(search);
  const s = {};
  for (const k of [...FILTERS, ...VIEW]) s[k] = q.get(k) ?? '';
  for (const [k, v] of Object.entries(DEFAULTS)) if (!s[k]) s[k] = v;
  return s;
}

export function toQuery(state) {
  const q = new URLSearchParams();
  for (const k of [...FILTERS, ...VIEW]) {
    const v = state[k];
    if (v !== undefined && v !== null && v !== '' && v !== DEFAULTS[k]) q.set(k, v);
  }
  const lang = urlLang();  // the link's language stays in it (the switch sets it)
  if (lang) q.set('lang', lang);
  return q.toString();
}

export function writeState(state, { push = true } = {}) {
  const qs = toQuery(state);
  const url = `${location.pathname}${qs ? `?${qs}` : ''}`;
  if (url === `${location.pathname}${location.search}`) return;
  if (push) history.pushState(null, '', url); else history.replaceState(null, '', url);
}

// API parameters of the cube routes (/aggregate): category, actor and admin area are not
// filters there; the page breaks the cube down by them and keeps the value chosen.
export function aggFilters(state) {
  return { bloc: state.bloc, country: state.country, from: state.from, to: state.to, source: state.source,
    precision: state.precision, as_of: state.as_of };
}

// API parameters of /events: the same bloc (members month by month) and admin area as the
// numbers and the map, so the rows are exactly the events counted.
export function eventFilters(state) {
  return { bloc: state.bloc, country: state.country, admin1: state.admin1, from: state.from, to: state.to,
    source: state.source, category: state.category, actor: state.actor, as_of: state.as_of };
}

// The bloc's members at the end of the period (the event table and points filter by country),
// kept per bloc and date: the first view asks for them before the map is made, to open it on
// the bloc, and a later filter change over the same bloc and period asks nothing.
const membersAsked = new Map();
export function membersOf(s) {
  if (!s.bloc) return Promise.resolve(null);
  const on = s.to ? (s.to.length === 7 ? `${s.to}-28` : s.to) : undefined;
  const key = `${s.bloc}|${on || ''}`;
  if (!membersAsked.has(key)) {
    const p = getJSON(`/blocs/${encodeURIComponent(s.bloc)}/members`, { on })
      .then((mem) => (mem.rows || []).filter((r) => r.member !== false).map((r) => r.iso3 || r.country_iso3).filter(Boolean));
    p.catch(() => membersAsked.delete(key));  // a failure is not remembered
    membersAsked.set(key, p);
  }
  return membersAsked.get(key);
}

// The countries a view is about (for the map's zoom): the chosen countries, else the bloc's
// members, else none (the whole region).
export const viewCountries = (s, members) => (s.country ? s.country.split(',') : (members || []));
