// The commission's workspace: what a member may see, on one map.
//
// The page asks the service what the signed-in member may do
// (`/api/commission`'s `you.may`, decided by the service's one policy) and
// shows only those views and controls; every request is decided by the
// service again, so hiding a control is for the user, not for security.

import { t, translate, setLanguage, language, LANGUAGES } from "./i18n.js";
import { readKeyFile, makeToken, KeyFileError, KeyMismatch, NoEd25519 } from "./sign-in.js";
import { api, setToken, ApiError, forgetFeatures } from "./api.js";
import { $, el, checkList } from "./dom.js";
import { compare, compareView, describeDiscrepancy, previousProposal, runCompare } from "./compare.js";
import { drafts, draftsView, onMapClick, sketch, addAtCentre, sourceText } from "./drafts.js";
import { compromiseView, clearCompromise } from "./compromise.js";
import { verifyRecord } from "./verify.js";
import { agreementControls, pending } from "./agreements.js";
import { createMap, addLayers, setData, setVisible, fitTo, extent, maplibregl, PARTY_COLOURS, partyColour, setMapToken, setRelief, setTiled, TILED, BASE, setBasemap, setBaseVisible, setPlaceLabels, setHiddenClaims } from "./map.js";
import { profileOf } from "./profile.js";

const COLLECTIONS = ["sections", "proposals", "agreed_line", "pillars"];

const state = {
  commission: "",
  description: "",
  signer: null, // { member, key } — the key is a non-extractable CryptoKey
  token: null,
  you: null,
  parties: [],
  data: {},
  // (The sections layer starts hidden: its lines are the proposals' and
  // the agreed line's, drawn again — twice the work for the renderer, a
  // median 30 fps where 60 without it over the 1M-vertex bench lines at
  // 640 × 400. It is one tick away in Layers.)
  visible: new Set(["relief", ...BASE, "graticule", ...COLLECTIONS.filter((c) => c !== "sections")]),
  dems: [],
  sections: [],
  events: [],
  drafts: [],
  tab: "about",
  status: ["loading", "loading", {}],
  map: null,
  popup: null,
  // Claim lines the member hid (item ids of the proposals collection).
  hiddenClaims: new Set(),
};

// The status line: a string key and its values, so that it is written
// again in the language chosen.
export function status(kind, key, vars = {}) {
  state.status = [kind, key, vars];
  const s = $("#status");
  s.dataset.state = kind;
  s.textContent = t(key, vars);
}

function useToken(token) {
  state.token = token;
  state.fitted = false;
  setToken(token);
  setMapToken(token);
  watching?.abort();
  watching = null;
  if (token) watch(token);
}

// ---- live: the service says when what this member may see changed -------

let watching = null;
let updates = 0;
let reloading = Promise.resolve();

/** Load and draw again, one reload at a time. */
function refresh() {
  reloading = reloading.then(async () => {
    const t0 = performance.now();
    await load();
    const t1 = performance.now();
    render();
    updates += 1;
    // (How long the last update took to read and to draw: the tests
    // report it.)
    document.body.dataset.updates = String(updates);
    document.body.dataset.reload = `${Math.round(t1 - t0)}+${Math.round(performance.now() - t1)}`;
    document.body.dataset.updatedAt = String(Date.now());
  });
  return reloading;
}

/**
 * Read `/api/stream` (Server-Sent Events, read with fetch so that the
 * token goes in the Authorization header, never in a URL) until signed
 * out; reconnect after a break, then reload once (what changed meanwhile).
 */
