// The trends page: per label group (complaint, churn), counts of records per label over time as an
// SVG line chart with the spikes marked, or as a table; a point or a cell opens the records behind
// it in search; the same counts as CSV from the API.

import { api, download, withParams, labels as fetchLabels } from "./api.js";
import { t } from "./i18n.js";
import { h, svg, append, num, percent, link, errorBox, labelTitles, replace } from "./dom.js";
import { searchHref } from "./search.js";

const GROUPS = ["complaint", "churn"];
const INTERVALS = ["day", "week", "month"];
// Distinguishable on white, and in grey scale by dash pattern (see DASHES).
const COLORS = ["#1f6fd1", "#d1491f", "#2e8b57", "#8e44ad", "#b8860b", "#c2185b", "#00838f", "#5d4037", "#546e7a", "#6a1b9a", "#ef6c00", "#2e7d32", "#ad1457", "#283593", "#00695c", "#9e9d24"];
const DASHES = ["", "6 3", "2 3", "8 3 2 3"];

function readState(query) {
  const interval = query.get("interval");
  return {
    interval: INTERVALS.includes(interval) ? interval : "week",
    since: query.get("since") || "",
    until: query.get("until") || "",
    view: query.get("view") === "table" ? "table" : "chart",
  };
}

function trendsHref(state) {
  const params = new URLSearchParams();
  if (state.interval !== "week") params.set("interval", state.interval);
  if (state.since) params.set("since", state.since);
  if (state.until) params.set("until", state.until);
  if (state.view === "table") params.set("view", "table");
  const qs = params.toString();
  return "/trends" + (qs ? "?" + qs : "");
}

