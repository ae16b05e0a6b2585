// The search page: the query box and its syntax help, date and sort controls, facets beside the
// results, results with highlighted query words and evidence, paging. The URL holds the whole
// state (`/search?q=…&label=…&channel=…&since=…&page=…`), so links can be shared and Back works.

import { api, labels as fetchLabels } from "./api.js";
import { t } from "./i18n.js";
import { h, append, highlighted, timeEl, num, sentimentBadge, riskBadge, labelTitles, link, customerLink, errorBox, replace } from "./dom.js";

export const PAGE_SIZE = 20;

const LISTS = ["label", "label_prefix", "channel", "customer", "sentiment"];
const SINGLES = ["q", "since", "until", "min_churn_risk", "sort"];

/** The search state held in a URL's query string. */
export function readState(query) {
  const state = { page: Math.max(1, parseInt(query.get("page") || "1", 10) || 1) };
  for (const key of SINGLES) state[key] = query.get(key) || "";
  for (const key of LISTS) state[key] = query.getAll(key).filter(Boolean);
  return state;
}

/** `/search?…` for a state (defaults left out). */
export function searchHref(state) {
  const params = new URLSearchParams();
  for (const key of SINGLES) if (state[key]) params.set(key, state[key]);
  for (const key of LISTS) for (const v of state[key] || []) params.append(key, v);
  if (state.page && state.page > 1) params.set("page", String(state.page));
  const qs = params.toString();
  return "/search" + (qs ? "?" + qs : "");
}

function blank() {
  const state = { page: 1 };
  for (const key of SINGLES) state[key] = "";
  for (const key of LISTS) state[key] = [];
  return state;
}

/** A copy of `state` changed by `change(copy)`, back on page 1. */
function changed(state, change) {
  const copy = JSON.parse(JSON.stringify(state));
  change(copy);
  copy.page = 1;
  return copy;
}

function toggle(list, value) {
  const i = list.indexOf(value);
  if (i >= 0) list.splice(i, 1);
  else list.push(value);
}

/** The `lang:xx` terms of a query (the language facet filters through the query). */
function langTerms(q) {
  return [...q.matchAll(/(?:^|\s)lang:(\S+)/g)].map((m) => m[1]);
}

function toggleLang(q, value) {
  if (langTerms(q).includes(value)) {
    return q
      .replace(new RegExp("(^|\\s)lang:" + value.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "(?=\\s|$)", "g"), " ")
      .replace(/\s+/g, " ")
      .trim();
  }
  return (q ? q + " " : "") + "lang:" + value;
}

const SYNTAX = [
  ["ביטול refund", "syntax_words"],
  ['"חיוב כפול"', "syntax_phrase"],
  ["ביטול OR ניתוק", "syntax_or"],
  ["refund AND late", "syntax_and"],
  ["NOT channel:survey -refund", "syntax_not"],
  ["(bill OR invoice) label:complaint.billing", "syntax_parens"],
  ["label:churn.cancel_intent", "syntax_label"],
  ["label:complaint.*", "syntax_label_prefix"],
  ["group:churn", "syntax_group"],
  ["channel:chat", "syntax_channel"],
  ["customer:C1000002", "syntax_customer"],
  ["agent:A1017", "syntax_agent"],
  ["lang:he", "syntax_lang"],
  ["sentiment:negative", "syntax_sentiment"],
  ["id:g11-13", "syntax_id"],
  ["date:2026-03-01..2026-03-31", "syntax_date"],
  ["date:2026-03-01..", "syntax_date_open"],
];

