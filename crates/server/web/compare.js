// The comparison view: lines chosen from the record (shared proposals,
// the party's drafts, the agreed line) or opened from files, compared by
// the service's compare workflow — the application layer's, the same
// `terminus compare` runs — and drawn: the polygons between the lines,
// filled by who gains if the first line is adopted; the summary table
// linked to the map; the summary and polygons to download.

import { t, language } from "./i18n.js";
import { api, feature } from "./api.js";
import { el, download, area, metres, checkList } from "./dom.js";
import { setData, setVisible, fitTo, extent, PARTY_COLOURS } from "./map.js";

/** What the view keeps between renders. */
export const compare = {
  files: [], // [{ name, geojson }]
  territories: {}, // party → geojson
  chosen: new Set(),
  tolerance: 100,
  result: null,
  running: false,
};

/** The request's line for a choice: the feature fetched whole when the
 * page holds it without its geometry. */
export async function lineInput(c) {
  if (!c.item) return c.input;
  return { ...c.input, geojson: await feature(c.item[0], c.item[1]) };
}

/** The lines on offer: the record's, the party's drafts, files opened. */
export function choices(data) {
  const out = [];
  for (const f of data.proposals?.features ?? []) {
    const p = f.properties;
    if (p.seq !== undefined && p.status === "shared") {
      const name = `#${p.seq} ${t(`kind_${p.kind}`)} · ${p.section} · ${p.party ?? p.author}`;
      out.push({ id: `event-${p.seq}`, name, input: { name, event: p.seq }, seq: p.seq, section: p.section });
    } else if (p.draft !== undefined) {
      const name = `${t("draft")} ${p.draft} · ${p.section} · ${p.author}`;
      out.push({ id: `draft-${p.draft}`, name, input: { name }, item: ["proposals", f.id] });
    }
  }
  for (const f of data.agreed_line?.features ?? []) {
    const name = `${t("status_agreed")} · ${f.properties.section}`;
    out.push({ id: `agreed-${f.properties.section}`, name, input: { name }, item: ["agreed_line", f.id] });
  }
  compare.files.forEach((file, i) => out.push({ id: `file-${i}`, name: file.name, input: { name: file.name, geojson: file.geojson } }));
  return out;
}

async function readJson(file) {
  try {
    return JSON.parse(await file.text());
  } catch (e) {
    throw new Error(t("file_not_json", { file: file.name, why: e.message }));
  }
}

/** Compare the lines chosen, through the service; `ctx` as the view's. */
export async function runCompare(ctx) {
  const offered = choices(ctx.state.data);
  const lines = await Promise.all(offered.filter((c) => compare.chosen.has(c.id)).map(lineInput));
  const parties = Object.entries(compare.territories).map(([name, geojson]) => ({ name, geojson }));
  compare.running = true;
  ctx.status("loading", "comparing");
  ctx.rerender();
  try {
    compare.result = await api("/api/workflows/compare", { lines, parties, tolerance_m: compare.tolerance });
    draw(ctx);
    ctx.status("ready", "ready");
  } catch (e) {
    compare.result = null;
    draw(ctx);
    ctx.status("error", "refused_compare", { reason: e.message });
  } finally {
    compare.running = false;
    ctx.rerender();
  }
}

/**
 * The proposal shared before event `seq` on the same section, as a
 * choice of the comparison (null when `seq` is no proposal or is the
 * section's first): what "the difference from the previous proposal"
 * compares it with.
 */
export function previousProposal(data, seq) {
  const offered = choices(data).filter((c) => c.seq !== undefined);
  const it = offered.find((c) => c.seq === seq);
  if (!it) return null;
  const before = offered.filter((c) => c.section === it.section && c.seq < seq).sort((a, b) => b.seq - a.seq);
  return before.length ? { previous: before[0], this: it } : null;
}

/** The view's elements; `ctx`: { state, rerender, status, map }. */
export function compareView(ctx) {
  const { state } = ctx;
  const offered = choices(state.data);
  const lang = language();
  const run = () => runCompare(ctx);
  const addFiles = async (e) => {
    for (const file of e.target.files) {
      try {
        // Named by the file's stem, as `terminus compare` names it.
        const stem = file.name.replace(/\.[^.]*$/, "") || file.name;
        compare.files.push({ name: stem, geojson: await readJson(file) });
        compare.chosen.add(`file-${compare.files.length - 1}`);
      } catch (err) {
        ctx.status("error", "error", { reason: err.message });
      }
    }
    e.target.value = "";
    ctx.rerender();
  };
  const addTerritory = (party) => async (e) => {
    const file = e.target.files?.[0];
    e.target.value = "";
    if (!file) return;
    try {
      compare.territories[party] = await readJson(file);
    } catch (err) {
      ctx.status("error", "error", { reason: err.message });
    }
    ctx.rerender();
  };
  const form = el(
    "div",
    { class: "compare-form" },
    el("h3", {}, t("compare_lines")),
    offered.length === 0 ? el("p", { class: "empty" }, t("compare_none")) : null,
    checkList("choices", offered.map((c) => ({ id: c.id, label: c.name })), compare.chosen, () => ctx.rerender()),
    el("label", { class: "button small" }, t("compare_add_file"), el("input", { id: "compare-file", type: "file", multiple: true, accept: ".geojson,.json,application/geo+json,application/json", onchange: addFiles })),
    el("h3", {}, t("compare_territories")),
    el(
      "ul",
      { class: "list" },
      state.parties.map((p) =>
        el(
          "li",
          {},
          el("label", { class: "button small" }, t("compare_territory_of", { party: p }), el("input", { type: "file", "data-party": p, accept: ".geojson,.json", onchange: addTerritory(p) })),
          compare.territories[p] ? el("span", { class: "ok" }, " ✓") : null,
        ),
      ),
    ),
    el(
      "label",
      {},
      t("compare_tolerance"),
      " ",
      el("input", {
        id: "compare-tolerance",
        type: "number",
        min: "0",
        step: "any",
        value: String(compare.tolerance),
        onchange: (e) => (compare.tolerance = Number(e.target.value)),
      }),
      " m",
    ),
    el("p", {}, el("button", { id: "compare-run", type: "button", disabled: compare.chosen.size < 2 || compare.running, onclick: run }, t("compare_run"))),
  );
  return [form, results(ctx, lang)];
}

