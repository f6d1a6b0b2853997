// Tables: events (paged by cursor, sortable, notes shown), alerts, indicators.
import { $, el } from './common.js';
import * as I from './i18n.js';

export function renderEvents(body, sort) {
  const tb = $('#events tbody');
  const rows = body.rows || [];
  tb.replaceChildren(...rows.map((r) => el('tr', { 'data-key': r.event_key },
    el('td', { text: I.fmtDate(r.date_start) }),
    el('td', { text: r.country_iso3 || '' }),
    el('td', { text: r.admin1 || '' }),
    el('td', { text: I.term('cat', r.category) }),
    el('td', { text: [r.actor1, r.actor2].filter(Boolean).join(' / ') }),
    el('td', { class: 'num', text: `${I.fmtNum(r.fatalities_best, 0)}${r.fatalities_low !== r.fatalities_best || r.fatalities_high !== r.fatalities_best ? ` (${I.fmtNum(r.fatalities_low, 0)}–${I.fmtNum(r.fatalities_high, 0)})` : ''}` }),
    el('td', { text: I.term('src', r.source) }),
    el('td', { class: 'notes', text: r.notes || '' }))));
  const total = body.total ?? rows.length;
  $('#events-count').textContent = I.t('ev.count', { shown: I.fmtNum(rows.length, 0), total: I.fmtNum(total, 0) });
  $('#ev-next').disabled = !body.next_cursor;
  for (const b of document.querySelectorAll('#events [data-sort]')) {
    const f = b.dataset.sort;
    b.dataset.dir = sort === f ? 'asc' : sort === `-${f}` ? 'desc' : '';
  }
}

export function renderAlerts(res) {
  const tb = $('#alerts tbody');
  if (!res) return;
  const rows = res.rows || [];
  if (!rows.length) {
    tb.replaceChildren(el('tr', {}, el('td', { colSpan: 4, class: 'muted', text: res.error ? res.error.message : I.t('alerts.none') })));
    return;
  }
  const fr = I.currentLang() === 'fr';
  const top = [...rows].sort((a, b) => (b.probability || 0) - (a.probability || 0)).slice(0, 12);
  tb.replaceChildren(...top.map((r) => el('tr', { 'data-country': r.country_iso3 || '' },
    el('td', { text: (fr ? r.question_fr : r.question_en) || r.question || '' }),
    el('td', { class: 'num', text: I.fmtPct(r.probability, 0) }),
    el('td', { text: I.fmtDate(r.resolution_date || r.resolves_on) }),
    el('td', { text: r.outcome === null || r.outcome === undefined ? I.t('alerts.pending') : (r.outcome ? I.t('alerts.yes') : I.t('alerts.no')) }))));
  const hr = rows.find((r) => r.past_hit_rate !== undefined && r.past_hit_rate !== null);
  $('#alerts-score').textContent = hr ? I.t('alerts.hit_rate', { rate: I.fmtPct(hr.past_hit_rate, 0) }) : '';
}

const IND_COLS = ['rank', 'country_iso3', 'admin1_name', 'deadliness', 'danger', 'diffusion', 'fragmentation', 'events', 'fatalities'];

export function renderIndicators(res) {
  if (!res) return;
  const rows = res.rows || [];
  const th = $('#indicators thead');
  const tb = $('#indicators tbody');
  if (!rows.length) {
    th.replaceChildren();
    tb.replaceChildren(el('tr', {}, el('td', { class: 'muted', text: res.error ? res.error.message : I.t('common.no_data') })));
    return;
  }
  const cols = IND_COLS.filter((c) => c in rows[0]);
  const extra = Object.keys(rows[0]).filter((c) => !cols.includes(c) && typeof rows[0][c] === 'number').slice(0, 4);
  const all = [...cols, ...extra];
  th.replaceChildren(el('tr', {}, ...all.map((c) => el('th', { text: I.term('ind', c) }))));
  tb.replaceChildren(...rows.slice(0, 20).map((r) => el('tr', {}, ...all.map((c) => el('td', {
    class: typeof r[c] === 'number' ? 'num' : '', text: typeof r[c] === 'number' ? I.fmtNum(r[c], 2) : (r[c] ?? ''),
  })))));
}
