// The map: MapLibre GL JS with a style built here from our own GeoJSON — no remote style,
// tiles, glyphs or sprites, so it draws with the network unplugged. No symbol layers (they
// need glyphs): cluster sizes are circle radii, labels live in the HTML legend and popups.
import { apply, fmtDate, fmtNum, t, term } from './i18n.js';

// MapLibre (~800 kB) is imported on demand: the page's first requests (metadata, shapes, the
// view's data) need not wait for the library to be parsed. loadMapLibre() starts it early.
let maplibregl = null;
let loading = null;
export function loadMapLibre() {
  // prewarm(): its web workers start (and fetch their script) now, not when the map is made
  loading = loading || import('../vendor/maplibre/maplibre-gl.mjs').then((m) => { maplibregl = m; m.prewarm(); return m; });
  return loading;
}

const EMPTY = { type: 'FeatureCollection', features: [] };
const COLORS = ['#fff5eb', '#fdd0a2', '#fdae6b', '#fd8d3c', '#e6550d', '#a63603'];
const GRID_COLORS = ['#f2f0f7', '#cbc9e2', '#9e9ac8', '#756bb1', '#54278f', '#3f007d'];

const iso3Of = (p) => p.iso3 || p.country_iso3 || '';
const codeOf = (p) => p.code || p.admin1_code || '';

// Class breaks: 0, then quantiles of the positive values (at most 5 classes).
export function breaks(values) {
  const pos = values.filter((v) => v > 0).sort((a, b) => a - b);
  if (!pos.length) return [1];
  const out = [];
  for (const q of [0, 0.25, 0.5, 0.75, 0.9]) {
    const v = pos[Math.min(pos.length - 1, Math.floor(q * pos.length))];
    if (!out.length || v > out[out.length - 1]) out.push(v);
  }
  return out;
}

// A value's class over breaks: 0 below the first break (no events), else 1 + the index of
// the last break it reaches; the class's colour is COLORS[min(class, COLORS.length - 1)].
function classOf(v, bks) {
  let c = 0;
  bks.forEach((b, i) => { if (v >= b) c = i + 1; });
  return c;
}

// The choropleth's colour: one expression over the class in feature state.
const CLASS_COLOR = ['match', ['coalesce', ['feature-state', 'cls'], 0],
  ...[1, 2, 3, 4, 5].flatMap((c) => [c, COLORS[c]]), '#eef1f3'];

// A colour step over a feature's property.
function stepExpr(prop, bks, colors) {
  const e = ['step', ['to-number', ['coalesce', ['get', prop], 0]], '#eef1f3'];
  bks.forEach((b, i) => { e.push(b, colors[Math.min(i + 1, colors.length - 1)]); });
  return e;
}

// The bounding box [[w, s], [e, n]] of these countries (ISO3 list) in the feature
// collections given, or null when none of them is found.
export function boundsOf(iso3s, collections) {
  const want = new Set(iso3s);
  let b = null;
  const visit = (c) => {
    if (typeof c[0] === 'number') {
      b = b ? [Math.min(b[0], c[0]), Math.min(b[1], c[1]), Math.max(b[2], c[0]), Math.max(b[3], c[1])] : [c[0], c[1], c[0], c[1]];
    } else c.forEach(visit);
  };
  for (const fc of collections) {
    for (const f of (fc || EMPTY).features) if (want.has(iso3Of(f.properties))) visit(f.geometry.coordinates);
  }
  return b && [[b[0], b[1]], [b[2], b[3]]];
}

const HOME = { center: [2, 14], zoom: 3.3 };   // the whole region
const FIT = { padding: 30, maxZoom: 7 };

export class DashMap {
  // a map needs the library loaded: await loadMapLibre() first (DashMap.create does)
  static async create(container, options) {
    await loadMapLibre();
    return new DashMap(container, options);
  }

