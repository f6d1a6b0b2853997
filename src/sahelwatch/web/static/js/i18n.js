// Language: English or French, switchable, remembered in localStorage, default from the
// browser's language; a link's own ?lang=fr|en wins, and the switch writes it into the URL so
// a shared link opens in the language it was copied in. Labels are elements with a data-i18n attribute naming their message; numbers and dates go through
// Intl with the locale of the language ("1 234,5" and "12 octobre 2023" in French).
const KEY = 'sahelwatch.lang';
const LANGS = ['en', 'fr'];
const catalogs = {};
let lang = 'en';

export function urlLang(search = location.search) {
  const l = new URLSearchParams(search).get('lang');
  return LANGS.includes(l) ? l : null;
}

export function initialLang() {
  const linked = urlLang();
  if (linked) return linked;
  let stored = null;
  try { stored = localStorage.getItem(KEY); } catch (e) { /* storage disabled */ }
  if (LANGS.includes(stored)) return stored;
  const prefs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  for (const p of prefs) {
    const base = String(p).toLowerCase().slice(0, 2);
    if (LANGS.includes(base)) return base;
  }
  return 'en';
}

export function currentLang() { return lang; }
export function locale() { return lang === 'fr' ? 'fr-FR' : 'en-GB'; }

const asked = {};  // a catalogue asked for once, however many callers wait for it
function load(l) {
  if (!asked[l]) {
    const base = document.body.dataset.static || '/static/';
    asked[l] = fetch(`${base}i18n/${l}.json`).then((r) => r.json()).then((c) => { catalogs[l] = c; return c; });
    asked[l].catch(() => { delete asked[l]; });
  }
  return asked[l];
}

export async function setLang(l, { persist = true } = {}) {
  if (!LANGS.includes(l)) l = 'en';
  await Promise.all([load(l), load('en')]);  // English: the fallback for a key a catalogue lacks
  lang = l;
  if (persist) { try { localStorage.setItem(KEY, l); } catch (e) { /* storage disabled */ } }
  document.documentElement.lang = l;
  for (const b of document.querySelectorAll('[data-lang]')) b.setAttribute('aria-pressed', String(b.dataset.lang === l));
  apply(document);
  document.dispatchEvent(new CustomEvent('sw:lang', { detail: { lang: l } }));
}

export function has(key) { return key in (catalogs[lang] || {}); }

export function t(key, vars) {
  let s = (catalogs[lang] || {})[key];
  if (s === undefined) s = (catalogs.en || {})[key];
  if (s === undefined) return key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

// A vocabulary value (category, precision...) in the current language, or the value itself.
export function term(prefix, value) {
  if (value === null || value === undefined || value === '') return '';
  const k = `${prefix}.${value}`;
  return has(k) || (k in (catalogs.en || {})) ? t(k) : String(value);
}

// A message's text, with command-line options (--private) kept on one line as code.
function setText(el, text) {
  if (!text.includes('--')) { el.textContent = text; return; }
  const parts = text.split(/(--[a-z][a-z-]*)/);
  el.replaceChildren(...parts.map((p, i) => {
    if (i % 2 === 0) return document.createTextNode(p);
    const c = document.createElement('code');
    c.className = 'opt';
    c.textContent = p;
    return c;
  }));
}

export function apply(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) setText(el, t(el.dataset.i18n));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
}

// Building an Intl formatter costs far more than using one (the map's tooltips and the
// tables format thousands of numbers): one per locale and options, kept.
const formatters = new Map();
function formatter(Kind, opts) {
  const key = `${Kind.name}|${locale()}|${JSON.stringify(opts)}`;
  let f = formatters.get(key);
  if (!f) { f = new Kind(locale(), opts); formatters.set(key, f); }
  return f;
}

export function fmtNum(x, digits = 1) {
  if (x === null || x === undefined || x === '' || Number.isNaN(Number(x))) return '–';
  return formatter(Intl.NumberFormat, { maximumFractionDigits: digits }).format(Number(x));
}

export function fmtPct(x, digits = 0) {
  if (x === null || x === undefined || Number.isNaN(Number(x))) return '–';
  return formatter(Intl.NumberFormat, { style: 'percent', maximumFractionDigits: digits }).format(Number(x));
}

function asDate(iso) {
  const s = String(iso);
  if (/^\d{4}$/.test(s)) return [new Date(Date.UTC(+s, 0, 1)), 'year'];
  if (/^\d{4}-\d{2}$/.test(s)) return [new Date(Date.UTC(+s.slice(0, 4), +s.slice(5, 7) - 1, 1)), 'month'];
  const d = new Date(s.length === 10 ? `${s}T00:00:00Z` : s);
  return [d, 'day'];
}

// "12 October 2023" / "12 octobre 2023"; a month or a year is shown as such.
export function fmtDate(iso) {
  if (!iso) return '–';
  const [d, kind] = asDate(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  const opts = { timeZone: 'UTC', year: 'numeric' };
  if (kind !== 'year') opts.month = 'long';
  if (kind === 'day') opts.day = 'numeric';
  const s = formatter(Intl.DateTimeFormat, opts).format(d);
  // French writes the first of the month as an ordinal: "1er novembre 2024"
  return lang === 'fr' && kind === 'day' && d.getUTCDate() === 1 ? s.replace(/^1(?=\s)/, '1er') : s;
}

// d3-format / d3-time-format locales for Vega, so chart axes follow the language too.
export function vegaLocales() {
  if (lang === 'fr') {
    return {
      formatLocale: { decimal: ',', thousands: '\u202f', grouping: [3], currency: ['', '\u00a0€'] },
      timeFormatLocale: {
        dateTime: '%A %e %B %Y à %X', date: '%d/%m/%Y', time: '%H:%M:%S', periods: ['AM', 'PM'],
        days: ['dimanche', 'lundi', 'mardi', 'mercredi', 'jeudi', 'vendredi', 'samedi'],
        shortDays: ['dim.', 'lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.'],
        months: ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre',
          'novembre', 'décembre'],
        shortMonths: ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'],
      },
    };
  }
  return {
    formatLocale: { decimal: '.', thousands: ',', grouping: [3], currency: ['£', ''] },
    timeFormatLocale: {
      dateTime: '%a %e %b %X %Y', date: '%d/%m/%Y', time: '%H:%M:%S', periods: ['AM', 'PM'],
      days: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
      shortDays: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
      months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October',
        'November', 'December'],
      shortMonths: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
    },
  };
}

export function bindSwitch() {
  for (const b of document.querySelectorAll('[data-lang]')) {
    b.addEventListener('click', async () => {
      await setLang(b.dataset.lang);
      const q = new URLSearchParams(location.search);
      q.set('lang', lang);
      history.replaceState(history.state, '', `${location.pathname}?${q.toString()}${location.hash}`);
    });
  }
}