async function watch(token) {
  const ctl = new AbortController();
  watching = ctl;
  let broken = false;
  while (!ctl.signal.aborted) {
    try {
      const r = await fetch("/api/stream", { headers: { Authorization: `Bearer ${token}`, Accept: "text/event-stream" }, signal: ctl.signal });
      if (!r.ok) throw new ApiError(r.status, (await r.json().catch(() => ({}))).reason ?? r.statusText);
      if (broken) await refresh();
      const reader = r.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let i;
        while ((i = buf.indexOf("\n\n")) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const event = /^event: ?(.*)$/m.exec(block)?.[1];
          if (event === "changed") {
            document.body.dataset.heard = String(Date.now());
            await refresh();
          }
          if (event === "signed-out") {
            const reason = /^data: ?(.*)$/m.exec(block)?.[1] ?? "";
            if (watching === ctl) {
              await signOut();
              status("error", "signed_out", { reason });
            }
            return;
          }
        }
      }
    } catch (e) {
      if (ctl.signal.aborted) return;
      if (e instanceof ApiError && e.status === 401) {
        await signOut();
        status("error", "signed_out", { reason: e.message });
        return;
      }
    }
    broken = true;
    await new Promise((r) => setTimeout(r, 2000));
  }
}

// ---- loading what the caller may see ----------------------------------

async function load() {
  state.loads = (state.loads ?? 0) + 1;
  forgetFeatures();
  // Everything is read first and put in place at once, so that a render
  // meanwhile never shows half a reload.
  const next = { you: null, members: [], parties: [], data: {}, sections: [], events: [], drafts: [], dems: [], places: null, agreements: new Map() };
  if (state.token) {
    const c = await api("/api/commission");
    next.you = c.you;
    next.members = c.members;
    next.parties = [...new Set(c.members.map((m) => m.party).filter((p) => p !== "mediator"))].sort();
    const may = c.you?.may ?? {};
    const items = async () => {
      const cols = await api("/collections");
      await Promise.all(
        cols.collections.map(async (col) => {
          // The record's lines are drawn from tiles: listed here without
          // their geometry (a claim line may have a million vertices).
          const brief = TILED.includes(col.id) ? "&skipGeometry=true" : "";
          next.data[col.id] = await api(`/collections/${encodeURIComponent(col.id)}/items?limit=10000${brief}`);
        }),
      );
    };
    await Promise.all([
      items(),
      api("/api/sections").then((r) => (next.sections = r.sections)),
      api("/api/dems").then((r) => (next.dems = r.dems)),
      // The base map's places: once per sign-in (they do not change).
      state.places ? (next.places = state.places) : api("/api/basemap/places").then((r) => (next.places = r)),
      may.read_negotiation ? api("/api/events?limit=10000").then((r) => (next.events = r.events)) : null,
      may.read_drafts ? api("/api/drafts").then((r) => (next.drafts = r.drafts)) : null,
    ]);
    // The agreements signed so far on each section under negotiation.
    for (const sec of next.sections.filter((x) => x.status !== "agreed")) {
      next.agreements.set(sec.section, await pending(next, sec.section));
    }
  }
  Object.assign(state, next);
  state.verified = null;
}

// ---- drawing ------------------------------------------------------------

function roleName(role) {
  return t(`role_${role}`);
}

function tabs() {
  const may = state.you?.may ?? {};
  return [
    ["about", !state.you],
    ["sections", !!state.you],
    ["layers", !!state.you],
    ["compare", !!may.run_workflow],
    ["compromise", !!may.run_workflow],
    ["record", !!may.read_negotiation],
    ["drafts", !!may.read_drafts],
  ].filter(([, shown]) => shown).map(([id]) => id);
}

function renderHeader() {
  document.title = t("title", { commission: state.commission });
  $("#title").textContent = t("title", { commission: state.commission });
  const who = $("#who");
  who.textContent = state.you
    ? state.you.party === "mediator"
      ? t("signed_in_as_mediator", { member: state.you.member, role: roleName(state.you.role) })
      : t("signed_in_as", { member: state.you.member, role: roleName(state.you.role), party: state.you.party })
    : t("anonymous");
  document.body.dataset.member = state.you?.member ?? "";
  $("#sign-in").hidden = !!state.you;
  $("#sign-out").hidden = !state.you;
  $("#panel .help").hidden = !!state.you;
}

