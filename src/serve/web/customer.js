// The customer page: one customer's records across channels in time order, under a summary —
// contacts per channel, first and last contact, the churn-risk trajectory as a small SVG line,
// repeat contacts (the same complaint again within days) and the open churn signals.

import { api, labels as fetchLabels } from "./api.js";
import { t } from "./i18n.js";
import { h, svg, append, num, timeEl, formatTime, labelTitles, errorBox, replace } from "./dom.js";
import { hitCard, searchHref } from "./search.js";

/** The most records the API lists for one customer. */
const MAX_LIMIT = 1000;

export async function render(root, ctx) {
  const id = ctx.id;
  ctx.setTitle(t("customer_title", { id }));
  const heading = h("h1", { tabindex: "-1" }, t("customer_heading"), " ", h("bdi", { class: "customer-id", text: id }));
  const body = h("div", { class: "customer-body" }, h("p", { class: "loading", text: t("loading") }));
  append(root, heading, body);

  let data;
  let titles = {};
  try {
    const [result, labelList] = await Promise.all([
      api("/api/customers/" + encodeURIComponent(id), { params: { limit: ctx.query.get("limit") || "" } }),
      fetchLabels().catch(() => []),
    ]);
    data = result;
    titles = labelTitles(labelList);
  } catch (e) {
    if (!ctx.alive()) return;
    replace(body, e.status === 404 ? h("p", { class: "error-box", role: "alert", text: t("customer_not_found", { id }) }) : errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  const records = data.records || [];
  if (!data.total) {
    replace(body, h("p", { class: "muted", text: t("customer_not_found", { id }) }));
    return;
  }
  const shownIds = new Set(records.map((r) => r.id));
  // Which records repeat an earlier contact, and about what.
  const repeatsOf = new Map();
  for (const r of data.repeats || []) {
    if (!repeatsOf.has(r.repeat.id)) repeatsOf.set(r.repeat.id, []);
    repeatsOf.get(r.repeat.id).push(r);
  }
  const recLink = (rid, text) =>
    shownIds.has(rid)
      ? h("a", { href: "#rec-" + rid, class: "rec-link", dir: "auto", onclick: (event) => focusRecord(event, rid), text: text || rid })
      : h("span", { class: "muted", dir: "auto", title: t("not_shown"), text: text || rid });

  const channelFilter = new Set();
  const timeline = h("ol", { class: "timeline", "aria-label": t("timeline") });
  const applyChannels = () => {
    for (const li of timeline.children) li.hidden = channelFilter.size > 0 && !channelFilter.has(li.dataset.channel);
  };
  for (const r of records) {
    const repeats = repeatsOf.get(r.id) || [];
    const badges = repeats.map((rep) =>
      h(
        "span",
        { class: "badge repeat", title: t("repeat_of", { label: rep.label, id: rep.first.id }) },
        t("repeat_badge", { days: num(rep.gap_days, 1) }),
        " · ",
        h("bdi", { text: rep.label }),
      ),
    );
    const go = (s) => ctx.navigate(searchHref({ ...s, customer: [id] }));
    timeline.appendChild(
      h("li", { class: repeats.length ? "repeat-contact" : null, dataset: { channel: r.channel || "" } }, hitCard(r, null, go, titles, badges.length ? badges : null)),
    );
  }

  const channels = Object.entries(data.channels || {});
  const summary = h(
    "section",
    { class: "customer-summary card", "aria-label": t("summary") },
    h(
      "dl",
      { class: "facts" },
      fact(t("contacts"), t("contacts_value", { total: num(data.total), shown: num(data.shown ?? records.length) })),
      fact(t("first_contact"), timeEl(data.first_contact)),
      fact(t("last_contact"), timeEl(data.last_contact)),
    ),
    h("h2", { text: t("channels") }),
    h(
      "ul",
      { class: "chips", "aria-label": t("filter_timeline") },
      channels.map(([channel, count]) =>
        h(
          "li",
          {},
          h(
            "button",
            {
              type: "button",
              class: "chip",
              "aria-pressed": "false",
              title: t("filter_timeline"),
              onclick: (event) => {
                const on = !channelFilter.has(channel);
                if (on) channelFilter.add(channel);
                else channelFilter.delete(channel);
                event.currentTarget.setAttribute("aria-pressed", on ? "true" : "false");
                applyChannels();
              },
            },
            t("channel_" + channel, {}, channel),
            " ",
            h("span", { class: "count", text: num(count) }),
          ),
        ),
      ),
    ),
  );

  const trajectory = data.trajectory || {};
  const risk = h(
    "section",
    { class: "risk card", "aria-labelledby": "risk-heading" },
    h("h2", { id: "risk-heading" }, t("risk_trajectory"), " ", trajectory.rising ? h("span", { class: "badge risk-high", id: "risk-rising", text: t("rising") }) : null),
    h(
      "p",
      { class: "muted" },
      t("risk_numbers", { first: num(trajectory.first, 2), last: num(trajectory.last, 2), max: num(trajectory.max, 2) }),
    ),
    riskChart(trajectory.points || [], shownIds),
  );

  const repeats = data.repeats || [];
  const repeatSection = h(
    "section",
    { class: "repeats card", "aria-labelledby": "repeats-heading" },
    h("h2", { id: "repeats-heading", text: t("repeats_title", { days: num(data.repeat_days ?? 7) }) }),
    repeats.length === 0
      ? h("p", { class: "muted", text: t("no_repeats") })
      : h(
          "ul",
          { class: "repeat-list", tabindex: "0" },
          repeats.map((r) =>
            h(
              "li",
              {},
              h("bdi", { class: "label-name", title: titles[r.label] || null, text: r.label }),
              ": ",
              recLink(r.first.id, formatTime(r.first.timestamp)),
              " → ",
              recLink(r.repeat.id, formatTime(r.repeat.timestamp)),
              " ",
              h("span", { class: "muted", text: t("gap_days", { days: num(r.gap_days, 1) }) }),
            ),
          ),
        ),
  );

  const signals = data.open_signals || [];
  const signalSection = h(
    "section",
    { class: "signals card", "aria-labelledby": "signals-heading" },
    h("h2", { id: "signals-heading", text: t("open_signals") }),
    signals.length === 0
      ? h("p", { class: "muted", text: t("no_open_signals") })
      : h(
          "ul",
          { class: "signal-list" },
          signals.map((s) =>
            h(
              "li",
              {},
              h("bdi", { class: "label-name churn", title: titles[s.label] || null, text: s.label }),
              " ",
              h("span", { class: "muted", text: t("signal_detail", { records: num(s.records), score: num(s.max_score, 2) }) }),
              " ",
              recLink(s.last_id, formatTime(s.last_timestamp)),
            ),
          ),
        ),
  );

  const more =
    records.length < data.total
      ? h("p", { class: "muted" }, t("showing_latest", { shown: num(records.length), total: num(data.total) }), " ", h("a", { href: `/customer/${encodeURIComponent(id)}?limit=${Math.min(data.total, MAX_LIMIT)}`, "data-link": true, text: t("show_all") }))
      : null;
  replace(body, 
    h("div", { class: "customer-grid" }, summary, signalSection, repeatSection),
    risk,
    h("h2", { id: "timeline-heading", text: t("timeline") }),
    more,
    timeline,
  );
  if (window.location.hash) document.getElementById(window.location.hash.slice(1))?.scrollIntoView();
}

function fact(term, value) {
  return [h("dt", { text: term }), h("dd", {}, value)];
}

function focusRecord(event, id) {
  const el = document.getElementById("rec-" + id);
  if (!el) return;
  event.preventDefault();
  history.replaceState(null, "", "#rec-" + id);
  el.setAttribute("tabindex", "-1");
  el.scrollIntoView({ block: "center" });
  el.focus({ preventScroll: true });
  el.classList.add("flash");
  setTimeout(() => el.classList.remove("flash"), 1500);
}

/** The churn risk of each contact over time: a small line with a dot per record. */
function riskChart(points, shownIds) {
  const timed = points.filter((p) => p.timestamp);
  if (timed.length === 0) return h("p", { class: "muted", text: t("no_risk_points") });
  const W = 1000;
  const H = 150;
  const m = { left: 30, right: 10, top: 10, bottom: 22 };
  const times = timed.map((p) => Date.parse(p.timestamp));
  const t0 = Math.min(...times);
  const t1 = Math.max(...times);
  const x = (ts) => m.left + (t1 === t0 ? (W - m.left - m.right) / 2 : ((ts - t0) / (t1 - t0)) * (W - m.left - m.right));
  const y = (r) => m.top + (1 - r) * (H - m.top - m.bottom);
  const root = svg("svg", { class: "risk-chart", viewBox: `0 0 ${W} ${H}`, dir: "ltr", role: "img", "aria-label": t("risk_trajectory") });
  for (const v of [0, 0.5, 1]) {
    root.appendChild(svg("line", { class: "gridline", x1: m.left, x2: W - m.right, y1: y(v), y2: y(v) }));
    root.appendChild(svg("text", { class: "tick", x: m.left - 4, y: y(v) + 4, "text-anchor": "end" }, num(v, 1)));
  }
  root.appendChild(svg("rect", { class: "risk-zone", x: m.left, y: y(1), width: W - m.left - m.right, height: y(0.7) - y(1) }));
  root.appendChild(svg("text", { class: "tick", x: m.left, y: H - 6 }, formatTime(timed[0].timestamp).slice(0, 10)));
  root.appendChild(svg("text", { class: "tick", x: W - m.right, y: H - 6, "text-anchor": "end" }, formatTime(timed[timed.length - 1].timestamp).slice(0, 10)));
  root.appendChild(svg("polyline", { class: "risk-line", fill: "none", points: timed.map((p, i) => `${x(times[i]).toFixed(1)},${y(p.risk).toFixed(1)}`).join(" ") }));
  timed.forEach((p, i) => {
    const dot = svg(
      "circle",
      { class: "risk-pt" + (p.risk >= 0.7 ? " high" : ""), cx: x(times[i]).toFixed(1), cy: y(p.risk).toFixed(1), r: 3.2, dataset: { id: p.id } },
      svg("title", {}, `${formatTime(p.timestamp)} · ${p.id} · ${num(p.risk, 2)}`),
    );
    if (shownIds.has(p.id)) {
      dot.classList.add("linked");
      dot.addEventListener("click", (event) => focusRecord(event, p.id));
    }
    root.appendChild(dot);
  });
  return root;
}
