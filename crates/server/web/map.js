// The map: MapLibre GL JS over nothing but what the service holds. No
// tile server, no glyphs or sprites from elsewhere: a plain background,
// a graticule made here, and the commission's layers as GeoJSON.

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

/** Meridians and parallels every `step` degrees over the world. */
function graticule(step) {
  const features = [];
  for (let lon = -180; lon <= 180; lon += step) {
    const coords = [];
    for (let lat = -85; lat <= 85; lat += 1) coords.push([lon, lat]);
    features.push({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: coords } });
  }
  for (let lat = -80; lat <= 80; lat += step) {
    const coords = [];
    for (let lon = -180; lon <= 180; lon += 1) coords.push([lon, lat]);
    features.push({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: coords } });
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
    paint: { "line-color": "#b9b4a6", "line-width": 0.6 },
  });
  for (const id of ["discrepancies", "pillars", "median", "turning_points"]) {
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
