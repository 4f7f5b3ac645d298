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
