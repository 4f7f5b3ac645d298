// Drafts: a member draws a line on the map (snapping to the lines shown
// when asked), saves it as a draft of their party — signed in the page
// with their key, read by their party only — and signs a draft into the
// record as a proposal (or counter-proposal where the section is known).
// The service checks every signature and every rule again.

import { t } from "./i18n.js";
import { api, postText, feature } from "./api.js";
import { el } from "./dom.js";
import { signDraft, signEvent } from "./sign-in.js";

/** What the view keeps between renders. */
export const drafts = {
  drawing: false,
  points: [], // [lon, lat]
  snap: true,
  // Half-width of the corridor a water-parting is sought in, metres.
  corridor: 2000,
  // The last water-parting traced: its figures and warnings.
  traced: null,
  section: "",
  source: "",
  busy: false,
};

const SNAP_PX = 12;

/** The text of a draft's or proposal's source (a string or {text}). */
export function sourceText(source) {
  return typeof source === "string" ? source : (source?.text ?? "");
}

/**
 * The nearest vertex, within SNAP_PX of `point`, of the lines drawn near
 * it: the record's lines are found among the tiles drawn, and their
 * exact vertices read from the record (the tiles' positions are rounded
 * to their grid); the DEM's streams at the tile's precision.
 */
async function snapTo(map, point) {
  const layers = ["proposals", "agreed_line", "sections"].filter((id) => map.getLayer(id) && map.getLayoutProperty(id, "visibility") !== "none");
  const near = map.queryRenderedFeatures(
    [
      [point.x - SNAP_PX, point.y - SNAP_PX],
      [point.x + SNAP_PX, point.y + SNAP_PX],
    ],
    { layers },
  );
  let best = null;
  const consider = (lines) => {
    for (const line of lines) {
      for (const c of line) {
        const p = map.project(c);
        const d = Math.hypot(p.x - point.x, p.y - point.y);
        if (d <= SNAP_PX && (!best || d < best.d)) best = { d, c };
      }
    }
  };
  // The DEM's streams (the thalwegs the terrain engine traced), when
  // shown: their vertices are cell centres, read at the tile's precision
  // (1/4096 of a tile: under a metre from zoom 14) — a record line near
  // the click still wins when nearer.
  const streams = map
    .getStyle()
    .layers.map((l) => l.id)
    .filter((id) => id.startsWith("streams-") && map.getLayoutProperty(id, "visibility") !== "none");
  if (streams.length) {
    const box = [
      [point.x - SNAP_PX, point.y - SNAP_PX],
      [point.x + SNAP_PX, point.y + SNAP_PX],
    ];
    for (const f of map.queryRenderedFeatures(box, { layers: streams })) {
      const g = f.geometry;
      consider(g.type === "LineString" ? [g.coordinates] : g.type === "MultiLineString" ? g.coordinates : []);
    }
  }
  const seen = new Set();
  for (const f of near) {
    const key = `${f.layer.id}|${f.properties._id}`;
    if (f.properties._id === undefined || seen.has(key)) continue;
    seen.add(key);
    const g = (await feature(f.layer.id, f.properties._id))?.geometry;
    if (!g) continue;
    consider(g.type === "LineString" ? [g.coordinates] : g.type === "MultiLineString" ? g.coordinates : []);
  }
  return best?.c;
}

/** A click on the map while drawing: a vertex (snapped when asked). */
export function onMapClick(ctx, e) {
  if (!drafts.drawing) return false;
  addVertex(ctx, [e.lngLat.lng, e.lngLat.lat], e.point);
  return true;
}

/** A vertex at `lngLat` (screen `point`), snapped when asked. */
function addVertex(ctx, lngLat, point) {
  // (The point is taken in order, even while a snap is being looked up.)
  const i = drafts.points.length;
  drafts.points.push(lngLat);
  // (The line is no longer the water-parting traced: its figures go.)
  drafts.traced = null;
  sketch(ctx.state.map);
  ctx.rerender();
  if (drafts.snap) {
    snapTo(ctx.state.map, point).then((c) => {
      if (c && drafts.drawing && drafts.points[i]) {
        drafts.points[i] = c;
        sketch(ctx.state.map);
      }
    });
  }
}

