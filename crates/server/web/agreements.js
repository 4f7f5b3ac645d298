// Agreements signed in the page by the heads of delegation (and
// countersigned by the mediator): the terms of a section — its latest
// line, every coordinate written with 9 decimals (the text, not a float,
// is what is agreed), the basis, and the SHA-256 of the
// protocol-description's text — signed into the record as an `agreement`
// event (terminus_ledger::record::section_terms). A head of the other
// party co-signs the very terms already signed (copied from that event,
// byte for byte), never terms rebuilt. The record decides when a section
// is agreed: when the heads of both parties have signed the same terms.
//
// (Coordinates are written with JavaScript's toFixed, which rounds an
// exact tie at the tenth decimal up where Rust's formatting rounds it to
// even; exact ties need a coordinate that is a multiple of 2^-10 with an
// odd numerator, which no line drawn or computed gives in practice. The
// page shows the terms' hash before anything is signed.)

import { t } from "./i18n.js";
import { api, postText, feature } from "./api.js";
import { el } from "./dom.js";
import { canonical, hex, signEvent } from "./sign-in.js";

export const agreements = { open: null, basis: "", protocol: null, protocolName: "", busy: false, terms: null, sha: null };

async function sha256Hex(text) {
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

/** The terms of `section` over `line` ([lon, lat] pairs). */
export async function sectionTerms(section, line, basis, protocolText) {
  return {
    basis,
    crs: "EPSG:4326",
    decimals: 9,
    line: line.map(([x, y]) => [x.toFixed(9), y.toFixed(9)]),
    protocol_sha256: await sha256Hex(protocolText),
    section,
  };
}

/** The agreements signed on `section` since its last amendment, by terms. */
export async function pending(state, section) {
  const byTerms = new Map();
  for (const e of state.events) {
    const s = e.body?.section ?? e.body?.terms?.section;
    if (s !== section) continue;
    if (e.kind === "amendment") byTerms.clear();
    if (e.kind !== "agreement") continue;
    const sha = await sha256Hex(canonical(e.body.terms));
    const entry = byTerms.get(sha) ?? { sha, terms: e.body.terms, signers: [] };
    entry.signers.push(e.author);
    byTerms.set(sha, entry);
  }
  return [...byTerms.values()];
}

async function sign(ctx, terms) {
  const { state } = ctx;
  agreements.busy = true;
  ctx.status("loading", "signing");
  try {
    const head = await api("/api/tree-head");
    const text = await signEvent(state.signer, state.commission, head.next, "agreement", { terms });
    await postText("/api/events", text);
    agreements.open = null;
    await ctx.refresh();
    ctx.status("ready", "agreement_signed", { seq: head.next.seq });
  } catch (e) {
    ctx.status("error", "refused_agreement", { reason: e.message });
  } finally {
    agreements.busy = false;
    ctx.rerender();
  }
}

/**
 * What a section under negotiation offers the signed-in member: the
 * terms signed so far (co-sign them), or new terms to sign. Only heads
 * and the mediator sign agreements; the record refuses anyone else.
 */
export function agreementControls(ctx, s, signed) {
  const { state } = ctx;
  const you = state.you;
  if (!you?.may.append || !["head", "mediator"].includes(you.role) || s.status === "agreed") return null;
  const members = new Map((state.members ?? []).map((m) => [m.id, m]));
  const rows = signed.map((p) =>
    el(
      "div",
      { class: "terms", dataset: { sha: p.sha } },
      el("small", {}, t("terms_signed_by", { sha: p.sha.slice(0, 16), who: p.signers.map((m) => `${m} (${members.get(m)?.party ?? "?"})`).join(", ") })),
      p.signers.includes(you.member)
        ? null
        : el("p", {}, el("button", { type: "button", class: "small cosign", disabled: agreements.busy, onclick: () => sign(ctx, p.terms) }, t("cosign_terms"))),
    ),
  );
  const form =
    agreements.open === s.section
      ? el(
          "div",
          { class: "agreement-form" },
          el("label", { class: "block" }, t("agreement_basis"), " ", el("input", { id: "agreement-basis", value: agreements.basis, oninput: (e) => { agreements.basis = e.target.value; agreements.terms = null; } })),
          el(
            "label",
            { class: "button small" },
            agreements.protocolName ? t("agreement_protocol_read", { file: agreements.protocolName }) : t("agreement_protocol"),
            el("input", {
              id: "agreement-protocol",
              type: "file",
              accept: ".md,.txt,.html,text/*",
              onchange: async (e) => {
                const f = e.target.files?.[0];
                if (f) {
                  agreements.protocol = await f.text();
                  agreements.protocolName = f.name;
                  agreements.terms = null;
                }
                ctx.rerender();
              },
            }),
          ),
          // First the terms, shown; then, and only for those terms, the
          // signature.
          el(
            "p",
            {},
            el(
              "button",
              {
                id: "agreement-terms",
                type: "button",
                class: "small",
                disabled: agreements.busy || !agreements.basis.trim() || agreements.protocol === null,
                onclick: async () => {
                  const listed = state.data.sections?.features.find((x) => x.properties.section === s.section);
                  if (!listed) return;
                  // The section's latest line, exact (the page lists it
                  // without its geometry).
                  const f = await feature("sections", listed.id);
                  if (!f?.geometry) return;
                  agreements.terms = await sectionTerms(s.section, f.geometry.coordinates, agreements.basis.trim(), agreements.protocol);
                  agreements.sha = await sha256Hex(canonical(agreements.terms));
                  ctx.rerender();
                },
              },
              t("agreement_show_terms"),
            ),
          ),
          agreements.terms
            ? el(
                "div",
                { class: "terms-preview", dataset: { sha: agreements.sha } },
                el(
                  "small",
                  {},
                  t("agreement_terms_preview", {
                    n: agreements.terms.line.length,
                    first: agreements.terms.line[0].join(", "),
                    last: agreements.terms.line[agreements.terms.line.length - 1].join(", "),
                    protocol: agreements.terms.protocol_sha256.slice(0, 16),
                    sha: agreements.sha,
                  }),
                ),
                el(
                  "p",
                  {},
                  el("button", { id: "agreement-sign", type: "button", disabled: agreements.busy, onclick: () => sign(ctx, agreements.terms) }, t("agreement_sign")),
                ),
              )
            : null,
        )
      : el("p", {}, el("button", { type: "button", class: "small open-agreement", "data-section": s.section, onclick: () => { agreements.open = s.section; ctx.rerender(); } }, t("agreement_new")));
  return el("div", { class: "agreement" }, rows, form);
}
