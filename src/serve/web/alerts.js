// The alerts page: the subscriptions (list, create, edit, delete — the server validates, and each
// problem is shown next to the field it names), the recent alerts with their evidence, and the
// delivery status from the state store.

import { api, labels as fetchLabels } from "./api.js";
import { t } from "./i18n.js";
import { h, append, num, timeEl, customerLink, highlighted, evidenceHighlights, labelTitles, errorBox, replace } from "./dom.js";

const KINDS = ["record", "window", "sequence", "channels", "spike"];
const DESTINATIONS = ["webhook", "file", "stdout", "email"];
const LANGUAGES = ["he", "en", "mixed", "und"];
const INTEGER_FIELDS = new Set(["rule.count", "rule.channels", "rule.min_count", "rule.history", "destination.timeout_ms", "destination.max_attempts"]);
const NUMBER_FIELDS = new Set(["rule.min_churn_risk", "min_churn_risk"]);
const LIST_FIELDS = new Set(["channels", "segment.values", "destination.to"]);

/**
 * The form's inputs: [field path, label key, kinds or destination types it belongs to (null: always),
 * input type, hint key]. The path is the key in the subscription JSON, and the `field` the server
 * names in a problem.
 */
const RULE_FIELDS = [
  ["rule.label", "f_label", ["record", "window", "spike"], "label"],
  ["rule.label_prefix", "f_label_prefix", ["record", "window"], "prefix"],
  ["rule.min_churn_risk", "f_min_churn_risk", ["record"], "number", "h_fraction"],
  ["rule.count", "f_count", ["window"], "integer"],
  ["rule.first", "f_first", ["sequence"], "label_or_prefix"],
  ["rule.then", "f_then", ["sequence"], "label_or_prefix"],
  ["rule.sentiment", "f_sentiment", ["channels"], "sentiment"],
  ["rule.channels", "f_channel_count", ["channels"], "integer"],
  ["rule.within", "f_within", ["window", "sequence", "channels"], "duration", "h_duration"],
  ["rule.interval", "f_interval", ["spike"], "interval"],
  ["rule.min_count", "f_min_count", ["spike"], "integer"],
  ["rule.history", "f_history", ["spike"], "integer"],
];
const DESTINATION_FIELDS = [
  ["destination.url", "f_url", ["webhook"], "text", "h_url"],
  ["destination.secret_env", "f_secret_env", ["webhook"], "text", "h_secret_env"],
  ["destination.slack", "f_slack", ["webhook"], "checkbox"],
  ["destination.timeout_ms", "f_timeout_ms", ["webhook"], "integer"],
  ["destination.path", "f_path", ["file"], "text"],
  ["destination.relay", "f_relay", ["email"], "text", "h_relay"],
  ["destination.from", "f_from", ["email"], "text"],
  ["destination.to", "f_to", ["email"], "text", "h_list"],
  ["destination.max_attempts", "f_max_attempts", ["webhook", "email"], "integer"],
];

export async function render(root, ctx) {
  ctx.setTitle(t("alerts_title"));
  const canAdmin = !ctx.me || !ctx.me.scopes || ctx.me.scopes.includes("admin");
  const subsBox = h("section", { class: "card", "aria-labelledby": "subs-heading" }, h("h2", { id: "subs-heading", text: t("subscriptions") }), h("p", { class: "loading", text: t("loading") }));
  const formBox = h("section", { class: "card sub-form-box", "aria-labelledby": "form-heading", hidden: true });
  const alertsBox = h("section", { class: "card", "aria-labelledby": "recent-heading" }, h("h2", { id: "recent-heading", text: t("recent_alerts") }), h("p", { class: "loading", text: t("loading") }));
  const statusBox = h("section", { class: "card", "aria-labelledby": "status-heading" }, h("h2", { id: "status-heading", text: t("delivery_status") }), h("p", { class: "loading", text: t("loading") }));
  append(root, h("h1", { tabindex: "-1", text: t("alerts_title") }), h("div", { class: "alerts-grid" }, h("div", {}, subsBox, formBox), h("div", {}, statusBox)), alertsBox);

  let titles = {};
  let labelList = [];
  try {
    labelList = await fetchLabels();
    titles = labelTitles(labelList);
  } catch {
    /* descriptions are a nicety */
  }
  if (!ctx.alive()) return;
  const state = { subs: [], titles, labelList, canAdmin, ctx, subsBox, formBox, alertsBox, statusBox, filter: ctx.query.get("subscription") || "" };
  await Promise.all([loadSubscriptions(state), loadAlerts(state), loadStatus(state)]);
}

