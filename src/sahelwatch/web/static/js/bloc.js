// A bloc's page: members on a date (with suspensions and sources), milestones, coups and
// foreign forces in member states, on one timeline.
import { getJSON } from './api.js';
import { drawVegaLite, embed, empty, timelineSpec } from './charts.js';
import { $, blocName, el, link, loc, showError, startCommon } from './common.js';
import * as I from './i18n.js';

const hook = { ready: false, renders: 0, errors: [] };
window.sahelwatch = hook;

const bloc = $('#bloc-head').dataset.bloc;
const cache = {};

function onDate() {
  const q = new URLSearchParams(location.search);
  const v = q.get('on');
  return v && /^\d{4}-\d{2}-\d{2}$/.test(v) ? v : new Date().toISOString().slice(0, 10);
}

function sources(fact) {
  if (!fact) return '';
  const span = el('span');
  const all = [fact.source, ...(fact.also || [])].filter(Boolean);
  all.forEach((u, i) => { if (i) span.append(' · '); span.append(link(u, hostOf(u))); });
  return span;
}
// "MLI: ..." / "MLI : ..." (French puts a space before the colon)
const colon = () => (I.currentLang() === 'fr' ? ' : ' : ': ');
function hostOf(u) { try { return new URL(u).hostname.replace(/^www\./, ''); } catch (e) { return u; } }

function drawHead() {
  const org = cache.org;
  $('#bloc-name').textContent = org ? `${blocName(org)} (${bloc.replace(/_/g, ' ')})` : bloc;
  $('#bloc-kind').textContent = org ? [loc(org, 'type'), org.founded ? `${I.t('bloc.founded')} ${I.fmtDate(org.founded)}` : '',
    org.dissolved ? `${I.t('bloc.dissolved')} ${I.fmtDate(org.dissolved)}` : ''].filter(Boolean).join(' · ') : '';
  document.title = `${bloc} · sahelwatch`;
}

function drawMembers() {
  const res = cache.members;
  const rows = (res.rows || []).filter((r) => r.member !== false);
  $('#members-rule').textContent = `${I.t('bloc.members_on', { date: I.fmtDate(cache.on) })} ${loc(res.meta, 'rule')}`;
  const tb = $('#members tbody');
  if (!rows.length) { tb.replaceChildren(el('tr', {}, el('td', { colSpan: 7, class: 'muted', text: I.t('bloc.no_members') }))); return; }
  tb.replaceChildren(...rows.map((r) => {
    const susp = r.suspension;
    const status = r.suspended ? I.t('bloc.status.suspended') : I.t('bloc.status.member');
    return el('tr', { 'data-iso3': r.iso3 },
      el('td', { text: `${r.name || r.iso3} (${r.iso3})` }),
      el('td', { class: r.suspended ? 'status-suspended' : '', text: status }),
      el('td', { text: I.fmtDate(r.joined) }),
      el('td', { text: r.left ? I.fmtDate(r.left) : '' }),
      el('td', { text: susp ? `${I.fmtDate(susp.start)} – ${susp.end ? I.fmtDate(susp.end) : I.t('bloc.ongoing')}` : '' }),
      el('td', { text: I.term('conf', (r.joined_fact || {}).confidence) }),
      el('td', {}, sources(r.joined_fact)));
  }));
}

function timelineItems() {
  const items = [];
  const memberIso = new Set((cache.timeline.rows || []).flatMap((r) => r.countries || []));
  for (const r of cache.timeline.rows || []) {
    const lane = r.category === 'membership' ? I.t('bloc.lane.membership') : r.category === 'suspension' ? I.t('bloc.lane.suspensions') : I.t('bloc.lane.milestones');
    items.push({ date: r.date, end: null, lane, label: loc(r, 'what'), kind: I.term('kind', r.kind) });
  }
  for (const c of (cache.coups.rows || []).filter((x) => memberIso.has(x.iso3))) {
    items.push({ date: c.date, end: null, lane: I.t('bloc.lane.coups'), label: `${c.iso3}${colon()}${loc(c, 'leader')}`, kind: I.t('bloc.kind.coup') });
  }
  for (const f of (cache.forces.rows || []).filter((x) => memberIso.has(x.country))) {
    const start = f.start || f.known_from;
    if (!start) continue;
    items.push({ date: start, end: f.end || cache.on, lane: I.t('bloc.lane.forces'), label: `${loc(f, 'partner')} — ${loc(f, 'operation')} (${f.country})`, kind: I.t('bloc.kind.force') });
  }
  return { items, memberIso };
}