function renderTabs() {
  const shown = tabs();
  if (!shown.includes(state.tab)) state.tab = shown[0];
  const nav = $("#tabs");
  nav.replaceChildren(
    ...shown.map((id) =>
      el(
        "button",
        {
          role: "tab",
          id: `tab-${id}`,
          "aria-selected": String(id === state.tab),
          "aria-controls": "view",
          tabindex: id === state.tab ? "0" : "-1",
          onclick: () => {
            state.tab = id;
            renderTabs();
            renderView();
          },
          onkeydown: (e) => {
            const i = shown.indexOf(id);
            const next = e.key === "ArrowRight" ? shown[(i + 1) % shown.length] : e.key === "ArrowLeft" ? shown[(i + shown.length - 1) % shown.length] : null;
            if (next) {
              state.tab = next;
              renderTabs();
              renderView();
              $(`#tab-${next}`).focus();
            }
          },
        },
        t(`tab_${id}`),
      ),
    ),
  );
}

function featureOf(collection, pred) {
  return state.data[collection]?.features.find(pred);
}

/** Where contours start, when a served DEM is too fine for them at
 * small zooms (the service's figure, per DEM; the highest). */
function contoursFrom() {
  const z = Math.max(0, ...state.dems.map((d) => d.contours_from_zoom ?? 0));
  if (z === 0) return "";
  const cells = Math.max(...state.dems.map((d) => d.contour_max_cells ?? 0));
  return t("contours_from_zoom", { z, cells: cells.toLocaleString(document.documentElement.lang || "en") });
}

function renderView() {
  const view = $("#view");
  view.dataset.view = state.tab;
  const list = (items, empty, row) =>
    items.length ? el("ul", { class: "list" }, items.map(row)) : el("p", { class: "empty" }, t(empty));
  switch (state.tab) {
    case "about":
      view.replaceChildren(el("p", {}, state.description), el("p", {}, t("about_anonymous")));
      break;
    case "sections":
      view.replaceChildren(
        list(state.sections, "sections_none", (s) =>
          el(
            "li",
            { class: "section", dataset: { section: s.section, status: s.status } },
            el(
              "button",
              {
                class: "link",
                onclick: () => {
                  const f = featureOf("sections", (f) => f.properties.section === s.section);
                  if (f) fitTo(state.map, extent([{ features: [f] }]));
                },
              },
              s.section,
            ),
            " ",
            el("span", { class: `badge ${s.status === "agreed" ? "agreed" : "open"}` }, t(`status_${s.status}`)),
            agreementControls({ state, rerender: renderView, status, refresh }, s, state.agreements?.get(s.section) ?? []),
            pillarList(s.section),
          ),
        ),
      );
      break;
    case "layers":
      view.replaceChildren(
        checkList(
          "layers",
          [
            ...(state.dems.length ? ["relief", "contours", "streams"] : []),
            ...(state.you ? ["countries", "places"] : []),
            "graticule",
            ...COLLECTIONS.filter((c) => state.data[c]),
          ].map((id) => ({
            id,
            label: `${t(`layer_${id}`)}${id in state.data ? ` (${state.data[id].features.length})` : ""}${id === "places" && state.places ? ` (${state.places.features.length})` : ""}${id === "contours" ? contoursFrom() : ""}`,
          })),
          state.visible,
          (id, on) => {
            if (id === "relief") setRelief(state.map, state.dems, on);
            else if (BASE.includes(id)) setBaseVisible(state.map, id, on);
            else setVisible(state.map, id, on);
          },
        ),
        el(
          "ul",
          { class: "legend" },
          state.parties.map((p, i) =>
            el("li", {}, el("span", { class: "swatch", style: `background:${PARTY_COLOURS[i % PARTY_COLOURS.length]}` }), ` ${p}`),
          ),
        ),
        claimsList(),
      );
      break;
    case "compare":
      view.replaceChildren(...compareView({ state, rerender: renderView, status }).filter(Boolean));
      break;
    case "compromise":
      view.replaceChildren(...compromiseView({ state, rerender: renderView, status }).filter(Boolean));
      break;
    case "record": {
      const v = state.verified;
      const verdict = (seq) => v?.events.find((r) => r.seq === seq);
      const mark = (seq) => {
        const r = verdict(seq);
        if (!r) return null;
        const ok = r.signature && r.chain && r.included;
        return el("span", { class: `verdict ${ok ? "ok" : "bad"}`, title: t(ok ? (r.signed_head ? "verified_signed" : "verified_unsigned") : "not_verified") }, ok ? " ✓" : " ✗");
      };
      view.replaceChildren(
        el(
          "p",
          {},
          el("button", { id: "verify-record", type: "button", onclick: verifyInPage }, t("verify_record")),
        ),
        v
          ? el(
              "div",
              { class: `verification ${v.problems.length ? "bad" : "ok"}`, dataset: { problems: v.problems.length, events: v.events.length, heads: v.heads.length } },
              v.problems.length
                ? el("ul", {}, v.problems.map((p) => el("li", {}, p)))
                : el("p", {}, t("verified_all", { events: v.events.length, heads: v.heads.filter((h) => h.signature).length })),
            )
          : null,
        list(state.events, "record_none", (e) =>
          el(
            "li",
            { class: "event", dataset: { seq: e.seq, verified: verdict(e.seq) ? String(!!(verdict(e.seq).signature && verdict(e.seq).chain && verdict(e.seq).included)) : "" } },
            mark(e.seq),
            el("span", { class: "seq" }, `#${e.seq}`),
            " ",
            el("time", { datetime: e.time }, e.time.replace("T", " ").replace("Z", " UTC")),
            el("br"),
            t("event_by", { kind: t(`kind_${e.kind}`), author: e.author }),
            diffButton(e.seq),
          ),
        ),
      );
      break;
    }
    case "drafts":
      view.replaceChildren(...draftsView({ state, rerender: renderView, status, refresh }).filter(Boolean));
      break;
  }
}

