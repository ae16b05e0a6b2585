// The JSON API client: every request goes through `api()`, which adds the bearer token kept in
// sessionStorage, parses the `{"error": …}` body of a failure, and reports a 401 so that the token
// form is shown again.

const TOKEN_KEY = "kashev.token";

/** A failed request: HTTP status, message, and the field/column/problems the server named. */
export class ApiError extends Error {
  constructor(status, body, fallback) {
    const error = (body && body.error) || {};
    super(error.message || fallback || "HTTP " + status);
    this.status = status;
    this.field = error.field || null;
    this.column = error.column ?? null;
    this.problems = Array.isArray(error.problems) ? error.problems : [];
  }
}

/** The stored token, if any. */
export function token() {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** Stores (or with null, forgets) the token. */
export function setToken(value) {
  try {
    if (value) sessionStorage.setItem(TOKEN_KEY, value);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch {
    /* storage blocked: the token lives only as long as the page */
  }
}

/** Headers for a request to the API. */
function headers(extra) {
  const out = { Accept: "application/json", ...extra };
  const value = token();
  if (value) out.Authorization = "Bearer " + value;
  return out;
}

/**
 * Calls the API. `params` (an object of strings or arrays of strings, or URLSearchParams) become
 * the query string; `body` is sent as JSON. Resolves to the parsed JSON (null for an empty body),
 * rejects with an ApiError.
 */
export async function api(path, { method = "GET", params, body } = {}) {
  const url = withParams(path, params);
  const init = { method, headers: headers(body === undefined ? {} : { "Content-Type": "application/json" }) };
  if (body !== undefined) init.body = JSON.stringify(body);
  let res;
  try {
    res = await fetch(url, init);
  } catch (e) {
    throw new ApiError(0, null, e.message);
  }
  const text = await res.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (res.status === 401) {
    setToken(null);
    window.dispatchEvent(new CustomEvent("kashev:unauthorized"));
  }
  if (!res.ok) throw new ApiError(res.status, data, text.slice(0, 200));
  return data;
}

/** `path?params`. */
export function withParams(path, params) {
  if (!params) return path;
  const search = params instanceof URLSearchParams ? params : toParams(params);
  const qs = search.toString();
  return qs ? path + "?" + qs : path;
}

/** An object of strings or arrays as URLSearchParams, empty values left out. */
export function toParams(object) {
  const out = new URLSearchParams();
  for (const [key, value] of Object.entries(object)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== undefined && v !== null && v !== "") out.append(key, String(v));
    }
  }
  return out;
}

/**
 * Downloads `url` as a file. Without a token a plain navigation does it; with one, the request
 * needs the Authorization header, so the file is fetched and saved from a Blob.
 */
export async function download(url, filename) {
  if (!token()) {
    window.location.href = url;
    return;
  }
  const res = await fetch(url, { headers: headers({ Accept: "text/csv" }) });
  if (res.status === 401) {
    setToken(null);
    window.dispatchEvent(new CustomEvent("kashev:unauthorized"));
  }
  if (!res.ok) throw new ApiError(res.status, null, await res.text());
  const blob = await res.blob();
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

let labelsCache = null;

/** `/api/labels`, fetched once per page load. */
export function labels() {
  if (!labelsCache) {
    labelsCache = api("/api/labels")
      .then((d) => (d && d.labels) || [])
      .catch((e) => {
        labelsCache = null;
        throw e;
      });
  }
  return labelsCache;
}
