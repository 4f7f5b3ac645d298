// A pillar's line of sight to the next pillar, drawn from the service's
// DEM (`/api/profile`: the application layer's, as the pillar plan
// decides `visible_next`): the ground along the geodesic, the sight line
// between the two pillars' tops, where it is blocked.

import { t, language } from "./i18n.js";
import { api } from "./api.js";
import { el, metres } from "./dom.js";

const NS = "http://www.w3.org/2000/svg";

function svg(tag, attrs = {}) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** The profile from `from` to `to` ([lat, lon]) as an element. */
export async function profileOf(from, to, label) {
  const lang = language();
  const q = `/api/profile?from=${from[0]},${from[1]}&to=${to[0]},${to[1]}`;
  let p;
  try {
    p = await api(q);
  } catch (e) {
    return el("p", { class: "profile-error" }, t("profile_refused", { reason: e.message }));
  }
  const rows = p.profile;
  const W = 320;
  const H = 120;
  const pad = 4;
  const d = rows[rows.length - 1][0] || 1;
  const zs = rows.flatMap((r) => [r[1], r[2]]);
  const lo = Math.min(...zs);
  const hi = Math.max(...zs);
  const span = hi - lo || 1;
  const x = (m) => pad + ((W - 2 * pad) * m) / d;
  const y = (z) => H - pad - ((H - 2 * pad) * (z - lo)) / span;
  const g = svg("svg", { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: "profile-plot", role: "img" });
  const ground = rows.map((r) => `${x(r[0]).toFixed(1)},${y(r[1]).toFixed(1)}`).join(" ");
  g.append(svg("polygon", { points: `${x(0)},${H - pad} ${ground} ${x(d)},${H - pad}`, fill: "#c9b99a", stroke: "#7a6a4f", "stroke-width": 1 }));
  const s = p.summary;
  g.append(
    svg("line", {
      x1: x(0),
      y1: y(rows[0][2]),
      x2: x(d),
      y2: y(rows[rows.length - 1][2]),
      stroke: s.visible ? "#009E73" : "#D55E00",
      "stroke-width": 2,
      "stroke-dasharray": s.visible ? "" : "5 3",
    }),
  );
  if (s.blocking) g.append(svg("circle", { cx: x(s.blocking.distance_m), cy: y(s.blocking.ground_m), r: 4, fill: "#D55E00" }));
  const title = svg("title");
  title.textContent = label;
  g.prepend(title);
  const verdict = s.visible
    ? s.min_clearance_m === null || s.min_clearance_m === undefined
      ? t("profile_visible_adjacent")
      : t("profile_visible", { clearance: metres(s.min_clearance_m, lang) })
    : t("profile_blocked", { at: metres(s.blocking?.distance_m ?? 0, lang) });
  return el(
    "figure",
    { class: "profile", dataset: { visible: String(s.visible), distance: String(s.distance_m) } },
    g,
    el(
      "figcaption",
      {},
      `${label}: ${metres(s.distance_m, lang)} · ${verdict}`,
      el("br"),
      el("small", {}, t("profile_basis", { dem: p.dem, h: p.heights_m[0], k: s.refraction, n: s.samples })),
    ),
  );
}
