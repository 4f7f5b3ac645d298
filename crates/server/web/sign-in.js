// Sign-in with the member's own key, which never leaves the browser.
//
// The key file (`terminus keys new`: {"member", "algorithm": "Ed25519",
// "secret": 32-byte seed hex, "public": hex}) is read here, imported into
// WebCrypto as a non-extractable Ed25519 key, and used to sign a token of
// exactly the form `terminus keys token` makes (terminus_ledger::token):
// `tmn1.<payload hex>.<signature hex>`, the payload being the RFC 8785
// canonical JSON {"commission", "expires", "member"} and the signature
// over "terminus-token\n" followed by the payload. The service checks it
// against the member's key as the record holds it now, as for any token.

const HEX = /^[0-9a-f]*$/;

export function hex(bytes) {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

function unhex(text, bytes, what) {
  if (typeof text !== "string" || text.length !== 2 * bytes || !HEX.test(text)) {
    throw new KeyFileError(`"${what}" must be ${bytes} bytes in lower-case hexadecimal`);
  }
  const out = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i++) out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return out;
}

function base64url(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export class KeyFileError extends Error {}
export class KeyMismatch extends Error {}
export class NoEd25519 extends Error {}

/**
 * The member and their signing key from a key file's text. The secret
 * and public halves are checked to belong together (a signature made with
 * one verifies with the other) before the key is used.
 */
export async function readKeyFile(text) {
  let file;
  try {
    file = JSON.parse(text);
  } catch (e) {
    throw new KeyFileError(`not JSON (${e.message})`);
  }
  if (file === null || typeof file !== "object") throw new KeyFileError("not a JSON object");
  if (typeof file.member !== "string" || file.member.length === 0 || file.member.length > 200) {
    throw new KeyFileError('"member" must be the member\'s identifier');
  }
  if (file.algorithm !== "Ed25519") throw new KeyFileError('"algorithm" must be "Ed25519"');
  const seed = unhex(file.secret, 32, "secret");
  const pub = unhex(file.public, 32, "public");
  let key, check;
  try {
    key = await crypto.subtle.importKey(
      "jwk",
      { kty: "OKP", crv: "Ed25519", d: base64url(seed), x: base64url(pub) },
      { name: "Ed25519" },
      false,
      ["sign"],
    );
    check = await crypto.subtle.importKey("raw", pub, { name: "Ed25519" }, false, ["verify"]);
  } catch (e) {
    if (!crypto.subtle || e.name === "NotSupportedError") throw new NoEd25519(e.message);
    throw new KeyMismatch(e.message);
  }
  seed.fill(0);
  const probe = new TextEncoder().encode("terminus key check");
  const sig = await crypto.subtle.sign("Ed25519", key, probe);
  if (!(await crypto.subtle.verify("Ed25519", check, sig, probe))) throw new KeyMismatch();
  return { member: file.member, key, public: file.public };
}

/** A token for `member` of `commission`, valid for `seconds`. */
export async function makeToken({ member, key }, commission, seconds = 8 * 3600) {
  const expires = Math.floor(Date.now() / 1000) + seconds;
  // RFC 8785: keys in code-unit order, strings as JSON.stringify writes
  // them, integers as integers; this object is written in that order.
  const payload = new TextEncoder().encode(JSON.stringify({ commission, expires, member }));
  const domain = new TextEncoder().encode("terminus-token\n");
  const signed = new Uint8Array(domain.length + payload.length);
  signed.set(domain);
  signed.set(payload, domain.length);
  const signature = await crypto.subtle.sign("Ed25519", key, signed);
  return `tmn1.${hex(payload)}.${hex(signature)}`;
}

/**
 * RFC 8785 canonical JSON of `v`: members sorted by UTF-16 code units,
 * no whitespace, strings and numbers as ECMAScript's JSON.stringify
 * writes them (which is what RFC 8785 prescribes). The bytes Terminus
 * signs (terminus_ledger::canonical) are these.
 */
export function canonical(v) {
  if (typeof v === "number" && !Number.isFinite(v)) throw new Error(`${v} cannot be signed: JSON has no such number`);
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(v[k])}`).join(",")}}`;
}

/** Sign `text` (UTF-8) with the member's key: the signature, hex. */
export async function sign({ key }, text) {
  return hex(await crypto.subtle.sign("Ed25519", key, new TextEncoder().encode(text)));
}

/** Now as the record states times: RFC 3339, UTC, whole seconds. */
export function now() {
  return new Date().toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * A draft signed by `signer` (terminus_ledger::draft::Draft): the author
 * signs the canonical {"author","body","commission","kind":"draft",
 * "party","time"}. The JSON to post to /api/drafts.
 */
export async function signDraft(signer, commission, party, body) {
  const time = now();
  const signed = canonical({ author: signer.member, body, commission, kind: "draft", party, time });
  const signature = await sign(signer, signed);
  return JSON.stringify({ party, author: signer.member, time, body, signature });
}

/**
 * An event of the record signed by `signer` (terminus_ledger::record::
 * Event): the author signs the canonical envelope of every field but the
 * signature, the body as its canonical text. `next`: {seq, prev} as
 * /api/tree-head gives them. The JSON text to post to /api/events, the
 * body written byte for byte as signed.
 */
export async function signEvent(signer, commission, next, kind, body) {
  const time = now();
  const bodyText = canonical(body);
  const s = JSON.stringify;
  const envelope = `{"author":${s(signer.member)},"body":${bodyText},"commission":${s(commission)},"kind":${s(kind)},"prev":${s(next.prev)},"seq":${next.seq},"time":${s(time)}}`;
  const signature = await sign(signer, envelope);
  return `{"seq":${next.seq},"commission":${s(commission)},"kind":${s(kind)},"author":${s(signer.member)},"time":${s(time)},"prev":${s(next.prev)},"body":${bodyText},"signature":${s(signature)}}`;
}
