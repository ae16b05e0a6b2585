// The explain page: paste a text and see how Kashev reads it — the tokens with their prefix
// readings, every lexicon entry that matched (with its file:line), the modifiers that applied, and
// the label, sentiment and churn-risk scores.

import { api, labels as fetchLabels } from "./api.js";
import { t } from "./i18n.js";
import { h, append, num, highlighted, evidenceHighlights, sentimentBadge, riskBadge, labelTitles, errorBox, replace } from "./dom.js";

const SAMPLE = "לק' פנה בפעם השלישית על חיוב כפול, מאיים לעבור לפרטנר";
let lastText = "";

export async function render(root, ctx) {
  ctx.setTitle(t("explain_title"));
  const text = h("textarea", { id: "explain-text", name: "text", dir: "auto", rows: "4", spellcheck: "false", "aria-describedby": "explain-hint explain-error", placeholder: SAMPLE });
  text.value = lastText;
  const langSelect = h(
    "select",
    { id: "explain-lang", name: "lang" },
    h("option", { value: "", text: t("lang_auto") }),
    h("option", { value: "he", text: t("lang_he") }),
    h("option", { value: "en", text: t("lang_en") }),
  );
  const error = h("p", { id: "explain-error", class: "field-error", role: "alert" });
  const out = h("div", { class: "explain-out", "aria-live": "polite" });
  const submit = async (event) => {
    event.preventDefault();
    const value = text.value;
    error.textContent = "";
    text.removeAttribute("aria-invalid");
    if (!value.trim()) {
      error.textContent = t("explain_empty");
      text.setAttribute("aria-invalid", "true");
      text.focus();
      return;
    }
    lastText = value;
    replace(out, h("p", { class: "loading", text: t("loading") }));
    try {
      const [data, labelList] = await Promise.all([
        api("/api/explain", { method: "POST", body: { text: value, lang: langSelect.value || null } }),
        fetchLabels().catch(() => []),
      ]);
      if (!ctx.alive()) return;
      replace(out, ...explanation(data, labelTitles(labelList)));
    } catch (e) {
      if (!ctx.alive()) return;
      out.replaceChildren();
      if (e.field === "text" || e.field === "lang") {
        error.textContent = e.message;
        (e.field === "text" ? text : langSelect).setAttribute("aria-invalid", "true");
      } else out.appendChild(errorBox(e));
    }
  };
  const form = h(
    "form",
    { class: "explain-form", onsubmit: submit },
    h("label", { for: "explain-text", text: t("explain_label") }),
    text,
    error,
    h("p", { id: "explain-hint", class: "hint", text: t("explain_hint") }),
    h(
      "div",
      { class: "filter-row" },
      h("div", { class: "field" }, h("label", { for: "explain-lang", text: t("lang_label") }), langSelect),
      h("button", { type: "submit", class: "primary", id: "explain-submit", text: t("explain_button") }),
      h("button", {
        type: "button",
        text: t("explain_sample"),
        onclick: () => {
          text.value = SAMPLE;
          text.focus();
        },
      }),
    ),
  );
  // Ctrl+Enter (or Cmd+Enter) explains; Enter alone is a new line in the text.
  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) form.requestSubmit();
  });
  append(root, h("h1", { tabindex: "-1", text: t("explain_title") }), form, out);
  if (lastText) form.requestSubmit();
}