function renderMap() {
  const map = state.map;
  // The record's lines from the service's vector tiles (asked again at
  // each reload: `loads` changes their URL); pillars as GeoJSON.
  setTiled(map, !!state.you, state.loads, state.parties);
  if (map.getLayer("proposals")) map.setPaintProperty("proposals", "line-color", partyColour(state.parties));
  setHiddenClaims(map, [...state.hiddenClaims]);
  setData(map, "pillars", state.data.pillars);
  for (const id of COLLECTIONS) setVisible(map, id, state.visible.has(id) && id in state.data);
  setVisible(map, "graticule", state.visible.has("graticule"));
  setRelief(map, state.dems, state.visible.has("relief"));
  setBasemap(map, !!state.you, state.dems, state.places);
  for (const b of BASE) setBaseVisible(map, b, state.visible.has(b));
  setPlaceLabels(map, state.you ? state.places : null, language(), state.visible.has("places"));
  // Fit to the data once per sign-in: a live update must not move the
  // view the member is working in.
  const b = extent(COLLECTIONS.map((c) => state.data[c]));
  if (b && !state.fitted) {
    fitTo(map, b);
    state.fitted = true;
  }
}

/**
 * A proposal's "difference from the previous one" on its section: the
 * two chosen in the comparison, compared by the service and drawn.
 */
function diffButton(seq) {
  const pair = previousProposal(state.data, seq);
  if (!pair) return null;
  return el(
    "button",
    {
      type: "button",
      class: "small diff",
      dataset: { seq, previous: pair.previous.seq },
      onclick: async () => {
        compare.chosen = new Set([pair.previous.id, pair.this.id]);
        state.tab = "compare";
        render();
        await runCompare({ state, rerender: renderView, status });
      },
    },
    t("diff_previous", { previous: pair.previous.seq }),
  );
}

/**
 * Every claim line on the map — each proposal, counter-proposal and
 * amendment of the record and the party's own drafts — by party and
 * source, each toggled like a layer (a filter on the tiled proposals).
 */
