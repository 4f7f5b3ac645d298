// The map: MapLibre GL JS over nothing but what the service holds. No
// tile server, no glyphs or sprites from elsewhere: a plain background,
// a graticule made here, the base map the service draws (relief,
// contours, streams, countries, places) and the commission's layers.

import * as maplibregl from "./vendor/maplibre-gl/maplibre-gl.mjs";

// Okabe & Ito's palette (2008): told apart with every common form of
// colour blindness. One colour per party, black for what is agreed.
export const PARTY_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"];

/** Each layer: the collection it draws and how. */
export const LAYERS = [
  { id: "graticule", local: true },
  { id: "sections", collection: "sections" },
  { id: "proposals", collection: "proposals" },
  { id: "agreed_line", collection: "agreed_line" },
  { id: "pillars", collection: "pillars" },
];

const EMPTY = { type: "FeatureCollection", features: [] };

let token = null;

/** The token the map sends with the service's tiles. */
export function setMapToken(t) {
  token = t;
}

/** The relief of each DEM served, under every other layer. */
export function setRelief(map, dems, visible) {
  for (const d of dems) {
    const id = `relief-${d.name}`;
    if (!map.getSource(id)) {
      map.addSource(id, { type: "raster", tiles: [d.tiles], tileSize: 256, bounds: d.bounds, maxzoom: 16 });
      map.addLayer({ id, type: "raster", source: id, paint: { "raster-opacity": 0.9 } }, "graticule");
    }
    map.setLayoutProperty(id, "visibility", visible ? "visible" : "none");
  }
  for (const l of map.getStyle().layers) {
    if (l.id.startsWith("relief-") && !dems.some((d) => `relief-${d.name}` === l.id)) {
      map.setLayoutProperty(l.id, "visibility", "none");
    }
  }
}

/** The base map's layer groups, each toggled as one in the layer list. */
export const BASE = ["contours", "streams", "countries", "places"];

/**
 * The base map drawn by the service: for each DEM its contours and
 * streams (vector tiles), the country outlines (vector tiles) and the
 * places (GeoJSON; named by HTML labels in the page's language, as no
 * glyphs are fetched from anywhere). Added when a member signs in (the
 * tiles are the commission's), removed when they sign out.
 */
export function setBasemap(map, on, dems, places) {
  const ids = map.getStyle().layers.map((l) => l.id);
  if (!on) {
    for (const id of ids) if (BASE.some((b) => id.startsWith(`${b}-`)) || id === "places") map.removeLayer(id);
    for (const id of Object.keys(map.getStyle().sources)) {
      if (id.startsWith("terrain-") || id === "countries" || id === "places") map.removeSource(id);
    }
    setPlaceLabels(map, null);
    return;
  }
  for (const d of dems) {
    const src = `terrain-${d.name}`;
    if (map.getSource(src)) continue;
    map.addSource(src, { type: "vector", tiles: [d.terrain_tiles], bounds: d.bounds, minzoom: 6, maxzoom: 14 });
    map.addLayer(
      {
        id: `contours-${d.name}`,
        type: "line",
        source: src,
        "source-layer": "contours",
        minzoom: 8,
        paint: { "line-color": "#a0785a", "line-width": ["case", ["get", "index"], 1.1, 0.45], "line-opacity": 0.8 },
      },
      "graticule",
    );
    map.addLayer(
      {
        id: `streams-${d.name}`,
        type: "line",
        source: src,
        "source-layer": "streams",
        paint: {
          "line-color": "#3b7fc4",
          "line-width": ["interpolate", ["linear"], ["get", "order"], 1, 0.6, 6, 2.6],
          "line-opacity": ["interpolate", ["linear"], ["zoom"], 6, 0.5, 10, 0.9],
        },
        filter: [">=", ["get", "order"], ["step", ["zoom"], 4, 8, 3, 10, 2, 12, 1]],
      },
      "graticule",
    );
  }
  if (!map.getSource("countries")) {
    map.addSource("countries", { type: "vector", tiles: ["/api/basemap/countries/{z}/{x}/{y}.mvt"], maxzoom: 14 });
    map.addLayer(
      {
        id: "countries-outline",
        type: "line",
        source: "countries",
        "source-layer": "countries",
        paint: { "line-color": "#8c6d8c", "line-width": 1.2, "line-dasharray": [4, 2, 1, 2] },
      },
      "graticule",
    );
  }
  if (!map.getSource("places")) {
    map.addSource("places", { type: "geojson", data: places ?? EMPTY });
    map.addLayer({
      id: "places",
      type: "circle",
      source: "places",
      minzoom: 7,
      paint: { "circle-radius": 2.5, "circle-color": "#333333", "circle-stroke-color": "#ffffff", "circle-stroke-width": 1 },
    });
  } else if (places) map.getSource("places").setData(places);
}