  // bounds: where the map opens ([[w, s], [e, n]]; the whole region when not given)
  constructor(container, { onSelect, bounds } = {}) {
    this.onSelect = onSelect || (() => {});
    this.admin = EMPTY;       // basemap: admin1 polygons (our own boundaries)
    this.countries = EMPTY;   // admin0 outlines
    this.points = EMPTY;      // the event points shown
    this.measure = 'events';
    this.ready = false;
    this.map = new maplibregl.Map({
      container,
      style: {
        version: 8,
        sources: {},
        layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#dbe6ec' } }],
      },
      ...(bounds ? { bounds, fitBoundsOptions: FIT } : HOME),
      attributionControl: false,
      canvasContextAttributes: { preserveDrawingBuffer: true },  // lets the tests read the canvas
    });
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), 'top-right');
    this.map.addControl(new maplibregl.AttributionControl({ compact: true }), 'bottom-right');
    // MapLibre names its buttons in English: they take the catalogue's words, and the language
    // switch (which re-applies data-i18n-* attributes) renames them
    for (const [sel, key] of [['.maplibregl-ctrl-zoom-in', 'map.zoom_in'], ['.maplibregl-ctrl-zoom-out', 'map.zoom_out'],
      ['.maplibregl-ctrl-attrib-button', 'map.toggle_attribution'], ['.maplibregl-canvas', 'map.title']]) {
      const b = container.querySelector(sel);
      if (!b) continue;
      if (b.hasAttribute('title')) b.dataset.i18nTitle = key;
      b.dataset.i18nAria = key;
    }
    apply(container);
    // the sources go in once the style is in, before the first frame is drawn: the worker cuts
    // the tiles while the main thread sets up WebGL ('load' waits for that first frame)
    this.loaded = new Promise((resolve) => (this.map.isStyleLoaded() ? resolve() : this.map.once('style.load', resolve)));
    this.popup = new maplibregl.Popup({ closeButton: false, closeOnClick: false, className: 'sw-hover' });
    this.clickPopup = new maplibregl.Popup({ closeButton: true, className: 'sw-click', maxWidth: '320px' });
  }

  async init(admin1, admin0) {
    await this.loaded;
    this.admin = admin1 || EMPTY;
    this.countries = admin0 || EMPTY;
    const m = this.map;
    const attr = 'geoBoundaries (CC BY 4.0) · Natural Earth · UCDP (CC BY 4.0)';
    m.addSource('countries', { type: 'geojson', data: this.countries, attribution: attr });
    m.addSource('admin1', { type: 'geojson', data: this.admin, promoteId: 'code' });
    m.addSource('hover', { type: 'geojson', data: EMPTY });
    m.addSource('grid', { type: 'geojson', data: EMPTY });
    m.addSource('points', { type: 'geojson', data: EMPTY, cluster: true, clusterRadius: 40, clusterMaxZoom: 9 });
    m.addLayer({ id: 'countries-fill', type: 'fill', source: 'countries', paint: { 'fill-color': '#f7f4ee', 'fill-antialias': false } });
    m.addLayer({ id: 'admin1-fill', type: 'fill', source: 'admin1',
      paint: { 'fill-color': CLASS_COLOR, 'fill-opacity': 0.85, 'fill-antialias': false } });
    m.addLayer({ id: 'admin1-line', type: 'line', source: 'admin1',
      paint: { 'line-color': '#8a8f94', 'line-width': 0.5 } });
    // the polygon under the pointer, outlined from a source of its own holding that one shape:
    // a layer over all the polygons (drawn at width 0 but for one) would cost every frame
    m.addLayer({ id: 'admin1-hover', type: 'line', source: 'hover', paint: { 'line-color': '#111', 'line-width': 2 } });
    m.addLayer({ id: 'countries-line', type: 'line', source: 'countries',
      paint: { 'line-color': '#4a4f55', 'line-width': 1.1 } });
    m.addLayer({ id: 'grid-fill', type: 'fill', source: 'grid', layout: { visibility: 'none' },
      paint: { 'fill-color': '#9e9ac8', 'fill-opacity': 0.75, 'fill-outline-color': '#ffffff' } });
    m.addLayer({ id: 'clusters', type: 'circle', source: 'points', filter: ['has', 'point_count'],
      paint: {
        'circle-color': '#2b5c8a', 'circle-opacity': 0.75, 'circle-stroke-color': '#fff', 'circle-stroke-width': 1.5,
        'circle-radius': ['step', ['get', 'point_count'], 9, 10, 13, 50, 18, 200, 24],
      } });
    m.addLayer({ id: 'points', type: 'circle', source: 'points', filter: ['!', ['has', 'point_count']],
      paint: {
        'circle-color': '#b2182b', 'circle-stroke-color': '#fff', 'circle-stroke-width': 1,
        'circle-radius': ['interpolate', ['linear'], ['coalesce', ['get', 'fatalities_best'], 0], 0, 3.5, 10, 6, 100, 10],
      } });
    this._bindEvents();
    this.ready = true;
  }

  _bindEvents() {
    const m = this.map;
    let hovered = null;
    const byCode = new Map(this.admin.features.map((f) => [codeOf(f.properties), f]));
    const setHover = (id) => {
      if (id === hovered) return;
      hovered = id;
      const f = id === null ? null : byCode.get(id);
      m.getSource('hover').setData(f ? { type: 'FeatureCollection', features: [f] } : EMPTY);
    };
    m.on('mousemove', (e) => {
      const layers = ['points', 'clusters', 'grid-fill', 'admin1-fill'].filter((l) => m.getLayoutProperty(l, 'visibility') !== 'none');
      const f = m.queryRenderedFeatures(e.point, { layers })[0];
      m.getCanvas().style.cursor = f ? 'pointer' : '';
      if (!f) { this.popup.remove(); setHover(null); return; }
      setHover(f.layer.id === 'admin1-fill' ? (f.id ?? null) : null);
      this.popup.setLngLat(e.lngLat).setHTML(this.describe(f, false)).addTo(m);
    });
    m.on('mouseout', () => { this.popup.remove(); setHover(null); });
    m.on('click', async (e) => {
      const layers = ['points', 'clusters', 'grid-fill', 'admin1-fill'].filter((l) => m.getLayoutProperty(l, 'visibility') !== 'none');
      const f = m.queryRenderedFeatures(e.point, { layers })[0];
      if (!f) return;
      if (f.layer.id === 'clusters') {
        const zoom = await m.getSource('points').getClusterExpansionZoom(f.properties.cluster_id);
        m.easeTo({ center: f.geometry.coordinates, zoom });
        return;
      }
      this.popup.remove();
      this.clickPopup.setLngLat(e.lngLat).setHTML(this.describe(f, true)).addTo(m);
      if (f.layer.id === 'admin1-fill') this.onSelect({ admin1: codeOf(f.properties), country: iso3Of(f.properties) });
    });
  }

  describe(f, full) {
    const p = f.properties || {};
    const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
    const line = (k, v) => `<div><span class="k">${esc(t(k))}</span> ${esc(v)}</div>`;
    if (f.layer.id === 'clusters') return `<div class="pop">${line('map.cluster', fmtNum(p.point_count, 0))}<div class="muted">${esc(t('map.cluster_hint'))}</div></div>`;
    if (f.layer.id === 'points') {
      let h = `<div class="pop"><strong>${esc(fmtDate(p.date_start))}</strong> · ${esc(p.country_iso3)}`;
      h += line('ev.category', term('cat', p.category));
      h += line('ev.fatalities', `${fmtNum(p.fatalities_best, 0)} (${fmtNum(p.fatalities_low, 0)}–${fmtNum(p.fatalities_high, 0)})`);
      if (full) {
        h += line('ev.actors', [p.actor1, p.actor2].filter(Boolean).join(' / '));
        h += line('ev.location', p.location || '');
        h += line('ev.source', term('src', p.source));
        if (p.notes) h += `<div class="notes">${esc(p.notes)}</div>`;
      }
      return `${h}</div>`;
    }
    if (f.layer.id === 'grid-fill') {
      return `<div class="pop"><strong>PRIO-GRID ${esc(p.priogrid_gid)}</strong>${line('m.events', fmtNum(p.events, 0))}${line('m.fatalities_best', fmtNum(p.fatalities_best, 0))}</div>`;
    }
    const s = f.state || {};
    let h = `<div class="pop"><strong>${esc(p.name)}</strong> · ${esc(iso3Of(p))} <span class="muted">${esc(codeOf(p))}</span>`;
    h += line('m.events', fmtNum(s.events ?? 0, 0));
    h += line('m.fatalities_best', fmtNum(s.fatalities_best ?? 0, 0));
    if (full) h += `<div class="muted">${esc(t('map.filtered_to_area'))}</div>`;
    return `${h}</div>`;
  }

  // Choropleth values set as feature state on our own admin1 polygons ({code: {events,
  // fatalities_best}}), with each polygon's class (its colour): the shapes go to the map's
  // worker once and the layer's colour is one fixed expression over the class, so a filter
  // change only updates states (a changed data-driven paint expression would make MapLibre
  // cut every tile of the source again, in its worker).
  setChoropleth(values, measure) {
    this.measure = measure;
    const m = this.map;
    const bks = breaks(Object.values(values).map((v) => v[measure] || 0));
    for (const f of this.admin.features) {
      const code = codeOf(f.properties);
      if (!code) continue;
      const v = values[code] || {};
      m.setFeatureState({ source: 'admin1', id: code },
        { events: v.events || 0, fatalities_best: v.fatalities_best || 0, cls: classOf(v[measure] || 0, bks) });
    }
    this.bks = bks;
    return bks;
  }

  // PRIO-GRID cells: 0.5-degree squares around each cell's centre.
  setGrid(cells, measure) {
    const feats = cells.map((c) => ({
      type: 'Feature',
      properties: { priogrid_gid: c.priogrid_gid, events: c.events, fatalities_best: c.fatalities_best },
      geometry: { type: 'Polygon', coordinates: [[[c.lon - 0.25, c.lat - 0.25], [c.lon + 0.25, c.lat - 0.25],
        [c.lon + 0.25, c.lat + 0.25], [c.lon - 0.25, c.lat + 0.25], [c.lon - 0.25, c.lat - 0.25]]] },
    }));
    this.map.getSource('grid').setData({ type: 'FeatureCollection', features: feats });
    this.map.setPaintProperty('grid-fill', 'fill-color', stepExpr(measure, breaks(cells.map((c) => c[measure] || 0)), GRID_COLORS));
  }

  // (the same points again ask the worker nothing: an unchanged view need not re-cut them)
  setPoints(geojson) {
    const data = geojson || EMPTY;
    if (data === this.points) return;
    this.points = data;
    this.map.getSource('points').setData(data);
  }

  setLayers(names) {
    const vis = (id, on) => this.map.setLayoutProperty(id, 'visibility', on ? 'visible' : 'none');
    vis('admin1-fill', names.includes('admin1'));
    vis('grid-fill', names.includes('grid'));
    vis('clusters', names.includes('points'));
    vis('points', names.includes('points'));
  }

  // Zoom to the countries given (ISO3 list): their outlines, as the map opened on them (the
  // admin-1 shapes for a country without one), so the first view's camera does not move.
  zoomTo(iso3s) {
    const b = boundsOf(iso3s, [this.countries]) || boundsOf(iso3s, [this.admin]);
    if (b) this.map.fitBounds(b, { ...FIT, duration: 0 });
    else this.map.jumpTo(HOME);
  }

  // Resolves once the map has drawn what it was given.
  idle() {
    return new Promise((resolve) => {
      if (this.map.loaded() && !this.map.isMoving()) { this.map.once('idle', resolve); this.map.triggerRepaint(); } else this.map.once('idle', resolve);
    });
  }
}

// The legend as DOM nodes (colours set through the CSSOM: the CSP forbids style attributes).
export function renderLegend(node, bks, measure) {
  const swatch = (color, cls = '') => {
    const s = document.createElement('span');
    s.className = `sw ${cls}`.trim();
    if (color) s.style.background = color;
    return s;
  };
  const row = (sw, text) => {
    const d = document.createElement('div');
    d.className = 'row';
    d.append(sw, document.createTextNode(text));
    return d;
  };
  const title = document.createElement('div');
  title.className = 'legend-title';
  title.textContent = t(`m.${measure}`);
  const rows = [title, row(swatch('#eef1f3'), '0')];
  bks.forEach((b, i) => {
    const next = bks[i + 1];
    const lab = next === undefined ? `${fmtNum(b, 0)}+` : (next - 1 <= b ? fmtNum(b, 0) : `${fmtNum(b, 0)}–${fmtNum(next - 1, 0)}`);
    rows.push(row(swatch(COLORS[Math.min(i + 1, COLORS.length - 1)]), lab));
  });
  rows.push(row(swatch(null, 'dot'), t('map.points')));
  rows.push(row(swatch(null, 'cl'), t('map.cluster_legend')));
  node.replaceChildren(...rows);
}