function claimsList() {
  const claims = state.data.proposals?.features ?? [];
  if (!claims.length) return null;
  const shown = new Set(claims.map((f) => String(f.id)).filter((id) => !state.hiddenClaims.has(id)));
  return el(
    "div",
    { class: "claims" },
    el("h3", {}, t("claims")),
    checkList(
      "claims",
      claims.map((f) => {
        const p = f.properties;
        const what = p.draft !== undefined ? `${t("draft")} ${p.draft}` : `#${p.seq} ${t(`kind_${p.kind}`)}`;
        const source = sourceText(p.source);
        return { id: String(f.id), label: `${what} · ${p.section} · ${p.party ?? p.author}${source ? ` · ${source}` : ""}` };
      }),
      shown,
      (id, on) => {
        if (on) state.hiddenClaims.delete(id);
        else state.hiddenClaims.add(id);
        setHiddenClaims(state.map, [...state.hiddenClaims]);
      },
    ),
  );
}

/**
 * The pillars of a section as a list of buttons: each opens the pillar's
 * popup (its catalogue row, its profile) as a click on the map does —
 * the way to them by keyboard, and to a pillar hidden under others.
 */
function pillarList(section) {
  const pillars = (state.data.pillars?.features ?? []).filter((f) => f.properties.section === section);
  if (!pillars.length) return null;
  return el(
    "details",
    { class: "pillars", dataset: { section } },
    el("summary", {}, t("pillars_n", { n: pillars.length })),
    el(
      "ul",
      { class: "pillar-list" },
      pillars.map((f) =>
        el(
          "li",
          {},
          el(
            "button",
            {
              type: "button",
              class: "link pillar",
              dataset: { number: f.properties.number },
              onclick: (e) => {
                const back = e.currentTarget;
                const at = f.geometry.coordinates;
                state.map.jumpTo({ center: at, zoom: Math.max(state.map.getZoom(), 14) });
                popupFor({ layer: { id: "pillars" }, properties: f.properties }, { lng: at[0], lat: at[1] });
                // Focus into the popup (MapLibre gives it to its close
                // button); Escape closes it and focus comes back here.
                state.popup?.on("close", () => back.isConnected && back.focus());
                if (!state.popup?.getElement().contains(document.activeElement)) state.popup?.getElement().querySelector("button, [tabindex]")?.focus();
              },
            },
            f.properties.number,
          ),
        ),
      ),
    ),
  );
}

function render() {
  renderHeader();
  renderTabs();
  renderView();
  renderMap();
  translate(document);
}

function popupFor(feature, lngLat) {
  state.popup?.remove();
  // A pillar: its row as the record holds it (not the map's rendering of
  // it, whose positions are quantised), its position from the record.
  let p = feature.properties;
  if (feature.layer.id === "pillars") {
    const held = (state.data.pillars?.features ?? []).find((f) => f.properties.number === p.number && f.properties.section === p.section);
    if (held) {
      const [lon, lat] = held.geometry.coordinates;
      p = { number: held.properties.number, lat, lon, ...held.properties };
    }
  }
  // (The map hands nested values back as JSON text: lists read as lists.)
  const text = (v) => {
    if (typeof v === "string" && v.startsWith("[")) {
      try {
        return JSON.parse(v).join(", ");
      } catch {
        return v;
      }
    }
    return typeof v === "object" ? JSON.stringify(v) : String(v);
  };
  // (`name` and `desc` repeat the row for GNSS receivers: not shown.)
  const rows = Object.entries(p)
    .filter(([k, v]) => v !== null && v !== undefined && v !== "" && !(feature.layer.id === "pillars" && (k === "name" || k === "desc")))
    .map(([k, v]) => el("tr", {}, el("th", { scope: "row" }, k), el("td", {}, text(v))));
  const heading =
    feature.layer.id === "pillars"
      ? t("pillar", { number: p.number })
      : feature.layer.id === "turning_points"
        ? t("turning_point", { line: p.line ?? "", id: p.id ?? "" })
        : `${t("section")} ${p.section ?? ""}`;
  const body = el("div", { class: "feature", dataset: { layer: feature.layer.id } }, el("h3", {}, heading), el("table", {}, rows));
  state.popup = new maplibregl.Popup({ maxWidth: "360px" }).setLngLat(lngLat).setDOMContent(body).addTo(state.map);
  // A pillar's line of sight to the next pillar of its section, from the
  // DEM, when the service has one.
  if (feature.layer.id === "pillars" && state.dems.length) {
    const all = (state.data.pillars?.features ?? []).filter((f) => f.properties.section === p.section);
    const i = all.findIndex((f) => f.properties.number === p.number);
    const next = all[i + 1];
    if (i >= 0 && next) {
      const here = all[i].geometry.coordinates;
      const there = next.geometry.coordinates;
      const popup = state.popup;
      // (Above the table: the first thing a surveyor asks of a pillar.)
      const slot = el("div", { class: "profile-slot" });
      body.querySelector("table").before(slot);
      profileOf([here[1], here[0]], [there[1], there[0]], t("profile_to_next", { next: next.properties.number })).then((fig) => {
        if (state.popup === popup) slot.replaceChildren(fig);
      });
    }
  }
}