async function loadSubscriptions(state) {
  const { subsBox, ctx } = state;
  let data;
  try {
    data = await api("/api/subscriptions");
  } catch (e) {
    if (!ctx.alive()) return;
    replace(subsBox, subsBox.firstChild, e.status === 503 ? h("p", { class: "notice", role: "status", text: t("no_subscriptions_file") }) : errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  state.subs = data.subscriptions || [];
  const rows = state.subs.map((s) =>
    h(
      "tr",
      { dataset: { name: s.name } },
      h("th", { scope: "row", dir: "auto", text: s.name }),
      h("td", { dir: "auto", text: s.describe?.rule || s.rule?.kind || "" }),
      h("td", { dir: "auto", class: "muted", text: s.describe?.filters || "" }),
      h("td", { dir: "auto", text: s.describe?.destination || s.destination?.type || "" }),
      h(
        "td",
        { class: "actions" },
        state.canAdmin ? h("button", { type: "button", class: "edit", text: t("edit"), "aria-label": t("edit_named", { name: s.name }), onclick: () => openForm(state, s) }) : null,
        state.canAdmin ? deleteButton(state, s) : null,
        h("a", { href: "/alerts?subscription=" + encodeURIComponent(s.name), "data-link": true, class: "button", text: t("its_alerts") }),
      ),
    ),
  );
  replace(subsBox, 
    subsBox.firstChild,
    data.file ? h("p", { class: "muted" }, t("subscriptions_file"), " ", h("code", { dir: "ltr", text: data.file })) : null,
    state.subs.length === 0
      ? h("p", { class: "muted", text: t("no_subscriptions") })
      : h(
          "div",
          { class: "table-scroll" },
          h(
            "table",
            { class: "subs" },
            h("thead", {}, h("tr", {}, ["sub_name", "sub_rule", "sub_filters", "sub_destination", "actions"].map((k) => h("th", { scope: "col", text: t(k) })))),
            h("tbody", {}, rows),
          ),
        ),
    state.canAdmin
      ? h("button", { type: "button", class: "primary", id: "new-subscription", text: t("new_subscription"), onclick: () => openForm(state, null) })
      : h("p", { class: "muted", text: t("admin_needed") }),
  );
}

/** Delete asks once more on the button itself (no modal dialog), then deletes. */
function deleteButton(state, sub) {
  let armed = false;
  let timer = null;
  const button = h("button", {
    type: "button",
    class: "danger",
    text: t("delete"),
    "aria-label": t("delete_named", { name: sub.name }),
    onclick: async () => {
      if (!armed) {
        armed = true;
        button.textContent = t("confirm_delete");
        button.setAttribute("aria-label", t("confirm_delete_named", { name: sub.name }));
        timer = setTimeout(() => {
          armed = false;
          button.textContent = t("delete");
          button.setAttribute("aria-label", t("delete_named", { name: sub.name }));
        }, 5000);
        return;
      }
      clearTimeout(timer);
      button.disabled = true;
      try {
        await api("/api/subscriptions/" + encodeURIComponent(sub.name), { method: "DELETE" });
        flash(state, t("deleted", { name: sub.name }));
        await loadSubscriptions(state);
      } catch (e) {
        button.disabled = false;
        state.subsBox.appendChild(errorBox(e));
      }
    },
  });
  return button;
}

function flash(state, message) {
  const banner = document.getElementById("banner");
  banner.textContent = message;
  banner.hidden = false;
  setTimeout(() => {
    banner.hidden = true;
  }, 4000);
}

/** Opens the create (sub = null) or edit form. */
function openForm(state, sub) {
  const { formBox, labelList } = state;
  const editing = sub ? sub.name : null;
  const inputs = new Map();
  const errors = new Map();
  const wrappers = [];

  const datalists = h(
    "div",
    { hidden: true },
    h("datalist", { id: "dl-labels" }, labelList.filter((l) => l.group !== "sentiment").map((l) => h("option", { value: l.label, label: l.en }))),
    h("datalist", { id: "dl-prefixes" }, ["complaint.", "churn.", ...labelList.filter((l) => l.group !== "sentiment").map((l) => l.label)].map((p) => h("option", { value: p }))),
  );

  const control = (path, type) => {
    const id = "sub-" + path.replace(/\./g, "-");
    const common = { id, name: path, dataset: { field: path }, "aria-describedby": id + "-error" };
    switch (type) {
      case "label":
        return h("input", { ...common, list: "dl-labels", dir: "ltr", autocomplete: "off", spellcheck: "false" });
      case "prefix":
      case "label_or_prefix":
        return h("input", { ...common, list: "dl-prefixes", dir: "ltr", autocomplete: "off", spellcheck: "false" });
      case "integer":
        return h("input", { ...common, inputmode: "numeric", dir: "ltr", autocomplete: "off", class: "short" });
      case "number":
        return h("input", { ...common, inputmode: "decimal", dir: "ltr", autocomplete: "off", class: "short" });
      case "duration":
        return h("input", { ...common, dir: "ltr", autocomplete: "off", placeholder: "14d", class: "short" });
      case "checkbox":
        return h("input", { ...common, type: "checkbox" });
      case "sentiment":
        return h("select", common, ["negative", "positive", "neutral"].map((s) => h("option", { value: s, text: t("sentiment_" + s) })));
      case "interval":
        return h("select", common, ["day", "week", "month"].map((s) => h("option", { value: s, text: t("interval_" + s) })));
      case "kind":
        return h("select", common, KINDS.map((k) => h("option", { value: k, text: t("kind_" + k) })));
      case "destination":
        return h("select", common, DESTINATIONS.map((k) => h("option", { value: k, text: t("dest_" + k) })));
      default:
        return h("input", { ...common, dir: "auto", autocomplete: "off", spellcheck: "false" });
    }
  };
  const row = (path, labelKey, type, hintKey, only) => {
    const input = control(path, type);
    const error = h("p", { id: input.id + "-error", class: "field-error", role: "alert", dataset: { errorFor: path } });
    inputs.set(path, input);
    errors.set(path, error);
    const label = h("label", { for: input.id, text: t(labelKey) });
    const wrapper =
      type === "checkbox"
        ? h("div", { class: "field check" }, input, label, error)
        : h("div", { class: "field" }, label, input, hintKey ? h("p", { class: "hint", text: t(hintKey) }) : null, error);
    if (only) wrappers.push([wrapper, only, path]);
    return wrapper;
  };

  const nameRow = row("name", "f_name", "text");
  const kindRow = row("rule.kind", "f_kind", "kind");
  const ruleRows = RULE_FIELDS.map(([p, l, only, type, hint]) => row(p, l, type, hint, only));
  const destRow = row("destination.type", "f_destination", "destination");
  const destRows = DESTINATION_FIELDS.map(([p, l, only, type, hint]) => row(p, l, type, hint, only));
  const languages = LANGUAGES.map((l) => h("label", { class: "check" }, h("input", { type: "checkbox", name: "languages", value: l, dataset: { field: "languages" } }), " ", t("lang_" + l)));
  const languagesError = h("p", { id: "sub-languages-error", class: "field-error", role: "alert", dataset: { errorFor: "languages" } });
  errors.set("languages", languagesError);
  const formError = h("div", { class: "form-error", role: "alert" });

  const kindSelect = inputs.get("rule.kind");
  const destSelect = inputs.get("destination.type");
  const syncVisibility = () => {
    for (const [wrapper, only, path] of wrappers) {
      const current = path.startsWith("rule.") ? kindSelect.value : destSelect.value;
      wrapper.hidden = !only.includes(current);
    }
  };
  kindSelect.addEventListener("change", syncVisibility);
  destSelect.addEventListener("change", syncVisibility);

  const form = h(
    "form",
    { class: "sub-form", novalidate: true },
    datalists,
    nameRow,
    h("fieldset", {}, h("legend", { text: t("rule") }), kindRow, h("p", { class: "hint", text: t("h_kinds") }), ruleRows),
    h(
      "fieldset",
      {},
      h("legend", { text: t("filters_optional") }),
      row("channels", "f_channels", "text", "h_list"),
      h("div", { class: "field", role: "group", "aria-labelledby": "sub-languages-label" }, h("span", { id: "sub-languages-label", class: "label", text: t("f_languages") }), h("div", { class: "checks" }, languages), languagesError),
      row("label_prefix", "f_label_prefix", "prefix"),
      row("min_churn_risk", "f_min_churn_risk", "number", "h_fraction"),
      row("segment.field", "f_segment_field", "text", "h_segment"),
      row("segment.values", "f_segment_values", "text", "h_list"),
    ),
    h("fieldset", {}, h("legend", { text: t("destination") }), destRow, destRows),
    h("fieldset", {}, h("legend", { text: t("timing") }), row("cooldown", "f_cooldown", "duration", "h_cooldown"), row("digest", "f_digest", "duration", "h_digest")),
    formError,
    h(
      "div",
      { class: "form-actions" },
      h("button", { type: "submit", class: "primary", id: "save-subscription", text: editing ? t("save_changes") : t("create") }),
      h("button", {
        type: "button",
        text: t("cancel"),
        onclick: () => {
          formBox.hidden = true;
          formBox.replaceChildren();
          document.getElementById("new-subscription")?.focus();
        },
      }),
    ),
  );
  inputs.get("cooldown").placeholder = "24h";
  inputs.get("digest").placeholder = "1h";
  if (sub) fill(sub, inputs, form);
  syncVisibility();

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors(form, errors, formError);
    const body = collect(inputs, form);
    if (!body.name) {
      showProblems([{ field: "name", message: t("name_required") }], errors, inputs, formError);
      return;
    }
    const save = form.querySelector("#save-subscription");
    save.disabled = true;
    try {
      if (editing) await api("/api/subscriptions/" + encodeURIComponent(editing), { method: "PUT", body });
      else await api("/api/subscriptions", { method: "POST", body });
    } catch (e) {
      save.disabled = false;
      if (e.status === 422 && e.problems.length) showProblems(e.problems, errors, inputs, formError);
      else if (e.status === 409) showProblems([{ field: "name", message: e.message || t("name_taken") }], errors, inputs, formError);
      else if (e.field) showProblems([{ field: e.field, message: e.message }], errors, inputs, formError);
      else replace(formError, errorBox(e));
      return;
    }
    formBox.hidden = true;
    formBox.replaceChildren();
    flash(state, editing ? t("saved", { name: body.name }) : t("created", { name: body.name }));
    await loadSubscriptions(state);
    document.querySelector(`tr[data-name="${CSS.escape(body.name)}"] th`)?.scrollIntoView({ block: "nearest" });
  });

  replace(formBox, h("h2", { id: "form-heading", text: editing ? t("edit_subscription", { name: editing }) : t("new_subscription") }), form);
  formBox.hidden = false;
  inputs.get("name").focus();
}