export async function render(root, ctx) {
  const state = readState(ctx.query);
  ctx.setTitle(t("trends_title"));
  const go = (next) => ctx.navigate(trendsHref(next), { focus: false });

  const intervalSelect = h("select", { id: "interval", name: "interval" }, INTERVALS.map((i) => h("option", { value: i, text: t("interval_" + i) })));
  intervalSelect.value = state.interval;
  const since = h("input", { id: "trends-since", type: "date", value: state.since.slice(0, 10), "aria-describedby": "trends-since-error" });
  const until = h("input", { id: "trends-until", type: "date", value: state.until.slice(0, 10), "aria-describedby": "trends-until-error" });
  const form = h(
    "form",
    {
      class: "filter-row trends-form",
      onsubmit: (event) => {
        event.preventDefault();
        go({ ...state, interval: intervalSelect.value, since: since.value, until: until.value });
      },
    },
    fieldBox("interval", t("interval_label"), intervalSelect),
    fieldBox("trends-since", t("since_label"), since),
    fieldBox("trends-until", t("until_label"), until),
    h("button", { type: "submit", text: t("apply") }),
  );
  intervalSelect.addEventListener("change", () => form.requestSubmit());
  const viewSwitch = h(
    "div",
    { class: "segmented", role: "group", "aria-label": t("view_label") },
    ["chart", "table"].map((v) =>
      h("button", {
        type: "button",
        "aria-pressed": state.view === v ? "true" : "false",
        id: "view-" + v,
        text: t("view_" + v),
        onclick: () => go({ ...state, view: v }),
      }),
    ),
  );
  const params = { by: "label", interval: state.interval, since: state.since, until: state.until };
  const csvUrl = withParams("/api/trends", { ...params, format: "csv" });
  const csv = h("a", {
    href: csvUrl,
    class: "button",
    id: "trends-csv",
    download: "kashev-trends-" + state.interval + ".csv",
    text: t("download_csv"),
    onclick: (event) => {
      event.preventDefault();
      download(csvUrl, "kashev-trends-" + state.interval + ".csv").catch((e) => body.prepend(errorBox(e)));
    },
  });
  const body = h("div", { class: "trends-body" }, h("p", { class: "loading", text: t("loading") }));
  append(root, h("h1", { tabindex: "-1", text: t("trends_title") }), h("div", { class: "toolbar" }, form, viewSwitch, csv), body);

  let data;
  let titles = {};
  try {
    const [result, labelList] = await Promise.all([api("/api/trends", { params }), fetchLabels().catch(() => [])]);
    data = result;
    titles = labelTitles(labelList);
  } catch (e) {
    if (!ctx.alive()) return;
    body.replaceChildren();
    if (e.field === "since" || e.field === "until") {
      const input = e.field === "since" ? since : until;
      input.setAttribute("aria-invalid", "true");
      document.getElementById(input.id + "-error").textContent = e.message;
    } else body.appendChild(errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  const model = buildModel(data);
  replace(body, 
    h("p", { class: "muted summary-line" }, t("trends_summary", { total: num(data.total || 0), buckets: num(model.buckets.length), interval: t("interval_" + state.interval) })),
    ...GROUPS.map((group) => groupSection(group, model, state, ctx, titles)),
  );
  // The evidence behind the spikes is slower to gather: fetch it after the counts are shown.
  if ((data.spikes || []).length > 0) {
    api("/api/trends", { params: { ...params, evidence: "true" } })
      .then((full) => {
        if (!ctx.alive()) return;
        for (const spike of full.spikes || []) {
          const slot = document.querySelector(`[data-spike-evidence="${CSS.escape(spike.key + "@" + spike.bucket)}"]`);
          if (slot && (spike.evidence || []).length) {
            replace(slot, 
              h("span", { class: "muted", text: t("spike_evidence") + ": " }),
              ...spike.evidence.map((e) => h("span", { class: "evidence-term", dir: "auto" }, h("bdi", { text: e.text }), " ", h("span", { class: "count", text: "×" + num(e.count) }))),
            );
          }
        }
      })
      .catch(() => {
        /* the counts stand without the evidence */
      });
  }
}

function fieldBox(id, label, input) {
  return h("div", { class: "field" }, h("label", { for: id, text: label }), input, h("p", { id: id + "-error", class: "field-error", role: "alert" }));
}

/** Buckets with their ends, and series and spikes split by group. */
function buildModel(data) {
  const buckets = data.buckets || [];
  const ends = buckets.map((_, i) => buckets[i + 1] || data.end || "");
  const series = {};
  const spikes = {};
  for (const g of GROUPS) {
    series[g] = (data.series || []).filter((s) => s.key.startsWith(g + "."));
    spikes[g] = (data.spikes || []).filter((s) => s.key.startsWith(g + "."));
  }
  return { buckets, ends, series, spikes };
}

/** The search URL for the records of `key` in bucket `i`. */
function bucketHref(model, key, i) {
  return searchHref({ label: [key], since: model.buckets[i], until: model.ends[i], sort: "time" });
}

function groupSection(group, model, state, ctx, titles) {
  const series = model.series[group];
  const spikes = model.spikes[group];
  const headingId = "trend-" + group;
  const section = h("section", { class: "trend-group", "aria-labelledby": headingId, dataset: { group } }, h("h2", { id: headingId, text: t("group_" + group) }));
  if (series.length === 0 || model.buckets.length === 0) {
    section.appendChild(h("p", { class: "muted", text: t("no_records_group") }));
    return section;
  }
  const colored = series.map((s, i) => ({ ...s, color: COLORS[i % COLORS.length], dash: DASHES[i % DASHES.length] }));
  if (state.view === "table") section.appendChild(table(model, colored, spikes, titles));
  else section.appendChild(chart(model, colored, spikes, ctx, titles));
  if (spikes.length) section.appendChild(spikeList(model, spikes, titles));
  return section;
}

/** The axis step: 1, 2 or 5 times a power of ten, whole numbers, four steps reaching `max`. */
function niceStep(max) {
  const raw = Math.max(1, max / 4);
  const p = Math.pow(10, Math.floor(Math.log10(raw)));
  for (const m of [1, 2, 5, 10]) if (m * p >= raw) return Math.max(1, m * p);
  return 10 * p;
}

/** Lines drawn at first: the largest series and every series with a spike; the legend adds the rest. */
const SHOWN_AT_FIRST = 6;

function chart(model, series, spikes, ctx, titles) {
  const W = 1000;
  const H = 300;
  const m = { left: 44, right: 16, top: 14, bottom: 40 };
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const n = model.buckets.length;
  const step = niceStep(Math.max(1, ...series.flatMap((s) => s.counts)));
  const max = step * 4;
  const x = (i) => m.left + (n === 1 ? pw / 2 : (i * pw) / (n - 1));
  const y = (v) => m.top + ph - (v / max) * ph;
  const spikeAt = new Set(spikes.map((s) => s.key + "@" + s.bucket));
  const spiking = new Set(spikes.map((s) => s.key));
  const visible = (s) => series.indexOf(s) < SHOWN_AT_FIRST || spiking.has(s.key);

  const root = svg("svg", {
    class: "chart",
    viewBox: `0 0 ${W} ${H}`,
    role: "group",
    dir: "ltr",
    "aria-label": t("chart_label", { group: t("group_" + series[0].key.split(".")[0]) }),
  });
  // Grid and axes.
  const grid = svg("g", { class: "grid", "aria-hidden": "true" });
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    grid.appendChild(svg("line", { x1: m.left, x2: W - m.right, y1: y(v), y2: y(v) }));
    grid.appendChild(svg("text", { x: m.left - 6, y: y(v) + 4, "text-anchor": "end", class: "tick" }, num(v)));
  }
  const every = Math.max(1, Math.ceil(n / 8));
  for (let i = 0; i < n; i += every) {
    grid.appendChild(svg("text", { x: x(i), y: H - m.bottom + 18, "text-anchor": "middle", class: "tick" }, axisDate(model.buckets, i, every)));
  }
  root.appendChild(grid);

  const open = (key, i) => ctx.navigate(bucketHref(model, key, i));
  for (const s of series) {
    const g = svg("g", { class: visible(s) ? "series" : "series hidden", dataset: { key: s.key } });
    const pts = s.counts.map((c, i) => `${x(i).toFixed(1)},${y(c).toFixed(1)}`).join(" ");
    g.appendChild(svg("polyline", { points: pts, fill: "none", stroke: s.color, "stroke-width": 1.8, "stroke-dasharray": s.dash || null, "aria-hidden": "true" }));
    s.counts.forEach((c, i) => {
      const isSpike = spikeAt.has(s.key + "@" + model.buckets[i]);
      const label = `${s.key} · ${model.buckets[i]} · ${num(c)}${isSpike ? " · " + t("spike") : ""}`;
      const point = svg(
        "circle",
        {
          cx: x(i).toFixed(1),
          cy: y(c).toFixed(1),
          r: isSpike ? 7 : 3,
          class: isSpike ? "pt spike" : "pt",
          fill: isSpike ? "#fff" : s.color,
          stroke: isSpike ? "#c62828" : "none",
          "stroke-width": isSpike ? 3 : 0,
          dataset: { key: s.key, bucket: model.buckets[i], count: String(c) },
          // Spikes are few: they get a tab stop; every cell is reachable from the table view.
          tabindex: isSpike ? "0" : null,
          role: isSpike ? "link" : null,
          "aria-label": isSpike ? label : null,
        },
        svg("title", {}, `${titles[s.key] ? titles[s.key] + "\n" : ""}${label}`),
      );
      point.addEventListener("click", () => open(s.key, i));
      point.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          open(s.key, i);
        }
      });
      g.appendChild(point);
    });
    root.appendChild(g);
  }
  // Spike markers above everything else.
  for (const el of root.querySelectorAll("circle.spike")) root.appendChild(el);

  const legend = h(
    "ul",
    { class: "legend", "aria-label": t("legend") },
    series.map((s) =>
      h(
        "li",
        {},
        h(
          "button",
          {
            type: "button",
            "aria-pressed": visible(s) ? "true" : "false",
            title: titles[s.key] || null,
            dataset: { key: s.key },
            onclick: (event) => {
              const button = event.currentTarget;
              const on = button.getAttribute("aria-pressed") !== "true";
              button.setAttribute("aria-pressed", on ? "true" : "false");
              root.querySelector(`g.series[data-key="${CSS.escape(s.key)}"]`).classList.toggle("hidden", !on);
            },
          },
          h("span", { class: "swatch", style: `background:${s.color}`, "aria-hidden": "true" }),
          h("bdi", { text: s.key.split(".").slice(1).join(".") }),
          " ",
          h("span", { class: "count", text: `${num(s.total)} · ${percent(s.share || 0)}` }),
        ),
      ),
    ),
  );
  return h("figure", { class: "chart-box" }, root, h("figcaption", {}, legend, h("p", { class: "hint", text: t("chart_hint") })));
}

