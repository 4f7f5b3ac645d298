// The compromise view: two claims (chosen as for a comparison: from the
// record, the party's drafts, the agreed line, or files opened), the
// service's median workflow in compromise mode — the application
// layer's, as `terminus median --compromise` — drawn with its turning
// points, their base points and tie lines, and the areas each party
// gains against each claim.

import { t, language } from "./i18n.js";
import { api } from "./api.js";
import { el, download, area, metres, checkList } from "./dom.js";
import { setData, setVisible, fitTo, extent } from "./map.js";
import { compare, choices, lineInput } from "./compare.js";

export const compromise = {
  chosen: new Set(),
  result: null,
  running: false,
};

function draw(ctx) {
  const map = ctx.state.map;
  const r = compromise.result;
  // The line, its turning points, and — from zoom 9 — each turning
  // point's base points on the two claims and the tie lines to them
  // (equidistance: a turning point's ties are equally long).
  for (const id of ["median", "turning_points", "base_points", "tie_lines"]) {
    setData(map, id, r?.layers[id]);
    setVisible(map, id, !!r);
  }
  const b = r && extent([r.layers.median]);
  if (b) fitTo(map, b);
}

/** Clear what the view drew (signing out). */
export function clearCompromise(map) {
  compromise.result = null;
  for (const id of ["median", "turning_points", "base_points", "tie_lines"]) setData(map, id, null);
}

export function compromiseView(ctx) {
  const { state } = ctx;
  const offered = choices(state.data);
  const lang = language();
  const run = async () => {
    const claims = await Promise.all(offered.filter((c) => compromise.chosen.has(c.id)).map(lineInput));
    const parties = Object.entries(compare.territories).map(([name, geojson]) => ({ name, geojson }));
    compromise.running = true;
    ctx.status("loading", "computing_compromise");
    ctx.rerender();
    try {
      compromise.result = await api("/api/workflows/median", { claims, parties, mode: "compromise" });
      draw(ctx);
      ctx.status("ready", "ready");
    } catch (e) {
      compromise.result = null;
      draw(ctx);
      ctx.status("error", "refused_compromise", { reason: e.message });
    } finally {
      compromise.running = false;
      ctx.rerender();
    }
  };
  const form = el(
    "div",
    { class: "compare-form" },
    el("h3", {}, t("compromise_claims")),
    offered.length === 0 ? el("p", { class: "empty" }, t("compromise_none")) : null,
    checkList("choices", offered.map((c) => ({ id: c.id, label: c.name })), compromise.chosen, () => ctx.rerender()),
    el("p", { class: "help" }, t("compromise_help")),
    el("p", {}, el("button", { id: "compromise-run", type: "button", disabled: compromise.chosen.size !== 2 || compromise.running, onclick: run }, t("compromise_run"))),
  );
  return [form, results(lang)];
}

function results(lang) {
  const r = compromise.result;
  if (!r) return null;
  const s = r.summary;
  const c = s.compromise ?? {};
  const pct = (x) => `${(100 * x).toFixed(2)} %`;
  const rows = [
    [t("compromise_length"), metres(s.length_m, lang), "length"],
    [t("compromise_lines"), String(c.line_count ?? s.lines.length), "lines"],
    ...Object.entries(c.coverage ?? {}).map(([claim, share]) => [t("compromise_coverage", { claim }), pct(share), `coverage-${claim}`]),
    [t("compromise_fallbacks"), String((c.fallbacks ?? []).length), "fallbacks"],
    [t("compromise_gaps"), String((c.gaps ?? []).length), "gaps"],
    [t("compromise_rings"), String((c.rings ?? []).length), "rings"],
  ];
  return el(
    "div",
    { class: "compromise-result" },
    el("h3", {}, t("compare_result")),
    el(
      "table",
      { class: "summary" },
      el(
        "tbody",
        {},
        rows.map(([k, v, key]) => el("tr", { dataset: { key } }, el("td", {}, k), el("td", {}, v))),
      ),
    ),
    el("h3", {}, t("compromise_gains")),
    el(
      "table",
      { class: "summary gains" },
      (c.gains ?? []).map((g) =>
        el(
          "tbody",
          { dataset: { claim: g.claim, areaM2: g.area_between_m2 } },
          el("tr", {}, el("th", { colspan: "2" }, t("compromise_against", { claim: g.claim }))),
          el("tr", {}, el("td", {}, t("compare_area")), el("td", {}, area(g.area_between_m2, lang))),
          Object.entries(g.gain_m2).map(([party, m2]) => el("tr", {}, el("td", {}, t("compromise_gain", { party, claim: g.claim })), el("td", {}, area(m2, lang)))),
        ),
      ),
    ),
    (c.fallbacks ?? []).length
      ? el(
          "ul",
          { class: "list fallbacks" },
          c.fallbacks.map((f) => el("li", {}, `${f.construction ?? f.kind ?? ""}: ${f.why ?? f.reason ?? ""} ${f.area_m2 ? `(${area(f.area_m2, lang)})` : ""}`)),
        )
      : null,
    el(
      "p",
      {},
      el("button", { type: "button", onclick: () => download("median.geojson", JSON.stringify(r.layers.median), "application/geo+json") }, t("compromise_download_line")),
      " ",
      el("button", { type: "button", onclick: () => download("turning_points.geojson", JSON.stringify(r.layers.turning_points), "application/geo+json") }, t("compromise_download_points")),
      " ",
      el("button", { type: "button", onclick: () => download("median-summary.json", JSON.stringify(r.summary, null, 2)) }, t("compare_download_summary")),
      " ",
      el("button", { type: "button", onclick: () => download("provenance.json", JSON.stringify(r.provenance, null, 2)) }, t("compare_download_provenance")),
    ),
  );
}