/** Verify the record the page holds, in the page. */
async function verifyInPage() {
  status("loading", "verifying");
  try {
    state.verified = await verifyRecord(state.events, state.commission);
    renderView();
    status(state.verified.problems.length ? "error" : "ready", state.verified.problems.length ? "verify_failed" : "verified_status", { n: state.verified.problems.length });
  } catch (e) {
    status("error", "error", { reason: e.message });
  }
}

// ---- print ----------------------------------------------------------------

/**
 * The printed map's margin: title, who printed it and when, the scale
 * (the map's own scale bar prints with it), a north arrow turned by the
 * map's bearing, the legend of what is drawn, and the provenance — the
 * service, the record's size and the tree head's root — so that a sheet
 * on the table says where it came from.
 */
async function printSheet() {
  const sheet = $("#print-sheet");
  const bearing = state.map.getBearing();
  let head = null;
  if (state.you?.may.read_negotiation) head = await api("/api/tree-head").catch(() => null);
  const c = state.map.getCenter();
  const legend = [
    ...state.parties.map((p, i) => [PARTY_COLOURS[i % PARTY_COLOURS.length], t("legend_party", { party: p })]),
    ["#000000", t("layer_agreed_line")],
    ["#7a7a7a", t("layer_sections")],
  ];
  sheet.replaceChildren(
    el("h2", {}, t("title", { commission: state.commission })),
    el(
      "p",
      {},
      t("printed_by", {
        who: state.you ? state.you.member : t("anonymous"),
        when: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      }),
    ),
    el(
      "div",
      { class: "north", style: `transform: rotate(${-bearing}deg)` },
      "↑",
      el("br"),
      "N",
    ),
    el("p", {}, t("print_centre", { lat: c.lat.toFixed(5), lon: c.lng.toFixed(5), zoom: state.map.getZoom().toFixed(1) })),
    el(
      "ul",
      { class: "legend" },
      legend.map(([colour, text]) => el("li", {}, el("span", { class: "swatch", style: `background:${colour}` }), ` ${text}`)),
    ),
    el(
      "p",
      { class: "provenance" },
      t("print_provenance", { url: location.origin, size: head?.size ?? "—", root: head?.root ?? "—" }),
    ),
  );
}

// ---- sign-in --------------------------------------------------------------

async function signIn(file) {
  status("loading", "loading");
  try {
    const signer = await readKeyFile(await file.text());
    state.signer = signer;
    useToken(await makeToken(signer, state.commission));
    await load();
    render();
    status("ready", "ready");
  } catch (e) {
    state.signer = null;
    useToken(null);
    await load().catch(() => {});
    render();
    if (e instanceof KeyFileError) status("error", "key_bad", { why: e.message });
    else if (e instanceof KeyMismatch) status("error", "key_mismatch");
    else if (e instanceof NoEd25519) status("error", "no_ed25519");
    else if (e instanceof ApiError) status("error", "refused", { reason: e.message });
    else status("error", "error", { reason: e.message });
  }
}

async function signOut() {
  state.signer = null;
  drafts.drawing = false;
  drafts.points = [];
  sketch(state.map);
  compare.result = null;
  setData(state.map, "discrepancies", null);
  clearCompromise(state.map);
  useToken(null);
  state.popup?.remove();
  await load();
  render();
  status("ready", "ready");
}

// ---- start ----------------------------------------------------------------