export async function render(root, ctx) {
  const state = readState(ctx.query);
  ctx.setTitle(state.q ? state.q + " – " + t("search_title") : t("search_title"));
  const go = (next) => ctx.navigate(searchHref(next), { focus: false });

  // The form.
  const qInput = h("input", {
    id: "q",
    name: "q",
    type: "search",
    dir: "auto",
    value: state.q,
    autocomplete: "off",
    spellcheck: "false",
    placeholder: t("search_placeholder"),
    "aria-describedby": "q-hint q-error",
  });
  const qError = h("p", { id: "q-error", class: "field-error", role: "alert" });
  const sinceInput = h("input", { id: "since", name: "since", type: "date", value: dateOnly(state.since), "aria-describedby": "since-error" });
  const untilInput = h("input", { id: "until", name: "until", type: "date", value: dateOnly(state.until), "aria-describedby": "until-error" });
  const sortSelect = h(
    "select",
    { id: "sort", name: "sort" },
    h("option", { value: "", text: t("sort_default") }),
    h("option", { value: "relevance", text: t("sort_relevance") }),
    h("option", { value: "time", text: t("sort_time") }),
  );
  sortSelect.value = state.sort;
  const example = (text) =>
    h("button", {
      type: "button",
      class: "example",
      dir: "auto",
      title: t("syntax_use"),
      text,
      onclick: () => {
        qInput.value = (qInput.value.trim() ? qInput.value.trim() + " " : "") + text;
        qInput.focus();
      },
    });
  const help = h(
    "details",
    { class: "syntax-help", id: "syntax-help" },
    h("summary", { text: t("syntax_title") }),
    h(
      "table",
      { class: "syntax" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: t("syntax_write") }), h("th", { scope: "col", text: t("syntax_finds") }))),
      h(
        "tbody",
        {},
        SYNTAX.map(([code, key]) => h("tr", {}, h("td", {}, example(code)), h("td", { text: t(key) }))),
      ),
    ),
    h("p", { class: "hint", text: t("syntax_hebrew") }),
  );
  const form = h(
    "form",
    {
      class: "search-form",
      role: "search",
      onsubmit: (event) => {
        event.preventDefault();
        go(
          changed(state, (s) => {
            s.q = qInput.value.trim();
            s.since = sinceInput.value;
            s.until = untilInput.value;
            s.sort = sortSelect.value;
          }),
        );
      },
    },
    h(
      "div",
      { class: "query-row" },
      h("label", { for: "q", class: "visually-hidden", text: t("search_label") }),
      qInput,
      h("button", { type: "submit", class: "primary", text: t("search_button") }),
    ),
    qError,
    h("p", { id: "q-hint", class: "hint", text: t("search_hint") }),
    help,
    h(
      "div",
      { class: "filter-row" },
      field("since", t("since_label"), sinceInput),
      field("until", t("until_label"), untilInput),
      field("sort", t("sort_label"), sortSelect),
      h("button", { type: "submit", text: t("apply") }),
    ),
  );
  // Changing the sort or a date applies at once.
  sortSelect.addEventListener("change", () => form.requestSubmit());

  const active = activeFilters(state, go);
  const facets = h("aside", { class: "facets", "aria-label": t("facets_label") }, h("p", { class: "loading", text: t("loading") }));
  const results = h("section", { class: "results", "aria-labelledby": "results-heading" }, h("p", { class: "loading", text: t("loading") }));
  append(root, h("h1", { tabindex: "-1", text: t("search_title") }), form, active, h("div", { class: "search-body" }, facets, results));

  const params = {
    q: state.q,
    label: state.label,
    label_prefix: state.label_prefix,
    channel: state.channel,
    customer: state.customer,
    sentiment: state.sentiment,
    since: state.since,
    until: state.until,
    min_churn_risk: state.min_churn_risk,
    sort: state.sort,
    limit: PAGE_SIZE,
    offset: (state.page - 1) * PAGE_SIZE,
  };
  let data;
  let titles = {};
  try {
    const [result, labelList] = await Promise.all([api("/api/search", { params }), fetchLabels().catch(() => [])]);
    data = result;
    titles = labelTitles(labelList);
  } catch (e) {
    if (!ctx.alive()) return;
    facets.replaceChildren();
    results.replaceChildren();
    showError(e, { q: [qInput, qError], since: [sinceInput], until: [untilInput] }, results);
    return;
  }
  if (!ctx.alive()) return;
  replace(facets, ...renderFacets(data.facets || {}, state, go, titles));
  replace(results, ...renderResults(data, state, go, titles));
}

function field(id, label, input) {
  return h("div", { class: "field" }, h("label", { for: id, text: label }), input, h("p", { id: id + "-error", class: "field-error", role: "alert" }));
}