function clearErrors(form, errors, formError) {
  for (const el of errors.values()) el.textContent = "";
  for (const el of form.querySelectorAll("[aria-invalid]")) el.removeAttribute("aria-invalid");
  formError.replaceChildren();
}

/**
 * Puts each problem next to its field: the exact path, else the longest known path it starts with
 * (`destination.to[1]` → `destination.to`, `rule` → the rule kind), else above the buttons.
 */
function showProblems(problems, errors, inputs, formError) {
  const general = [];
  let first = null;
  for (const p of problems) {
    const path = resolveField(p.field || "", errors);
    if (!path) {
      general.push(p);
      continue;
    }
    const slot = errors.get(path);
    slot.textContent = slot.textContent ? slot.textContent + " " + p.message : p.message;
    const input = inputs.get(path) || document.querySelector(`[data-field="${CSS.escape(path)}"]`);
    if (input) {
      input.setAttribute("aria-invalid", "true");
      const wrapper = input.closest(".field");
      if (wrapper) wrapper.hidden = false;
      first = first || input;
    }
  }
  if (general.length) {
    replace(formError, h("ul", {}, general.map((p) => h("li", { dir: "auto" }, p.field ? h("code", { dir: "ltr", text: p.field + ": " }) : null, p.message))));
    first = first || formError;
  }
  if (first) first.focus();
}

