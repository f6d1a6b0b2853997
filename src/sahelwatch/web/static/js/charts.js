// Charts: Vega-Lite specs rendered by the vendored vega-embed, with Vega's expression
// interpreter (the CSP allows no eval) and the language's number and date formats.
import { currentLang, fmtDate, t, term, vegaLocales } from './i18n.js';

const FONT = 'system-ui, sans-serif';

// The chart bundle (~0.9 MB) loads on first use, so the map does not wait for it.
let loading = null;
function chartLibrary() {
  if (globalThis.swVega) return Promise.resolve(globalThis.swVega);
  if (!loading) {
    loading = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = `${document.body.dataset.static || '/static/'}vendor/vega/vega-bundle.min.js`;
      s.onload = () => resolve(globalThis.swVega);
      s.onerror = () => reject(new Error('chart library not loaded'));
      document.head.appendChild(s);
    });
  }
  return loading;
}

export async function embed(el, spec) {
  const sw = await chartLibrary();
  const node = typeof el === 'string' ? document.querySelector(el) : el;
  if (node._swView) { node._swView.finalize(); node._swView = null; }
  // Concatenated views cannot take the container's width: give each the node's width.
  if (spec.vconcat) {
    const w = Math.max(240, (node.clientWidth || 600) - 90);
    spec = { ...spec, vconcat: spec.vconcat.map((v) => ({ ...v, width: w })) };
  }
  const full = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    ...(spec.vconcat || spec.hconcat ? {} : { width: 'container' }),
    config: { font: FONT, axis: { labelFontSize: 11, titleFontSize: 11 }, legend: { labelFontSize: 11 }, view: { stroke: null } },
    ...spec,
  };
  const loc = vegaLocales();
  const res = await sw.vegaEmbed(node, full, {
    actions: false, renderer: 'svg', ast: true, defaultStyle: false, tooltip: false, expr: sw.expressionInterpreter,
    formatLocale: loc.formatLocale, timeFormatLocale: loc.timeFormatLocale,
  });
  node._swView = res.view;
  node.dataset.rendered = '1';
  return res.view;
}

// A Vega-Lite spec the API made (``vega_lite`` in its answer, e.g. the institutions tracker).
export async function drawVegaLite(sel, res) {
  if (!res || !res.vega_lite) { empty(sel); return; }
  const spec = { ...res.vega_lite };
  delete spec.$schema;
  await embed(sel, spec);
}

export function empty(el, key = 'common.no_data') {
  const node = typeof el === 'string' ? document.querySelector(el) : el;
  if (node._swView) { node._swView.finalize(); node._swView = null; }
  node.innerHTML = '';
  const p = document.createElement('p');
  p.className = 'muted';
  p.textContent = t(key);
  node.appendChild(p);
  node.dataset.rendered = '0';
}

// Events and fatalities per period, fatalities with the UCDP low-high band.
export function timeSpec(rows, period) {
  const values = rows.map((r) => ({ ...r, date: r.period_start }));
  const unit = period === 'year' ? 'year' : 'yearmonth';
  const x = { field: 'date', type: 'temporal', timeUnit: unit, title: null, axis: { format: period === 'year' ? '%Y' : '%b %Y', labelAngle: 0 } };
  return {
    data: { values },
    vconcat: [
      { width: 'container', height: 120, mark: { type: 'bar', color: '#2b5c8a' },
        encoding: { x, y: { field: 'events', type: 'quantitative', title: t('m.events') },
          tooltip: [{ field: 'period', title: t('kpi.period') }, { field: 'events', title: t('m.events'), format: ',d' }] } },
      { width: 'container', height: 150, layer: [
        { mark: { type: 'area', color: '#e6550d', opacity: 0.25 },
          encoding: { x, y: { field: 'fatalities_low', type: 'quantitative', title: t('m.fatalities_best') }, y2: { field: 'fatalities_high' } } },
        { mark: { type: 'line', color: '#a63603', point: true },
          encoding: { x, y: { field: 'fatalities_best', type: 'quantitative' },
            tooltip: [{ field: 'period', title: t('kpi.period') },
              { field: 'fatalities_best', title: t('m.fatalities_best'), format: ',d' },
              { field: 'fatalities_low', title: t('m.fatalities_low'), format: ',d' },
              { field: 'fatalities_high', title: t('m.fatalities_high'), format: ',d' }] } },
      ] },
    ],
  };
}

export function barSpec(rows, field, labelOf, measure) {
  const values = rows.map((r) => ({ label: labelOf(r[field]), value: r[measure] }));
  return {
    data: { values },
    height: { step: 20 },
    mark: { type: 'bar', color: '#2b5c8a' },
    encoding: {
      y: { field: 'label', type: 'nominal', sort: '-x', title: null, axis: { labelLimit: 220 } },
      x: { field: 'value', type: 'quantitative', title: t(`m.${measure}`), axis: { format: ',d' } },
      tooltip: [{ field: 'label', title: ' ' }, { field: 'value', title: t(`m.${measure}`), format: ',d' }],
    },
  };
}

// Blocs aligned on their founding: month k = 0 is the founding month of each bloc; the
// band is UCDP's low-high range where the source gives one.
export function compareSpec(rows, valueField, lowField, highField) {
  const values = rows.filter((r) => r[valueField] !== null && r[valueField] !== undefined);
  const y = { field: valueField, type: 'quantitative', title: t(`compare.${valueField}`) };
  return {
    data: { values },
    height: 220,
    layer: [
      { mark: { type: 'area', opacity: 0.18 },
        encoding: { x: { field: 'k', type: 'quantitative' }, y: { field: lowField, type: 'quantitative' }, y2: { field: highField },
          color: { field: 'bloc', type: 'nominal' } } },
      { mark: { type: 'line', point: { size: 18 } },
        encoding: {
          x: { field: 'k', type: 'quantitative', title: t('chart.compare.x') },
          y,
          color: { field: 'bloc', type: 'nominal', title: t('f.bloc') },
          tooltip: [{ field: 'bloc' }, { field: 'month', title: t('kpi.period') }, { field: valueField, title: y.title, format: ',.2f' },
            { field: 'n_members', title: t('bloc.members') }],
        } },
    ],
  };
}

// One row per dated item: {date, end, lane, label, kind}; ranges drawn as bars, points as ticks.
export function timelineSpec(items) {
  const values = items.map((d) => ({ ...d, shown: fmtDate(d.date), lane_label: d.lane }));
  return {
    data: { values },
    height: { step: 26 },
    layer: [
      { transform: [{ filter: 'datum.end != null' }], mark: { type: 'bar', height: 10, opacity: 0.5, cornerRadius: 2 },
        encoding: { x: { field: 'date', type: 'temporal' }, x2: { field: 'end' }, y: { field: 'lane_label', type: 'nominal' },
          color: { field: 'kind', type: 'nominal', title: t('bloc.kind') } } },
      { mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x: { field: 'date', type: 'temporal', title: null, axis: { format: '%Y' } },
          y: { field: 'lane_label', type: 'nominal', title: null, axis: { labelLimit: 200 } },
          color: { field: 'kind', type: 'nominal', title: t('bloc.kind') },
          tooltip: [{ field: 'shown', title: t('bloc.date') }, { field: 'label', title: t('bloc.what') }],
        } },
    ],
  };
}

export const categoryLabel = (c) => term('cat', c);
export const langNow = currentLang;