function dateOnly(value) {
  return /^\d{4}-\d{2}-\d{2}/.test(value || "") ? value.slice(0, 10) : "";
}

/** Shows an API error next to the field it names, or above the results. */
function showError(error, fields, fallback) {
  const target = error.field && fields[error.field];
  if (target) {
    const [input, slot] = target;
    input.setAttribute("aria-invalid", "true");
    const where = slot || document.getElementById(input.id + "-error");
    where.textContent = error.column != null ? t("error_at_column", { column: error.column, message: error.message }) : error.message;
    if (error.field === "q" && error.column != null) {
      // Put the caret where the parser stopped (columns count characters from 1).
      const at = Math.max(0, Math.min(input.value.length, Number(error.column) - 1));
      input.focus();
      input.setSelectionRange(at, at);
    }
  } else {
    fallback.appendChild(errorBox(error));
  }
}

/** The chips of the filters in effect, each removable. */
function activeFilters(state, go) {
  const chips = [];
  const chip = (text, remove) =>
    h(
      "li",
      {},
      h(
        "button",
        { type: "button", class: "chip active-filter", "aria-label": t("remove_filter", { filter: text }), onclick: () => go(changed(state, remove)) },
        h("bdi", { text }),
        h("span", { "aria-hidden": "true", class: "x", text: "×" }),
      ),
    );
  for (const l of state.label) chips.push(chip(l, (s) => toggle(s.label, l)));
  for (const p of state.label_prefix) chips.push(chip(p + "*", (s) => toggle(s.label_prefix, p)));
  for (const c of state.channel) chips.push(chip(t("channel") + ": " + c, (s) => toggle(s.channel, c)));
  for (const c of state.customer) chips.push(chip(t("customer") + ": " + c, (s) => toggle(s.customer, c)));
  for (const v of state.sentiment) chips.push(chip(t("sentiment_" + v), (s) => toggle(s.sentiment, v)));
  if (state.since) chips.push(chip(t("since_label") + " " + state.since, (s) => (s.since = "")));
  if (state.until) chips.push(chip(t("until_label") + " " + state.until, (s) => (s.until = "")));
  if (state.min_churn_risk) chips.push(chip(t("churn_risk") + " ≥ " + state.min_churn_risk, (s) => (s.min_churn_risk = "")));
  if (chips.length === 0) return h("div", { class: "active-filters", hidden: true });
  return h(
    "div",
    { class: "active-filters" },
    h("span", { class: "muted", text: t("filters") + ":" }),
    h("ul", { class: "chips" }, chips),
    h("button", { type: "button", class: "link-button", text: t("clear_filters"), onclick: () => go({ ...blank(), q: state.q, sort: state.sort }) }),
  );
}

/** Facet groups: labels, groups, channels, sentiment, language. */
function renderFacets(facets, state, go, titles) {
  const groups = [
    ["labels", t("facet_labels"), (k) => state.label.includes(k), (k) => changed(state, (s) => toggle(s.label, k)), (k) => k],
    ["groups", t("facet_groups"), (k) => state.label_prefix.includes(k + "."), (k) => changed(state, (s) => toggle(s.label_prefix, k + ".")), (k) => k],
    ["channels", t("facet_channels"), (k) => state.channel.includes(k), (k) => changed(state, (s) => toggle(s.channel, k)), (k) => t("channel_" + k, {}, k)],
    ["sentiment", t("facet_sentiment"), (k) => state.sentiment.includes(k), (k) => changed(state, (s) => toggle(s.sentiment, k)), (k) => t("sentiment_" + k, {}, k)],
    ["lang", t("facet_lang"), (k) => langTerms(state.q).includes(k), (k) => changed(state, (s) => (s.q = toggleLang(s.q, k))), (k) => t("lang_" + k, {}, k)],
  ];
  const out = [h("h2", { class: "visually-hidden", text: t("facets_label") })];
  for (const [key, title, isOn, next, show] of groups) {
    const buckets = facets[key] || [];
    if (buckets.length === 0) continue;
    out.push(
      h(
        "section",
        { class: "facet", dataset: { facet: key } },
        h("h3", { text: title }),
        h(
          "ul",
          {},
          buckets.map((b) =>
            h(
              "li",
              {},
              h(
                "button",
                {
                  type: "button",
                  class: "facet-value",
                  "aria-pressed": isOn(b.key) ? "true" : "false",
                  dataset: { key: b.key },
                  title: titles[b.key] || null,
                  onclick: () => go(next(b.key)),
                },
                h("bdi", { class: "facet-key", text: show(b.key) }),
                h("span", { class: "count", text: num(b.count) }),
              ),
            ),
          ),
        ),
      ),
    );
  }
  return out;
}

