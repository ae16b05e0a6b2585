// Small DOM helpers shared by the pages: element construction, highlighting by UTF-8 byte
// offsets, dates, numbers and label chips.

import { t, lang } from "./i18n.js";

/**
 * Creates an element. `attrs` keys: `class`, `text`, `html` is not supported on purpose (all text
 * goes in as text), `on*` for listeners, `dataset`, `style`, anything else as an attribute
 * (`false`/`null`/`undefined` leave it out, `true` sets it empty).
 */
export function h(tag, attrs, ...children) {
  const el = tag.startsWith("svg:")
    ? document.createElementNS("http://www.w3.org/2000/svg", tag.slice(4))
    : document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key === "class") el.setAttribute("class", value);
    else if (key === "text") el.textContent = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (value === true) el.setAttribute(key, "");
    else el.setAttribute(key, String(value));
  }
  append(el, ...children);
  return el;
}

/** Appends children: nodes, strings, numbers, arrays of them; null and false are skipped. */
export function append(parent, ...children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, ...child);
    else if (child instanceof Node) parent.appendChild(child);
    else parent.appendChild(document.createTextNode(String(child)));
  }
  return parent;
}

/** An SVG element. */
export function svg(tag, attrs, ...children) {
  return h("svg:" + tag, attrs, ...children);
}

/** Removes every child of `el` and appends `children`. */
export function replace(el, ...children) {
  el.replaceChildren();
  return append(el, ...children);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Renders `text` with highlights given as UTF-8 byte offsets (`{start, end, kind, label?}`, kind
 * `query` or `evidence`). Evidence spans become `<mark class="ev">` (overlapping evidence merges
 * into one mark that names every label); query spans become `<mark class="q">`, nested inside
 * evidence where they overlap it. Offsets off a character boundary or out of range are ignored.
 */
export function highlighted(text, highlights, titles = {}) {
  const bytes = encoder.encode(text);
  const valid = (highlights || []).filter(
    (s) =>
      Number.isInteger(s.start) &&
      Number.isInteger(s.end) &&
      s.start >= 0 &&
      s.end <= bytes.length &&
      s.start < s.end &&
      onBoundary(bytes, s.start) &&
      onBoundary(bytes, s.end),
  );
  // Outer layer: evidence spans, merged where they overlap.
  const evidence = valid
    .filter((s) => s.kind === "evidence")
    .sort((a, b) => a.start - b.start || b.end - a.end);
  const outer = [];
  for (const span of evidence) {
    const last = outer[outer.length - 1];
    if (last && span.start < last.end) {
      last.end = Math.max(last.end, span.end);
      if (span.label && !last.labels.includes(span.label)) last.labels.push(span.label);
    } else {
      outer.push({ start: span.start, end: span.end, labels: span.label ? [span.label] : [] });
    }
  }
  const queries = valid.filter((s) => s.kind === "query").sort((a, b) => a.start - b.start);
  const frag = document.createDocumentFragment();
  let pos = 0;
  const plain = (from, to, into) => {
    // Text between `from` and `to` with the query spans inside it marked.
    let at = from;
    for (const q of queries) {
      const s = Math.max(q.start, at);
      const e = Math.min(q.end, to);
      if (e <= s) continue;
      if (s > at) into.appendChild(document.createTextNode(slice(bytes, at, s)));
      into.appendChild(h("mark", { class: "q", text: slice(bytes, s, e) }));
      at = e;
    }
    if (to > at) into.appendChild(document.createTextNode(slice(bytes, at, to)));
  };
  for (const span of outer) {
    plain(pos, span.start, frag);
    const sentimentOnly = span.labels.length > 0 && span.labels.every((l) => l === "sentiment");
    const mark = h("mark", {
      class: sentimentOnly ? "ev ev-sentiment" : "ev",
      dataset: { labels: span.labels.join(" ") },
      title: span.labels.map((l) => titles[l] || l).join(" · ") || null,
    });
    plain(span.start, span.end, mark);
    frag.appendChild(mark);
    pos = span.end;
  }
  plain(pos, bytes.length, frag);
  return frag;
}

/** Evidence of labels (and sentiment) turned into highlight spans. */
export function evidenceHighlights(labels, sentiment) {
  const out = [];
  for (const l of labels || []) {
    for (const e of l.evidence || []) out.push({ start: e.start, end: e.end, kind: "evidence", label: l.label });
  }
  for (const e of (sentiment && sentiment.evidence) || []) {
    out.push({ start: e.start, end: e.end, kind: "evidence", label: "sentiment" });
  }
  return out;
}

function onBoundary(bytes, i) {
  return i === bytes.length || (bytes[i] & 0xc0) !== 0x80;
}

function slice(bytes, from, to) {
  return decoder.decode(bytes.subarray(from, to));
}

/** `2026-03-22 09:00` in UTC, the zone the index and the trends buckets use. */
export function formatTime(ts) {
  if (!ts) return t("no_time");
  const d = new Date(ts);
  if (Number.isNaN(d.getTime())) return ts;
  return d.toISOString().slice(0, 16).replace("T", " ");
}

/** A <time> element for an RFC 3339 timestamp. */
export function timeEl(ts) {
  return h("time", { dir: "ltr", datetime: ts || null, title: ts ? ts + " (UTC)" : null, text: formatTime(ts) });
}

/** A number in the interface language. */
export function num(n, digits) {
  if (n === null || n === undefined || Number.isNaN(n)) return "–";
  const opts = digits === undefined ? {} : { minimumFractionDigits: digits, maximumFractionDigits: digits };
  return new Intl.NumberFormat(lang() === "he" ? "he-IL" : "en-US", opts).format(n);
}

/** A share as a percentage. */
export function percent(x) {
  return new Intl.NumberFormat(lang() === "he" ? "he-IL" : "en-US", {
    style: "percent",
    maximumFractionDigits: 1,
  }).format(x);
}

/** The sentiment badge of a record. */
export function sentimentBadge(sentiment) {
  if (!sentiment) return null;
  const label = sentiment.label || "neutral";
  return h(
    "span",
    { class: "badge sentiment-" + label, title: t("sentiment_score") + " " + num(sentiment.score, 2) },
    t("sentiment_" + label),
    " ",
    h("bdi", { text: num(sentiment.score, 2) }),
  );
}

/** The churn-risk badge of a record. */
export function riskBadge(risk) {
  if (risk === null || risk === undefined) return null;
  const level = risk >= 0.7 ? "high" : risk >= 0.4 ? "mid" : "low";
  return h(
    "span",
    { class: "badge risk risk-" + level, title: t("churn_risk") },
    t("risk_short"),
    " ",
    h("bdi", { text: num(risk, 2) }),
  );
}

/** Descriptions of labels in the interface language, from `/api/labels`. */
export function labelTitles(labels) {
  const out = {};
  for (const l of labels || []) out[l.label] = (lang() === "he" ? l.he : l.en) || l.en || l.label;
  out.sentiment = out.sentiment || t("sentiment");
  return out;
}

/** A link that the router handles (no page load). */
export function link(href, attrs, ...children) {
  return h("a", { href, "data-link": true, ...attrs }, ...children);
}

/** A customer id as a link to the customer page. */
export function customerLink(id) {
  if (!id) return null;
  return link("/customer/" + encodeURIComponent(id), { class: "customer", dir: "auto" }, id);
}

/** An error box for a failed request. */
export function errorBox(error) {
  return h("div", { class: "error-box", role: "alert" }, h("strong", { text: t("error") + ": " }), h("span", { dir: "auto", text: error.message }));
}
