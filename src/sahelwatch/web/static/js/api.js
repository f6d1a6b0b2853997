// The page talks only to the JSON API under /api/v1/ (same origin).
export const API = '/api/v1';

export class ApiError extends Error {
  constructor(err, status) {
    super((err && err.message) || `HTTP ${status}`);
    this.status = (err && err.status) || status;
    this.code = (err && err.code) || 'error';
    this.details = (err && err.details) || {};
  }
}

export function apiUrl(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '' || (Array.isArray(v) && !v.length)) continue;
    q.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  const s = q.toString();
  return `${API}${path}${s ? `?${s}` : ''}`;
}

// Answers asked ahead of need (the first view's numbers, asked while the page still sets up):
// getJSON takes the pending answer for the same URL, once, instead of asking again.
const ahead = new Map();
export function askAhead(path, params = {}) {
  const url = apiUrl(path, params);
  if (!ahead.has(url)) ahead.set(url, fetch(url, { headers: { Accept: 'application/json' } }));
}

export async function getJSON(path, params = {}, { signal } = {}) {
  const url = apiUrl(path, params);
  const early = signal ? undefined : ahead.get(url);
  ahead.delete(url);
  const r = await (early || fetch(url, { headers: { Accept: 'application/json' }, signal }));
  let body = null;
  try { body = await r.json(); } catch (e) { body = null; }
  if (!r.ok) throw new ApiError(body && body.error, r.status);
  return body;
}