function gainColours(result) {
  // Parties (territories given) take their colours in the page's order;
  // sides ("left of A") take the palette in order of appearance.
  const names = new Set();
  for (const p of result.summary.pairs) for (const k of Object.keys(p.gain_m2)) names.add(k);
  return [...names];
}

function draw(ctx) {
  const map = ctx.state.map;
  const r = compare.result;
  setData(map, "discrepancies", r?.layers.discrepancies);
  setVisible(map, "discrepancies", !!r);
  if (!r) return;
  const names = gainColours(r);
  const order = [...ctx.state.parties, ...names.filter((n) => !ctx.state.parties.includes(n))];
  const colour = order.length ? ["match", ["get", "party_by_a"]] : "#777777";
  if (order.length) {
    order.forEach((n, i) => colour.push(n, PARTY_COLOURS[i % PARTY_COLOURS.length]));
    colour.push("#777777");
  }
  map.setPaintProperty("discrepancies", "fill-color", colour);
  compare.colours = Object.fromEntries(order.map((n, i) => [n, PARTY_COLOURS[i % PARTY_COLOURS.length]]));
  const b = extent([r.layers.discrepancies]);
  if (b) fitTo(map, b);
}

function results(ctx, lang) {
  const r = compare.result;
  if (!r) return null;
  const rows = r.summary.pairs.map((p, i) =>
    el(
      "tbody",
      { class: "pair", dataset: { pair: i, count: p.discrepancy_count, areaM2: p.discrepancy_area_m2, a: p.a, b: p.b } },
      el("tr", {}, el("th", { colspan: "2" }, `${p.a} ↔ ${p.b}`)),
      el("tr", {}, el("td", {}, t("compare_agreed")), el("td", {}, `${(100 * p.agreed_share).toFixed(1)} %`)),
      el("tr", {}, el("td", {}, t("compare_count")), el("td", { class: "count" }, String(p.discrepancy_count))),
      el("tr", {}, el("td", {}, t("compare_area")), el("td", { class: "area" }, area(p.discrepancy_area_m2, lang))),
      el("tr", {}, el("td", {}, t("compare_widest")), el("td", {}, metres(p.max_width_m, lang))),
      Object.entries(p.gain_m2).map(([party, m2]) =>
        el(
          "tr",
          {},
          el("td", {}, el("span", { class: "swatch", style: `background:${compare.colours?.[party] ?? "#777"}` }), " ", t("compare_gain", { party, a: p.a })),
          el("td", {}, area(m2, lang)),
        ),
      ),
      p.one_source_count
        ? el("tr", {}, el("td", {}, t("compare_one_source")), el("td", {}, `${p.one_source_count} · ${area(p.one_source_area_m2, lang)}`))
        : null,
    ),
  );
  const largest = r.summary.pairs.flatMap((p) => p.largest.map((d) => ({ ...d, a: p.a, b: p.b })));
  return el(
    "div",
    { class: "compare-result" },
    el("h3", {}, t("compare_result")),
    el("table", { class: "summary" }, rows),
    el("h3", {}, t("compare_largest")),
    el(
      "ol",
      { class: "list largest" },
      largest.map((d) =>
        el(
          "li",
          {},
          el(
            "button",
            {
              class: "link",
              onclick: () => {
                const f = r.layers.discrepancies.features.find((f) => f.properties.id === d.id && f.properties.a === d.a && f.properties.b === d.b);
                if (f) fitTo(ctx.state.map, extent([{ features: [f] }]));
              },
            },
            `${area(d.area_m2, lang)} · ${metres(d.max_width_m, lang)}`,
          ),
          el("br"),
          el("small", {}, t("compare_gives", { a: d.a, pa: d.party_by_a, b: d.b, pb: d.party_by_b }), d.places.length ? ` · ${d.places.join(", ")}` : ""),
        ),
      ),
    ),
    el(
      "p",
      {},
      el("button", { type: "button", onclick: () => download("compare-summary.json", JSON.stringify(r.summary, null, 2)) }, t("compare_download_summary")),
      " ",
      el("button", { type: "button", onclick: () => download("discrepancies.geojson", JSON.stringify(r.layers.discrepancies), "application/geo+json") }, t("compare_download_polygons")),
      " ",
      el("button", { type: "button", onclick: () => download("provenance.json", JSON.stringify(r.provenance, null, 2)) }, t("compare_download_provenance")),
    ),
  );
}

/** The hover text of a polygon between the lines. */
export function describeDiscrepancy(p, lang) {
  return [
    area(p.area_m2, lang),
    `${t("compare_widest")}: ${metres(p.max_width_m, lang)}`,
    t("compare_gives", { a: p.a, pa: p.party_by_a, b: p.b, pb: p.party_by_b }),
    p.places ? p.places : null,
  ].filter(Boolean);
}