async function start() {
  const saved = localStorage.getItem("terminus.language");
  setLanguage(saved ?? (navigator.language?.startsWith("ru") ? "ru" : "en"));
  const select = $("#language");
  select.replaceChildren(...Object.entries(LANGUAGES).map(([code, name]) => el("option", { value: code, selected: code === language() }, name)));
  select.addEventListener("change", () => {
    setLanguage(select.value);
    localStorage.setItem("terminus.language", select.value);
    state.popup?.remove();
    render();
    status(...state.status);
  });
  status("loading", "loading");
  // (Page-side timings for the benchmark, bench/web.sh: milliseconds from
  // navigation to this start, to the map loaded, to the landing and the
  // caller's data read, to the page ready; and to a key chosen.)
  const at = (what) => (document.body.dataset[what] = String(Math.round(performance.now())));
  at("startMs");
  // The commission, the map and what the caller may see, all at once.
  const [landing, map] = await Promise.all([
    api("/?f=json").then((l) => (at("landingMs"), l)),
    createMap($("#map")).then((m) => (at("mapMs"), m)),
    load().then(() => at("loadMs")),
  ]);
  state.commission = landing.commission;
  state.description = landing.description;
  state.map = map;
  // For the browser tests and the console: the map, to read, not to steer.
  window.terminusMap = state.map;
  addLayers(state.map);
  // Escape closes a popup, wherever the focus is.
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && state.popup) {
      state.popup.remove();
      state.popup = null;
    }
  });
  // Drawing by keyboard: Enter on the focused map adds a vertex at the
  // cross in its centre (arrow keys move the map under it).
  state.map.getCanvas().addEventListener("keydown", (e) => {
    if (e.key === "Enter" && addAtCentre({ state, rerender: renderView, status, refresh })) e.preventDefault();
  });
  // One click, one feature: the topmost of pillars, the agreed line,
  // proposals and sections, within a few pixels.
  state.map.on("click", (e) => {
    // Drawing a draft: the click is a vertex.
    if (onMapClick({ state, rerender: renderView, status, refresh }, e)) return;
    const { x, y } = e.point;
    const near = [
      [x - 4, y - 4],
      [x + 4, y + 4],
    ];
    const layers = ["pillars", "turning_points", "agreed_line", "proposals", "sections", "discrepancies"].filter((id) => state.map.getLayer(id) && state.map.getLayoutProperty(id, "visibility") !== "none");
    const hits = state.map.queryRenderedFeatures(near, { layers });
    hits.sort((a, b) => layers.indexOf(a.layer.id) - layers.indexOf(b.layer.id));
    if (hits.length) popupFor(hits[0], e.lngLat);
  });
  // Hovering a polygon between two lines: its area, width and who gains.
  let hover = null;
  state.map.on("mousemove", "discrepancies", (e) => {
    const f = e.features?.[0];
    if (!f) return;
    hover ??= new maplibregl.Popup({ closeButton: false, closeOnClick: false, className: "hover" });
    hover
      .setLngLat(e.lngLat)
      .setDOMContent(el("div", { class: "discrepancy" }, describeDiscrepancy(f.properties, language()).map((line) => el("div", {}, line))))
      .addTo(state.map);
  });
  state.map.on("mouseleave", "discrepancies", () => {
    hover?.remove();
    hover = null;
  });
  $("#key-file").addEventListener("change", (e) => {
    at("signInAtMs");
    const f = e.target.files?.[0];
    e.target.value = "";
    if (f) signIn(f);
  });
  $("#sign-out").addEventListener("click", signOut);
  // (The map takes the printed page's size, and back.)
  window.addEventListener("beforeprint", () => {
    printSheet();
    state.map.resize();
  });
  window.addEventListener("afterprint", () => state.map.resize());
  $("#print").addEventListener("click", async () => {
    await printSheet();
    window.print();
  });
  // (For the browser tests, which print by emulating the print medium.)
  window.terminusPrintSheet = printSheet;
  render();
  status("ready", "ready");
  at("readyMs");
}

start().catch((e) => status("error", "error", { reason: e.message }));
