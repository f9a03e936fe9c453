// api.js - the one door to the HTTP API (docs/api.md): JSON in and out,
// the session token from sessionStorage, errors as ApiError.

const TOKEN_KEY = 'oncobank.token';
const USER_KEY = 'oncobank.user';

export class ApiError extends Error {
  constructor(status, body) {
    // {"error": {"code", "message", "field"}} (docs/api.md); a flat
    // {"error": "field: message", "field": ...} is read the same way.
    const e = body && typeof body.error === 'string' ? { message: body.error, field: body.field } : (body && body.error) || {};
    super(e.message || `request failed (HTTP ${status})`);
    this.status = status;
    this.code = e.code || String(status);
    this.field = e.field || null;
    this.retryAfter = e.retry_after || null;   // seconds, with a 429
    this.rows = (body && body.rows) || (e && e.rows) || null;
    // A shipment's refused items: [{barcode, reason}] (409).
    this.refusals = (body && body.refusals) || (e && e.refusals) || null;
  }
}

let onUnauthorized = () => {};
/** Sets what happens when any call answers 401 (the app returns to login). */
export function setUnauthorizedHandler(fn) { onUnauthorized = fn; }
/** Ends the session here (after a password change) and returns to login with msg. */
export function endSession(msg) { session.clear(); onUnauthorized(msg); }

export const session = {
  get token() { return sessionStorage.getItem(TOKEN_KEY); },
  get user() {
    try { return JSON.parse(sessionStorage.getItem(USER_KEY) || 'null'); } catch { return null; }
  },
  save(token, user) {
    sessionStorage.setItem(TOKEN_KEY, token);
    sessionStorage.setItem(USER_KEY, JSON.stringify(user || null));
  },
  clear() {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(USER_KEY);
  },
};

/** Builds "/api/x?a=1&b=2" from path and an object of query values (empty ones dropped). */
export function url(path, query) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, v);
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

/** Encodes one path segment (a barcode, a site code). */
export const seg = (s) => encodeURIComponent(String(s));

async function raw(method, path, { body, contentType, accept } = {}) {
  const headers = {};
  const token = session.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (accept) headers.Accept = accept;
  let payload;
  if (body !== undefined) {
    if (contentType) { headers['Content-Type'] = contentType; payload = body; }
    else { headers['Content-Type'] = 'application/json'; payload = JSON.stringify(body); }
  }
  let resp;
  try {
    resp = await fetch(path, { method, headers, body: payload });
  } catch (err) {
    throw new ApiError(0, { error: { code: 'network', message: 'The server cannot be reached. Check the network and try again.' } });
  }
  if (resp.status === 401 && path !== '/api/login') {
    session.clear();
    onUnauthorized('Your session has ended. Please log in again.');
  }
  return resp;
}

async function errorOf(resp) {
  let body = null;
  try { body = await resp.json(); } catch { /* not JSON */ }
  return new ApiError(resp.status, body);
}

/** Calls the API; resolves to the decoded JSON (or null for an empty body). */
export async function api(method, path, opts = {}) {
  const resp = await raw(method, path, opts);
  if (!resp.ok) throw await errorOf(resp);
  const text = await resp.text();
  if (!text) return null;
  try { return JSON.parse(text); } catch { return text; }
}

export const get = (path, query) => api('GET', url(path, query));
export const post = (path, body, opts) => api('POST', path, { body: body === undefined ? {} : body, ...opts });
export const patch = (path, body) => api('PATCH', path, { body });

/** Fetches a binary (a label) with the token; resolves to a Blob. */
export async function blob(path) {
  const resp = await raw('GET', path);
  if (!resp.ok) throw await errorOf(resp);
  return resp.blob();
}