function renderResults(data, state, go, titles) {
  const total = data.total || 0;
  const hits = data.hits || [];
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = (state.page - 1) * PAGE_SIZE + 1;
  const header = h(
    "h2",
    { id: "results-heading", class: "results-heading", "aria-live": "polite" },
    total === 0
      ? t("no_results")
      : hits.length === 0
        ? t("past_last_page", { total: num(total) })
        : t("results_range", { from: num(first), to: num(first + hits.length - 1), total: num(total) }),
  );
  const list = h(
    "ol",
    { class: "hits", start: String(first) },
    hits.map((hit) => h("li", {}, hitCard(hit, state, go, titles))),
  );
  const out = [header, list];
  if (pages > 1 || state.page > 1) out.push(pager(state, pages));
  return out;
}

/** One record: header line, label chips, the text with its highlights. */
export function hitCard(hit, state, go, titles, extra) {
  const labelChips = (hit.labels || []).map((l) =>
    h(
      "li",
      {},
      h(
        "button",
        {
          type: "button",
          class: "chip label-chip group-" + l.label.split(".")[0],
          dataset: { label: l.label },
          title: (titles[l.label] || l.label) + " · " + t("score") + " " + num(l.score, 2) + (state ? " · " + t("filter_by_label") : ""),
          "aria-pressed": state && state.label.includes(l.label) ? "true" : null,
          onclick: () => {
            if (go && state) go(changed(state, (s) => s.label.includes(l.label) || s.label.push(l.label)));
            else if (go) go({ ...blank(), label: [l.label] });
          },
        },
        h("bdi", { text: l.label }),
        " ",
        h("span", { class: "count", text: num(l.score, 2) }),
      ),
    ),
  );
  const text = h("p", { class: "text", dir: "auto", lang: hit.lang === "he" || hit.lang === "en" ? hit.lang : null }, highlighted(hit.text || "", hit.highlights || [], titles));
  return h(
    "article",
    { class: "hit", id: "rec-" + hit.id, dataset: { id: hit.id } },
    h(
      "header",
      { class: "hit-meta" },
      timeEl(hit.timestamp),
      hit.channel ? h("span", { class: "channel", text: t("channel_" + hit.channel, {}, hit.channel) }) : null,
      hit.customer_id ? customerLink(hit.customer_id) : null,
      hit.agent_id ? h("span", { class: "agent muted", dir: "auto", title: t("agent"), text: hit.agent_id }) : null,
      h("span", { class: "rec-id muted", dir: "auto", title: t("record_id"), text: hit.id }),
      sentimentBadge(hit.sentiment),
      riskBadge(hit.churn_risk),
      extra || null,
    ),
    labelChips.length ? h("ul", { class: "chips labels", "aria-label": t("labels") }, labelChips) : null,
    text,
  );
}

function pager(state, pages) {
  const at = (page) => searchHref({ ...state, page });
  return h(
    "nav",
    { class: "pager", "aria-label": t("pages_label") },
    state.page > 1 ? link(at(state.page - 1), { rel: "prev", class: "button", id: "prev-page", text: t("prev_page") }) : h("span", { class: "button disabled", "aria-disabled": "true", text: t("prev_page") }),
    h("span", { class: "page-of", text: t("page_of", { page: num(state.page), pages: num(pages) }) }),
    state.page < pages ? link(at(state.page + 1), { rel: "next", class: "button", id: "next-page", text: t("next_page") }) : h("span", { class: "button disabled", "aria-disabled": "true", text: t("next_page") }),
  );
}
