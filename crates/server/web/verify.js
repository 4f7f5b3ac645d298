// The record verified in the page, not taken on the service's word: every
// event's Ed25519 signature against its author's key as the record held
// it then (replaying the commission, member, rotate and revoke events),
// the chain of `prev` leaf hashes, every signed tree head's signature, and
// each event's inclusion in the tree a head signed (RFC 9162 §2.1.3.2:
// the root recomputed from the event's own leaf and the service's audit
// path). Leaves are SHA-256(0x00 ‖ canonical event), as
// terminus_ledger::merkle computes them; bodies are canonical (the record
// refuses any other), so the page rebuilds each event's bytes exactly.

import { canonical, hex } from "./sign-in.js";
import { api } from "./api.js";

const enc = new TextEncoder();

function unhex(h) {
  const out = new Uint8Array(h.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return out;
}

async function sha256(...parts) {
  const n = parts.reduce((s, p) => s + p.length, 0);
  const all = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return new Uint8Array(await crypto.subtle.digest("SHA-256", all));
}

/** The event's canonical bytes, with or without its signature. */
export function envelope(e, withSignature) {
  const s = JSON.stringify;
  const sig = withSignature ? `,"signature":${s(e.signature)}` : "";
  return `{"author":${s(e.author)},"body":${canonical(e.body)},"commission":${s(e.commission)},"kind":${s(e.kind)},"prev":${s(e.prev)},"seq":${e.seq}${sig},"time":${s(e.time)}}`;
}

export async function leafHash(e) {
  return sha256(new Uint8Array([0]), enc.encode(envelope(e, true)));
}

async function verifySignature(publicHex, bytes, signatureHex) {
  if (!/^[0-9a-f]{64}$/.test(publicHex ?? "") || !/^[0-9a-f]{128}$/.test(signatureHex ?? "")) return false;
  const key = await crypto.subtle.importKey("raw", unhex(publicHex), { name: "Ed25519" }, false, ["verify"]);
  return crypto.subtle.verify("Ed25519", key, unhex(signatureHex), bytes);
}

/** The root of a tree of `size` leaves from leaf `index`'s hash and its audit path. */
export async function rootFromPath(index, size, leaf, path) {
  if (index >= size) return null;
  let fn = index;
  let sn = size - 1;
  let r = leaf;
  for (const p of path.map(unhex)) {
    if (sn === 0) return null;
    if (fn % 2 === 1 || fn === sn) {
      r = await sha256(new Uint8Array([1]), p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = await sha256(new Uint8Array([1]), r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 ? hex(r) : null;
}

/**
 * Verify `events` (as /api/events serves them) and the signed heads;
 * `problems` names each failure by event. Resolves to
 * { events: [{seq, signature, chain, included}], heads: [...], problems }.
 */
export async function verifyRecord(events, commission) {
  const keys = new Map(); // member → public key now
  const ever = new Map(); // member → every key they held
  const problems = [];
  const out = [];
  let prevLeaf = "";
  const leaves = [];
  for (const e of events) {
    const r = { seq: e.seq, signature: false, chain: false, included: null };
    r.chain = e.prev === prevLeaf && e.commission === commission;
    if (!r.chain) problems.push(`#${e.seq}: its prev is not the leaf hash of #${e.seq - 1}`);
    // The founding event's members sign from the start, the founder too.
    if (e.kind === "commission" && e.seq === 0) {
      for (const m of e.body.members ?? []) {
        keys.set(m.id, m.public_key);
        ever.set(m.id, [m.public_key]);
      }
    }
    r.signature = await verifySignature(keys.get(e.author), enc.encode(envelope(e, false)), e.signature);
    if (!r.signature) problems.push(`#${e.seq}: the signature does not verify with ${e.author}'s key`);
    const m = e.body.member;
    if (e.kind === "member" && m) {
      keys.set(m.id, m.public_key);
      ever.set(m.id, [...(ever.get(m.id) ?? []), m.public_key]);
    } else if (e.kind === "rotate" && m) {
      keys.set(m.id, m.public_key);
      ever.set(m.id, [...(ever.get(m.id) ?? []), m.public_key]);
    } else if (e.kind === "revoke" && m) {
      keys.delete(m.id);
    }
    const leaf = await leafHash(e);
    leaves.push(leaf);
    prevLeaf = hex(leaf);
    out.push(r);
  }
  // Signed tree heads: each signature by a key its signer held, and every
  // event it covers included in its tree.
  const th = await api("/api/tree-head");
  const heads = [];
  for (const h of th.signed ?? []) {
    const bytes = enc.encode(canonical({ commission, root: h.root, size: h.size }));
    let ok = false;
    for (const k of ever.get(h.signer) ?? []) if (await verifySignature(k, bytes, h.signature)) ok = true;
    if (!ok) problems.push(`the tree head of ${h.size} events signed by ${h.signer} does not verify`);
    heads.push({ size: h.size, signer: h.signer, signature: ok });
  }
  // Inclusion: each event in the largest signed tree that covers it (or
  // the current tree when no head covers it yet: then only the service's
  // word for the root, said so).
  const largest = heads.filter((h) => h.signature).reduce((a, h) => (a && a.size >= h.size ? a : h), null);
  for (const r of out) {
    const size = largest && largest.size > r.seq ? largest.size : events.length;
    const p = await api(`/api/proofs/inclusion?seq=${r.seq}&size=${size}`);
    const root = await rootFromPath(r.seq, size, leaves[r.seq], p.path);
    const signedRoot = largest && largest.size === size ? (th.signed.find((h) => h.size === size && h.signer === largest.signer)?.root ?? null) : null;
    r.included = root !== null && root === (signedRoot ?? p.root);
    r.signed_head = signedRoot !== null;
    if (!r.included) problems.push(`#${r.seq}: not included in the tree of ${size} events`);
  }
  return { events: out, heads, problems };
}