function resolveField(field, errors) {
  if (!field) return null;
  if (errors.has(field)) return field;
  let best = null;
  for (const path of errors.keys()) {
    if ((field.startsWith(path + ".") || field.startsWith(path + "[")) && (!best || path.length > best.length)) best = path;
  }
  if (best) return best;
  if (field === "rule") return "rule.kind";
  if (field === "destination") return "destination.type";
  if (field === "segment") return "segment.field";
  return null;
}

/** The subscription JSON from the form: only what was filled in, for the visible kind and type. */
function collect(inputs, form) {
  const kind = inputs.get("rule.kind").value;
  const type = inputs.get("destination.type").value;
  const value = (path) => {
    const input = inputs.get(path);
    if (input.type === "checkbox") return input.checked ? true : undefined;
    const raw = input.value.trim();
    if (!raw) return undefined;
    if (LIST_FIELDS.has(path)) return raw.split(",").map((s) => s.trim()).filter(Boolean);
    if (INTEGER_FIELDS.has(path) && /^\d+$/.test(raw)) return parseInt(raw, 10);
    if (NUMBER_FIELDS.has(path) && /^-?\d*\.?\d+$/.test(raw)) return parseFloat(raw);
    // Anything else goes as written, and the server says what is wrong with it.
    return raw;
  };
  const body = { name: value("name") || "" };
  const rule = { kind };
  for (const [path, , only] of RULE_FIELDS) {
    if (!only.includes(kind)) continue;
    const v = value(path);
    if (v !== undefined) rule[path.slice(5)] = v;
  }
  body.rule = rule;
  const channels = value("channels");
  if (channels) body.channels = channels;
  const languages = [...form.querySelectorAll('input[name="languages"]:checked')].map((i) => i.value);
  if (languages.length) body.languages = languages;
  const prefix = value("label_prefix");
  if (prefix !== undefined) body.label_prefix = prefix;
  const risk = value("min_churn_risk");
  if (risk !== undefined) body.min_churn_risk = risk;
  const segField = value("segment.field");
  const segValues = value("segment.values");
  if (segField !== undefined || segValues !== undefined) body.segment = { field: segField ?? "", values: segValues ?? [] };
  const destination = { type };
  for (const [path, , only] of DESTINATION_FIELDS) {
    if (!only.includes(type)) continue;
    const v = value(path);
    if (v !== undefined) destination[path.slice(12)] = v;
  }
  body.destination = destination;
  const cooldown = value("cooldown");
  if (cooldown !== undefined) body.cooldown = cooldown;
  const digest = value("digest");
  if (digest !== undefined) body.digest = digest;
  return body;
}