/**
 * While drawing, a vertex at the cross in the map's centre — drawing by
 * keyboard: the arrow keys move the map under the cross, Enter (or the
 * button) takes the point. False when not drawing.
 */
export function addAtCentre(ctx) {
  if (!drafts.drawing) return false;
  const map = ctx.state.map;
  const c = map.getCenter();
  addVertex(ctx, [c.lng, c.lat], map.project(c));
  return true;
}

/** Draw the line being drawn. */
export function sketch(map) {
  const coords = drafts.points;
  const features = coords.map((c) => ({ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: c } }));
  if (coords.length >= 2) features.push({ type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: coords } });
  map.getSource("sketch")?.setData({ type: "FeatureCollection", features });
  // (For the browser tests: the points as they stand.)
  document.body.dataset.sketch = JSON.stringify(coords);
  map.getCanvas().style.cursor = drafts.drawing ? "crosshair" : "";
  // The cross in the map's centre, where a keyboard adds its vertices.
  map.getContainer().classList.toggle("drawing", drafts.drawing);
}

function stop(ctx) {
  drafts.drawing = false;
  drafts.points = [];
  drafts.traced = null;
  sketch(ctx.state.map);
}

async function save(ctx) {
  const { state } = ctx;
  const section = drafts.section.trim();
  const known = state.sections.some((s) => s.section === section);
  const body = {
    section,
    kind: known ? "counter_proposal" : "proposal",
    line: drafts.points,
    source: { text: drafts.source.trim() || t("drawn_by", { member: state.you.member }), transformation: [] },
  };
  drafts.busy = true;
  ctx.status("loading", "saving");
  try {
    const text = await signDraft(state.signer, state.commission, state.you.party, body);
    await postText("/api/drafts", text);
    stop(ctx);
    drafts.source = "";
    await ctx.refresh();
    ctx.status("ready", "draft_saved");
  } catch (e) {
    ctx.status("error", "refused_draft", { reason: e.message });
  } finally {
    drafts.busy = false;
    ctx.rerender();
  }
}

/** Sign draft `d` into the record as a proposal (or counter-proposal). */
async function propose(ctx, d) {
  const { state } = ctx;
  const section = d.body.section;
  const known = state.sections.some((s) => s.section === section);
  const kind = known ? (d.body.kind === "proposal" ? "counter_proposal" : d.body.kind) : "proposal";
  const source = typeof d.body.source === "string" ? { text: d.body.source, transformation: [] } : d.body.source;
  const body = { section, crs: "EPSG:4326", line: d.body.line, source };
  drafts.busy = true;
  ctx.status("loading", "signing");
  try {
    const head = await api("/api/tree-head");
    const text = await signEvent(state.signer, state.commission, head.next, kind, body);
    await postText("/api/events", text);
    await ctx.refresh();
    ctx.status("ready", "proposal_signed", { seq: head.next.seq });
  } catch (e) {
    ctx.status("error", "refused_proposal", { reason: e.message });
  } finally {
    drafts.busy = false;
    ctx.rerender();
  }
}

/**
 * Replace the line drawn by the water-parting of the service's DEM in a
 * corridor around it (`POST /api/workflows/water-parting`, the terrain
 * engine's divide): the longest piece it traced, its figures and
 * warnings kept to show, the DEM named in the source.
 */
async function followWaterParting(ctx) {
  const { state } = ctx;
  drafts.busy = true;
  ctx.status("loading", "tracing");
  ctx.rerender();
  try {
    const w = await api("/api/workflows/water-parting", {
      line: { name: "drawn", geojson: { type: "LineString", coordinates: drafts.points } },
      corridor_m: drafts.corridor,
    });
    const pieces = [];
    for (const f of w.divide.features ?? []) {
      const g = f.geometry;
      if (g?.type === "LineString") pieces.push(g.coordinates);
      else if (g?.type === "MultiLineString") pieces.push(...g.coordinates);
    }
    pieces.sort((a, b) => b.length - a.length);
    if (!pieces.length) throw new Error(t("no_water_parting"));
    drafts.points = pieces[0];
    drafts.traced = { length: w.summary.length_m, pieces: pieces.length, warnings: w.summary.warnings ?? [], dem: w.dem };
    if (!drafts.source.trim()) drafts.source = t("water_parting_source", { dem: w.dem.name, sha: w.dem.sha256.slice(0, 12), corridor: drafts.corridor });
    sketch(state.map);
    ctx.status("ready", "traced", { m: Math.round(w.summary.length_m) });
  } catch (e) {
    ctx.status("error", "refused_trace", { reason: e.message });
  } finally {
    drafts.busy = false;
    ctx.rerender();
  }
}

