// Helpers both pages share: DOM building without innerHTML for data, errors, attribution.
import { getJSON } from './api.js';
import * as I from './i18n.js';

export const $ = (s, root = document) => root.querySelector(s);

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('data-')) e.setAttribute(k, v);
    else e[k] = v;
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

export function link(href, text) {
  let safe = '#';
  try { const u = new URL(href, location.origin); if (u.protocol === 'http:' || u.protocol === 'https:') safe = u.href; } catch (e) { /* not a URL */ }
  return el('a', { href: safe, rel: 'noopener noreferrer', target: '_blank', text: text || href });
}

export function showError(err) {
  const box = $('#error-box');
  if (!box) return;
  box.hidden = false;
  box.textContent = `${I.t('common.error')}: ${err && err.message ? err.message : err}`;
}

export function clearError() { const box = $('#error-box'); if (box) { box.hidden = true; box.textContent = ''; } }

// The credits in the page's language (the API gives each in English and French).
export function fillAttribution(lines) {
  const ul = $('#attribution-lines');
  if (!ul || !lines) return;
  ul.replaceChildren(...lines.map((a) => el('li', { text: `${loc(a, 'text')} (${loc(a, 'licence')})` })));
}

export function setAcledBanner(meta) {
  const b = $('#acled-banner');
  if (b) b.hidden = meta.acled_mode !== 'aggregates';
}

export async function startCommon() {
  const metaReq = getJSON('/meta');
  await I.setLang(I.initialLang(), { persist: false });
  I.bindSwitch();
  const meta = await metaReq;
  fillAttribution(meta.attribution);
  document.addEventListener('sw:lang', () => fillAttribution(meta.attribution));
  setAcledBanner(meta);
  return meta;
}

// A text in the page's language: its French twin (`what_fr`, `rule_fr`...) when the page is in
// French and the registry or the API gives one, else the English field.
export function loc(o, field) {
  if (!o) return '';
  const fr = I.currentLang() === 'fr' ? o[`${field}_fr`] : null;
  return fr || o[field] || '';
}

export function blocName(b) {
  if (!b) return '';
  return (I.currentLang() === 'fr' && b.name_fr) ? b.name_fr : (b.name || b.id);
}