let labels = { markers: [], places: null, lang: "en", shown: true, listener: null };

/**
 * Name the places in view in language `lang` (each place's `name_<lang>`
 * where the data has it, else its name): the most populous first, at
 * most 40 at a time, as HTML labels (MapLibre draws text only with
 * glyphs from a server, and nothing is fetched). `places` null removes
 * them.
 */
export function setPlaceLabels(map, places, lang = "en", shown = true) {
  labels.places = places;
  labels.lang = lang;
  labels.shown = shown;
  if (!labels.listener) {
    labels.listener = () => drawLabels(map);
    map.on("moveend", labels.listener);
  }
  drawLabels(map);
}

function drawLabels(map) {
  for (const m of labels.markers) m.remove();
  labels.markers = [];
  if (!labels.places || !labels.shown || map.getZoom() < 7) return;
  const b = map.getBounds();
  const inView = labels.places.features.filter((f) => b.contains(f.geometry.coordinates));
  inView.sort((a, z) => (z.properties.population ?? 0) - (a.properties.population ?? 0));
  for (const f of inView.slice(0, 40)) {
    const name = f.properties[`name_${labels.lang}`] ?? f.properties.name;
    const e = document.createElement("span");
    e.className = "place-label";
    e.textContent = name;
    e.lang = f.properties[`name_${labels.lang}`] ? labels.lang : "";
    labels.markers.push(new maplibregl.Marker({ element: e, anchor: "left", offset: [4, 0] }).setLngLat(f.geometry.coordinates).addTo(map));
  }
}

/** Show or hide a base layer group (every DEM's, for contours and streams). */
export function setBaseVisible(map, group, visible) {
  for (const l of map.getStyle().layers) {
    if (l.id.startsWith(`${group}-`) || l.id === group) map.setLayoutProperty(l.id, "visibility", visible ? "visible" : "none");
  }
  if (group === "places") {
    labels.shown = visible;
    drawLabels(map);
  }
}

/**
 * Meridians and parallels every `step` degrees over the world. On the
 * web-Mercator map both are straight lines, so each needs only its two
 * ends (a parallel in 10° pieces, so no piece spans the world).
 */
function graticule(step) {
  const features = [];
  const line = (coordinates) => features.push({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates } });
  for (let lon = -180; lon <= 180; lon += step) line([[lon, -85], [lon, 85]]);
  for (let lat = -80; lat <= 80; lat += step) {
    for (let lon = -180; lon < 180; lon += 10) line([[lon, lat], [lon + 10, lat]]);
  }
  return { type: "FeatureCollection", features };
}

/** The colour of property `field`: each party its own, others grey. */
export function partyColour(parties, field = "party") {
  if (parties.length === 0) return "#555555";
  const expr = ["match", ["coalesce", ["get", field], ""]];
  parties.forEach((p, i) => expr.push(p, PARTY_COLOURS[i % PARTY_COLOURS.length]));
  expr.push("#555555");
  return expr;
}