/** The drafts view's elements; `ctx`: { state, rerender, status, refresh }. */
export function draftsView(ctx) {
  const { state } = ctx;
  const may = state.you?.may ?? {};
  const list = state.drafts.length
    ? el(
        "ul",
        { class: "list" },
        state.drafts.map((d) =>
          el(
            "li",
            { class: "draft", dataset: { draft: d.id, source: sourceText(d.body?.source) } },
            t("draft_of", { kind: t(`kind_${d.body?.kind ?? "proposal"}`), section: d.body?.section ?? "?", author: d.author }),
            d.body?.source ? el("br") : null,
            d.body?.source ? el("small", {}, sourceText(d.body.source)) : null,
            may.append && Array.isArray(d.body?.line)
              ? el("p", {}, el("button", { type: "button", class: "small sign-draft", "data-draft": d.id, disabled: drafts.busy, onclick: () => propose(ctx, d) }, t("sign_as_proposal")))
              : null,
          ),
        ),
      )
    : el("p", { class: "empty" }, t("drafts_none"));
  if (!may.write_draft) return [list];
  const drawing = drafts.drawing
    ? el(
        "div",
        { class: "drawing" },
        el("p", {}, t("drawing_help", { n: drafts.points.length })),
        el("label", {}, el("input", { id: "draft-snap", type: "checkbox", checked: drafts.snap, onchange: (e) => (drafts.snap = e.target.checked) }), " ", t("snap")),
        el(
          "p",
          {},
          el("button", { id: "draft-add-centre", type: "button", class: "small", onclick: () => addAtCentre(ctx) }, t("add_at_centre")),
          " ",
          el("button", { id: "draft-undo", type: "button", class: "small", disabled: drafts.points.length === 0, onclick: () => { drafts.points.pop(); drafts.traced = null; sketch(state.map); ctx.rerender(); } }, t("undo")),
          " ",
          el("button", { id: "draft-cancel", type: "button", class: "small", onclick: () => { stop(ctx); ctx.rerender(); } }, t("cancel")),
        ),
        state.dems.length
          ? el(
              "div",
              { class: "water-parting" },
              el("button", { id: "draft-water-parting", type: "button", class: "small", disabled: drafts.points.length < 2 || drafts.busy, onclick: () => followWaterParting(ctx) }, t("follow_water_parting")),
              " ",
              el("label", {}, t("corridor"), " ", el("input", { id: "draft-corridor", type: "number", min: "100", step: "100", value: String(drafts.corridor), onchange: (e) => (drafts.corridor = Number(e.target.value)) }), " m"),
              drafts.traced
                ? el(
                    "p",
                    { class: "traced", dataset: { length: drafts.traced.length, pieces: drafts.traced.pieces } },
                    t("traced_summary", { m: Math.round(drafts.traced.length), pieces: drafts.traced.pieces, dem: drafts.traced.dem.name }),
                    ...drafts.traced.warnings.map((w) => el("span", { class: "warning" }, el("br"), w)),
                  )
                : null,
            )
          : null,
        el("label", {}, t("section"), " ", el("input", { id: "draft-section", list: "known-sections", value: drafts.section, oninput: (e) => (drafts.section = e.target.value) })),
        el("datalist", { id: "known-sections" }, state.sections.map((s) => el("option", { value: s.section }))),
        el("label", { class: "block" }, t("source"), " ", el("input", { id: "draft-source", value: drafts.source, oninput: (e) => (drafts.source = e.target.value) })),
        el("p", {}, el("button", { id: "draft-save", type: "button", disabled: drafts.points.length < 2 || drafts.busy, onclick: () => save(ctx) }, t("save_draft"))),
      )
    : el("p", {}, el("button", { id: "draft-new", type: "button", onclick: () => { drafts.drawing = true; drafts.points = []; sketch(state.map); ctx.rerender(); } }, t("new_line")));
  return [drawing, list];
}