function explanation(data, titles) {
  const ex = data.explanation || {};
  const cls = ex.classification || {};
  const labels = cls.labels || [];
  const scores = h(
    "section",
    { class: "card explain-scores", "aria-labelledby": "scores-heading" },
    h("h2", { id: "scores-heading", text: t("scores") }),
    h("div", { class: "hit-meta" }, sentimentBadge(cls.sentiment), riskBadge(cls.churn_risk), cls.lang ? h("span", { class: "muted", text: t("lang_" + cls.lang, {}, cls.lang) }) : null),
    h("p", { class: "text", dir: "auto" }, highlighted(data.text || "", evidenceHighlights(labels, cls.sentiment), titles)),
    h(
      "table",
      { class: "label-scores" },
      h("thead", {}, h("tr", {}, h("th", { scope: "col", text: t("label") }), h("th", { scope: "col", text: t("score_col") }), h("th", { scope: "col", text: t("evidence") }))),
      h(
        "tbody",
        {},
        (ex.all_labels || labels).map((l) =>
          h(
            "tr",
            { class: labels.some((x) => x.label === l.label) ? "assigned" : "below" },
            h("td", { title: titles[l.label] || null }, h("bdi", { text: l.label })),
            h("td", { class: "num" }, scoreBar(l.score)),
            h("td", {}, (l.evidence || []).map((e) => h("span", { class: "evidence-term", dir: "auto", text: e.text }))),
          ),
        ),
        h("tr", {}, h("td", { text: t("sentiment") }), h("td", { class: "num", text: num(cls.sentiment?.score, 3) }), h("td", { class: "muted", text: t("sentiment_sum", { sum: num(ex.sentiment_sum, 2) }) })),
      ),
    ),
    h("p", { class: "hint", text: t("label_threshold") }),
  );
  const hits = ex.hits || [];
  const entries = h(
    "section",
    { class: "card", "aria-labelledby": "hits-heading" },
    h("h2", { id: "hits-heading", text: t("matched_entries") }),
    hits.length === 0
      ? h("p", { class: "muted", text: t("no_entries") })
      : h(
          "table",
          { class: "hits-table" },
          h(
            "thead",
            {},
            h(
              "tr",
              {},
              ["label", "matched_text", "entry_phrase", "weight", "contribution", "modifiers", "lexicon_entry"].map((k) => h("th", { scope: "col", text: t(k) })),
            ),
          ),
          h(
            "tbody",
            {},
            hits.map((hit) =>
              h(
                "tr",
                { class: "group-" + hit.group },
                h("td", { title: titles[hit.label] || null }, h("bdi", { text: hit.label })),
                h("td", { dir: "auto" }, h("mark", { class: "ev", text: hit.evidence?.text || "" })),
                h("td", { dir: "auto", text: hit.phrase }),
                h("td", { class: "num", text: num(hit.weight, 2) }),
                h("td", { class: "num", text: num(hit.contribution, 2) }),
                h("td", {}, (hit.evidence?.modifiers || []).map((m) => h("span", { class: "badge modifier", title: t("modifier_" + m, {}, m), text: m }))),
                h("td", {}, h("code", { class: "entry", dir: "ltr", text: hit.evidence?.entry || "" })),
              ),
            ),
          ),
        ),
  );
  const tokens = data.tokens || [];
  const tokenSection = h(
    "section",
    { class: "card", "aria-labelledby": "tokens-heading" },
    h("h2", { id: "tokens-heading", text: t("tokens_title", { count: num(tokens.length) }) }),
    h(
      "div",
      { class: "table-scroll" },
      h(
        "table",
        { class: "tokens" },
        h("thead", {}, h("tr", {}, ["surface", "key", "kind", "read_as", "prefix", "flags", "offsets"].map((k) => h("th", { scope: "col", text: t("tok_" + k) })))),
        h(
          "tbody",
          {},
          tokens.map((tok) =>
            h(
              "tr",
              { class: tok.kind === "punct" ? "punct" : null },
              h("td", { dir: "auto" }, h("bdi", { text: tok.surface })),
              h("td", { dir: "auto" }, h("code", { text: tok.key })),
              h("td", { text: tok.kind }),
              h("td", { dir: "auto" }, tok.read_as ? h("code", { text: tok.read_as }) : null),
              h("td", { dir: "auto" }, tok.prefix ? h("span", { class: "prefix", title: t("prefix_help") }, h("bdi", { text: tok.prefix }), " + ", h("bdi", { text: tok.read_as || "" })) : null),
              h("td", {}, (tok.flags || []).map((f) => h("span", { class: "badge flag", text: f }))),
              h("td", { class: "num muted", dir: "ltr", text: `${tok.start}–${tok.end}` }),
            ),
          ),
        ),
      ),
    ),
  );
  return [scores, entries, tokenSection];
}

function scoreBar(score) {
  const pct = Math.max(0, Math.min(1, score || 0)) * 100;
  return h("span", { class: "score" }, h("span", { class: "bar", "aria-hidden": "true" }, h("span", { style: `inline-size:${pct.toFixed(0)}%` })), " ", num(score, 2));
}