/** Fills the form from a subscription as the API lists it. */
function fill(sub, inputs, form) {
  const set = (path, v) => {
    const input = inputs.get(path);
    if (!input || v === undefined || v === null) return;
    if (input.type === "checkbox") input.checked = Boolean(v);
    else input.value = Array.isArray(v) ? v.join(", ") : String(v);
  };
  set("name", sub.name);
  set("rule.kind", sub.rule?.kind);
  for (const [path] of RULE_FIELDS) set(path, sub.rule?.[path.slice(5)]);
  set("channels", sub.channels);
  for (const box of form.querySelectorAll('input[name="languages"]')) box.checked = (sub.languages || []).includes(box.value);
  set("label_prefix", sub.label_prefix);
  set("min_churn_risk", sub.min_churn_risk);
  set("segment.field", sub.segment?.field);
  set("segment.values", sub.segment?.values);
  set("destination.type", sub.destination?.type);
  for (const [path] of DESTINATION_FIELDS) set(path, sub.destination?.[path.slice(12)]);
  set("cooldown", sub.cooldown);
  set("digest", sub.digest);
}

async function loadAlerts(state) {
  const { alertsBox, ctx, titles } = state;
  let data;
  try {
    data = await api("/api/alerts", { params: { limit: 50, subscription: state.filter } });
  } catch (e) {
    if (!ctx.alive()) return;
    replace(alertsBox, alertsBox.firstChild, e.status === 503 ? h("p", { class: "notice", text: t("no_state") }) : errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  const alerts = data.alerts || [];
  const filterNote = state.filter
    ? h("p", {}, t("only_subscription", { name: state.filter }), " ", h("a", { href: "/alerts", "data-link": true, text: t("show_all_alerts") }))
    : null;
  replace(alertsBox, 
    alertsBox.firstChild,
    filterNote,
    alerts.length === 0
      ? h("p", { class: "muted", text: t("no_alerts") })
      : h(
          "ol",
          { class: "alert-list" },
          alerts.map((a) => {
            const records = a.payload?.records || [];
            return h(
              "li",
              { class: "alert-item", dataset: { alertId: a.alert_id } },
              h(
                "details",
                {},
                h(
                  "summary",
                  {},
                  timeEl(a.first_seen),
                  " ",
                  h("strong", { dir: "auto", text: a.subscription }),
                  " · ",
                  h("span", { dir: "auto", text: a.rule }),
                  a.customer_id ? [" · ", h("bdi", { text: a.customer_id })] : null,
                  a.updates ? h("span", { class: "badge muted", text: t("updates", { n: num(a.updates) }) }) : null,
                ),
                h(
                  "div",
                  { class: "alert-detail" },
                  h("p", { class: "muted" }, t("last_seen"), " ", timeEl(a.last_seen), a.customer_id ? [" · ", customerLink(a.customer_id)] : null, a.payload?.churn_risk != null ? [" · ", t("churn_risk"), " ", num(a.payload.churn_risk, 2)] : null),
                  records.map((r) =>
                    h(
                      "div",
                      { class: "alert-record" },
                      h("p", { class: "hit-meta muted" }, timeEl(r.timestamp), " ", r.channel || "", " ", h("bdi", { text: r.id })),
                      h("p", { class: "text", dir: "auto" }, highlighted(r.text || "", evidenceHighlights(r.labels), titles)),
                    ),
                  ),
                ),
              ),
            );
          }),
        ),
  );
}

async function loadStatus(state) {
  const { statusBox, ctx } = state;
  let data;
  try {
    data = await api("/api/alerts/status");
  } catch (e) {
    if (!ctx.alive()) return;
    replace(statusBox, statusBox.firstChild, e.status === 503 ? h("p", { class: "notice", text: t("no_state") }) : errorBox(e));
    return;
  }
  if (!ctx.alive()) return;
  const subs = Object.entries(data.subscriptions || {});
  const failing = (title, rows, id) =>
    rows && rows.length
      ? h(
          "div",
          { id },
          h("h3", { text: title }),
          h(
            "ul",
            { class: "failing" },
            rows.map((d) =>
              h(
                "li",
                {},
                h("strong", { dir: "auto", text: d.subscription }),
                " · ",
                h("span", { dir: "auto", text: d.destination }),
                " · ",
                t("attempts", { n: num(d.attempts) }),
                d.last_error ? h("div", { class: "error-text", dir: "auto", text: d.last_error }) : null,
              ),
            ),
          ),
        )
      : null;
  replace(statusBox, 
    statusBox.firstChild,
    h(
      "dl",
      { class: "facts" },
      [
        ["alerts", data.alerts],
        ["delivered", data.delivered],
        ["pending", data.pending],
        ["dead", data.dead],
      ].map(([k, v]) => [h("dt", { text: t("st_" + k) }), h("dd", { class: k === "dead" && v ? "bad" : null, text: num(v ?? 0) })]),
    ),
    data.next_attempt_at ? h("p", { class: "muted" }, t("next_attempt"), " ", timeEl(data.next_attempt_at)) : null,
    subs.length
      ? h(
          "div",
          { class: "table-scroll" },
          h(
            "table",
            { class: "status" },
            h("thead", {}, h("tr", {}, ["sub_name", "st_alerts", "st_delivered", "st_pending", "st_dead", "st_last_alert"].map((k) => h("th", { scope: "col", text: t(k) })))),
            h(
              "tbody",
              {},
              subs.map(([name, s]) =>
                h(
                  "tr",
                  {},
                  h("th", { scope: "row", dir: "auto", text: name }),
                  h("td", { class: "num", text: num(s.alerts) }),
                  h("td", { class: "num", text: num(s.delivered) }),
                  h("td", { class: "num", text: num(s.pending) }),
                  h("td", { class: "num" + (s.dead ? " bad" : ""), text: num(s.dead) }),
                  h("td", {}, s.last_alert ? timeEl(s.last_alert) : "–"),
                ),
              ),
            ),
          ),
        )
      : null,
    failing(t("retrying"), data.retrying, "retrying"),
    failing(t("dead_letters"), data.dead_letters, "dead-letters"),
  );
}