/** An axis label: months as 2026-03; days and weeks as 03-22, with the year where it changes. */
function axisDate(buckets, i, every) {
  const b = buckets[i];
  if (b.length < 10) return b;
  if (b.endsWith("-01") && buckets.length > 1 && buckets[1].slice(8) === "01") return b.slice(0, 7);
  const prev = i >= every ? buckets[i - every] : null;
  return !prev || prev.slice(0, 4) !== b.slice(0, 4) ? b : b.slice(5);
}

function table(model, series, spikes, titles) {
  const spikeAt = new Set(spikes.map((s) => s.key + "@" + s.bucket));
  return h(
    "div",
    { class: "table-scroll", tabindex: "0", role: "region", "aria-label": t("view_table") },
    h(
      "table",
      { class: "counts" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          h("th", { scope: "col", text: t("bucket") }),
          series.map((s) => h("th", { scope: "col", title: titles[s.key] || null }, h("bdi", { text: s.key.split(".").slice(1).join(".") }))),
        ),
      ),
      h(
        "tbody",
        {},
        model.buckets.map((b, i) =>
          h(
            "tr",
            {},
            h("th", { scope: "row" }, h("time", { datetime: b, text: b })),
            series.map((s) => {
              const c = s.counts[i] || 0;
              const spike = spikeAt.has(s.key + "@" + b);
              return h(
                "td",
                { class: spike ? "spike" : c === 0 ? "zero" : null },
                c === 0 ? "0" : link(bucketHref(model, s.key, i), { title: `${s.key} · ${b}`, "aria-label": `${s.key} ${b}: ${c}${spike ? " " + t("spike") : ""}` }, num(c)),
                spike ? h("span", { class: "spike-mark", title: t("spike"), text: " !" }) : null,
              );
            }),
          ),
        ),
      ),
      h(
        "tfoot",
        {},
        h("tr", {}, h("th", { scope: "row", text: t("total") }), series.map((s) => h("td", { text: num(s.total) }))),
      ),
    ),
  );
}

function spikeList(model, spikes, titles) {
  return h(
    "div",
    { class: "spikes" },
    h("h3", { text: t("spikes_title") }),
    h(
      "ul",
      {},
      spikes.map((s) => {
        const i = model.buckets.indexOf(s.bucket);
        return h(
          "li",
          { class: "spike-item" },
          link(bucketHref(model, s.key, Math.max(0, i)), { class: "spike-link", title: titles[s.key] || null }, h("bdi", { text: s.key }), " · ", h("time", { datetime: s.bucket, text: s.bucket })),
          " ",
          h("span", { text: t("spike_detail", { count: num(s.count), baseline: num(s.baseline, 1), p: s.p_value < 0.0001 ? s.p_value.toExponential(1) : num(s.p_value, 4) }) }),
          h("div", { class: "spike-evidence", dataset: { spikeEvidence: s.key + "@" + s.bucket } }),
        );
      }),
    ),
  );
}