/** A map in `container`; resolves once its style has loaded. */
export function createMap(container) {
  const map = new maplibregl.Map({
    container,
    style: {
      version: 8,
      sources: {},
      layers: [{ id: "background", type: "background", paint: { "background-color": "#f3f1ea" } }],
    },
    center: [45.5, 40.2],
    zoom: 6,
    attributionControl: false,
    // The style and layers are the page's own, tested: not validated
    // again in every browser at every start (a fifth of a second here).
    validateStyle: false,
    // Nothing is fetched from elsewhere: no glyphs, no sprite, no tiles.
    transformRequest: (url) => {
      const u = new URL(url, location.href);
      if (u.origin !== location.origin) throw new Error(`refused a request off the service: ${url}`);
      // The relief tiles are the commission's: the member's token goes
      // with them (in the header, never in the URL).
      if (token && u.pathname.startsWith("/api/")) return { url, headers: { Authorization: `Bearer ${token}` } };
      return { url };
    },
  });
  map.addControl(new maplibregl.NavigationControl({ visualizePitch: false }), "top-right");
  map.addControl(new maplibregl.ScaleControl({ unit: "metric", maxWidth: 160 }), "bottom-left");
  return new Promise((resolve) => map.on("load", () => resolve(map)));
}

/** Add the layers (empty until `setData`; the record's lines by `setTiled`). */
export function addLayers(map) {
  map.addSource("graticule", { type: "geojson", data: graticule(1) });
  map.addLayer({
    id: "graticule",
    type: "line",
    source: "graticule",
    // (Degrees a few pixels apart at the smallest zooms: only from 3.)
    minzoom: 3,
    paint: { "line-color": "#b9b4a6", "line-width": 0.6 },
  });
  for (const id of ["discrepancies", "pillars", "median", "turning_points", "base_points", "tie_lines"]) {
    map.addSource(id, { type: "geojson", data: EMPTY });
  }
  // A comparison's polygons, filled by who gains if line a is adopted
  // (colours set with the result); those within tolerance pale.
  map.addLayer({
    id: "discrepancies",
    type: "fill",
    source: "discrepancies",
    paint: {
      "fill-color": "#777777",
      "fill-opacity": ["case", ["get", "beyond_tolerance"], 0.55, 0.15],
      "fill-outline-color": "#333333",
    },
  });
  map.addLayer({
    id: "pillars",
    type: "circle",
    source: "pillars",
    paint: {
      "circle-radius": 6,
      "circle-color": "#ffffff",
      "circle-stroke-color": "#000000",
      "circle-stroke-width": 2,
    },
  });
  // A compromise's tie lines (turning point to base point) and base
  // points on the claims, under its line.
  map.addLayer({
    id: "tie_lines",
    type: "line",
    source: "tie_lines",
    minzoom: 9,
    paint: { "line-color": "#009E73", "line-width": 0.8, "line-dasharray": [2, 2], "line-opacity": 0.8 },
  });
  map.addLayer({
    id: "base_points",
    type: "circle",
    source: "base_points",
    minzoom: 9,
    paint: { "circle-radius": 2.5, "circle-color": "#ffffff", "circle-stroke-color": "#009E73", "circle-stroke-width": 1.2 },
  });
  // A compromise computed in the page, and its turning points.
  map.addLayer({
    id: "median",
    type: "line",
    source: "median",
    paint: { "line-color": "#009E73", "line-width": 3.5 },
  });
  map.addLayer({
    id: "turning_points",
    type: "circle",
    source: "turning_points",
    minzoom: 9,
    paint: { "circle-radius": 3, "circle-color": "#009E73", "circle-stroke-color": "#ffffff", "circle-stroke-width": 1 },
  });
  // The line being drawn, above everything.
  map.addSource("sketch", { type: "geojson", data: EMPTY });
  map.addLayer({
    id: "sketch-line",
    type: "line",
    source: "sketch",
    filter: ["==", ["geometry-type"], "LineString"],
    paint: { "line-color": "#D55E00", "line-width": 3 },
  });
  map.addLayer({
    id: "sketch-points",
    type: "circle",
    source: "sketch",
    filter: ["==", ["geometry-type"], "Point"],
    paint: { "circle-radius": 5, "circle-color": "#D55E00", "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.5 },
  });
  for (const id of ["pillars", ...TILED, "discrepancies"]) {
    map.on("mouseenter", id, () => (map.getCanvas().style.cursor = "pointer"));
    map.on("mouseleave", id, () => (map.getCanvas().style.cursor = ""));
  }
}

export function setData(map, id, geojson) {
  map.getSource(id)?.setData(geojson ?? EMPTY);
}

/** The record's lines, drawn from the service's vector tiles. */
export const TILED = ["sections", "proposals", "agreed_line"];

/**
 * The tiled line layers: added when a member signs in (the tiles are the
 * commission's), their tiles asked again at each new `version` of what
 * the member sees, removed when they sign out.
 */
export function setTiled(map, on, version, parties) {
  for (const id of TILED) {
    if (!on) {
      if (map.getLayer(id)) map.removeLayer(id);
      if (map.getSource(id)) map.removeSource(id);
      continue;
    }
    const url = `/api/tiles/${id}/{z}/{x}/{y}.mvt?v=${version}`;
    if (map.getSource(id)) {
      map.getSource(id).setTiles([url]);
      continue;
    }
    map.addSource(id, { type: "vector", tiles: [url], minzoom: 0, maxzoom: 16 });
    const common = { id, source: id, "source-layer": id, type: "line" };
    const paint = {
      sections: {
        "line-color": ["match", ["get", "status"], "agreed", "#000000", "#7a7a7a"],
        "line-width": 3,
        "line-opacity": 0.5,
      },
      proposals: {
        "line-color": partyColour(parties),
        "line-width": ["match", ["get", "status"], "draft", 2, 2.5],
        "line-dasharray": [3, 2],
      },
      agreed_line: { "line-color": "#000000", "line-width": 3 },
    }[id];
    map.addLayer({ ...common, paint }, "pillars");
  }
}

/** Hide the claim lines (proposals' item ids) the member unticked. */
export function setHiddenClaims(map, ids) {
  if (!map.getLayer("proposals")) return;
  map.setFilter("proposals", ids.length ? ["!", ["in", ["get", "_id"], ["literal", ids]]] : null);
}

export function setVisible(map, id, visible) {
  if (!map.getLayer(id)) return;
  if (map.getLayer(id)) map.setLayoutProperty(id, "visibility", visible ? "visible" : "none");
}

/** Fit the view to the features' extent (west, south, east, north). */
export function fitTo(map, bbox) {
  if (!bbox) return;
  const [w, s, e, n] = bbox;
  map.fitBounds(
    [
      [w, s],
      [e, n],
    ],
    { padding: 60, maxZoom: 12, duration: 0 },
  );
}

/** The extent of a feature collection's coordinates. */
export function extent(collections) {
  let b = null;
  const visit = (c) => {
    if (typeof c[0] === "number") {
      b = b ? [Math.min(b[0], c[0]), Math.min(b[1], c[1]), Math.max(b[2], c[0]), Math.max(b[3], c[1])] : [c[0], c[1], c[0], c[1]];
    } else c.forEach(visit);
  };
  for (const fc of collections) {
    for (const f of fc?.features ?? []) {
      if (f.geometry) visit(f.geometry.coordinates);
      // (A feature listed without its geometry brings its bbox.)
      else if (Array.isArray(f.bbox) && f.bbox.length === 4) visit([[f.bbox[0], f.bbox[1]], [f.bbox[2], f.bbox[3]]]);
    }
  }
  return b;
}

export { maplibregl };