async function drawTimeline() {
  const { items, memberIso } = timelineItems();
  if (items.length) await embed('#chart-bloc-timeline', timelineSpec(items)); else empty('#chart-bloc-timeline');
  const ms = (cache.timeline.rows || []).filter((r) => r.category !== 'membership');
  $('#milestones tbody').replaceChildren(...ms.map((r) => el('tr', {},
    el('td', { text: I.fmtDate(r.date) }), el('td', { text: I.term('kind', r.kind) }), el('td', { text: loc(r, 'what') }),
    el('td', { text: I.term('conf', (r.fact || {}).confidence) }), el('td', {}, sources(r.fact)))));
  const cf = [
    ...(cache.coups.rows || []).filter((x) => memberIso.has(x.iso3)).map((c) => ({ date: c.date, country: c.iso3, kind: I.t('bloc.kind.coup'), what: `${loc(c, 'leader')} — ${loc(c, 'ousted')}`, fact: c })),
    ...(cache.forces.rows || []).filter((x) => memberIso.has(x.country)).map((f) => ({ date: f.start || f.known_from, country: f.country, kind: I.t('bloc.kind.force'),
      what: `${loc(f, 'partner')}${colon()}${loc(f, 'operation')}${f.end ? ` (${I.t('bloc.until')} ${I.fmtDate(f.end)})` : ''}`, fact: (f.events && f.events[0] && f.events[0].fact) || null })),
  ].sort((a, b) => String(a.date).localeCompare(String(b.date)));
  $('#forces-rule').textContent = loc(cache.forces.meta, 'rule');
  $('#coups-forces tbody').replaceChildren(...cf.map((r) => el('tr', {},
    el('td', { text: I.fmtDate(r.date) }), el('td', { text: r.country }), el('td', { text: r.kind }), el('td', { text: r.what }),
    el('td', {}, sources(r.fact)))));
}

// The institutions chart's words come from the server in the page's language.
function loadInstitutions() {
  const lang = I.currentLang();
  return getJSON(`/blocs/${bloc}/institutions`, { on: cache.on, lang }).then((r) => { r.lang = lang; return r; }).catch(() => null);
}

async function load() {
  cache.on = onDate();
  $('#b-on').value = cache.on;
  const [orgs, members, timeline, coups, forces, institutions] = await Promise.all([
    getJSON('/blocs'), getJSON(`/blocs/${bloc}/members`, { on: cache.on }), getJSON(`/blocs/${bloc}/timeline`),
    getJSON('/coups'), getJSON('/forces'), loadInstitutions(),
  ]);
  cache.org = (orgs.rows || []).find((o) => o.id === bloc);
  Object.assign(cache, { members, timeline, coups, forces, institutions });
}

async function draw() {
  drawHead();
  drawMembers();
  await drawTimeline();
  $('#institutions-rule').textContent = cache.institutions && cache.institutions.vega_lite ? loc(cache.institutions.meta, 'rule') : '';
  await drawVegaLite('#chart-institutions', cache.institutions);
  hook.renders += 1;
}

async function main() {
  try {
    await startCommon();
    await load();
    await draw();
    $('#b-on').addEventListener('change', async () => {
      const v = $('#b-on').value;
      const q = new URLSearchParams(location.search);
      if (v) q.set('on', v); else q.delete('on');
      history.pushState(null, '', `${location.pathname}?${q}`);
      document.body.dataset.ready = '0';
      await load();
      await draw();
      document.body.dataset.ready = '1';
    });
    window.addEventListener('popstate', async () => { await load(); await draw(); });
    document.addEventListener('sw:lang', async () => {
      document.body.dataset.ready = '0';
      if (!cache.institutions || cache.institutions.lang !== I.currentLang()) cache.institutions = await loadInstitutions();
      await draw();
      document.body.dataset.ready = '1';
    });
  } catch (e) {
    hook.errors.push(String(e.message || e));
    showError(e);
  }
  hook.ready = true;
  document.body.dataset.ready = '1';
}

main();
