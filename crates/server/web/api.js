// The service's API as the page calls it: JSON in and out, the member's
// token when signed in, the service's reason when it refuses.

let token = null;

export function setToken(t) {
  token = t;
}

export class ApiError extends Error {
  constructor(status, reason) {
    super(reason);
    this.status = status;
  }
}

/** GET `path` (or POST `body` as JSON); the answer's JSON. */
export async function api(path, body) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const init = { headers };
  if (body !== undefined) {
    init.method = "POST";
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const r = await fetch(path, init);
  const answer = await r.json().catch(() => ({}));
  if (!r.ok) throw new ApiError(r.status, answer.reason ?? r.statusText);
  return answer;
}

/** POST JSON text as it is (a signed draft or event: its bytes are what
 * was signed); the answer's JSON. */
export async function postText(path, text) {
  const headers = { Accept: "application/json", "Content-Type": "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(path, { method: "POST", headers, body: text });
  const answer = await r.json().catch(() => ({}));
  if (!r.ok) throw new ApiError(r.status, answer.reason ?? r.statusText);
  return answer;
}

const features = new Map();

/** Forget the features fetched: the record has moved on (a section's id
 * names its latest line, which a new proposal replaces). */
export function forgetFeatures() {
  features.clear();
}

/** The feature `id` of `collection` whole (with its exact geometry), asked
 * once per version of the record (`forgetFeatures` at every reload): the
 * map draws lines from tiles and lists them without their geometry. */
export async function feature(collection, id) {
  const key = `${token}|${collection}|${id}`;
  if (!features.has(key)) features.set(key, api(`/collections/${encodeURIComponent(collection)}/items/${encodeURIComponent(id)}`));
  return features.get(key);
}
