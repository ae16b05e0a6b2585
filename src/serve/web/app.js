// The workspace shell: routing with the History API, the language switch, the token form, the
// keyboard shortcuts. Each page lives in its own module and renders into <main>.

import { api, setToken, token } from "./api.js";
import { applyLanguage, lang, setLang, t, translateStatic } from "./i18n.js";
import { h, replace, errorBox } from "./dom.js";
import * as search from "./search.js";
import * as trends from "./trends.js";
import * as customer from "./customer.js";
import * as explain from "./explain.js";
import * as alerts from "./alerts.js";

const main = document.getElementById("main");
let me = null;
let generation = 0;

/** The page for a path, with its parameters. */
function route(pathname) {
  if (pathname === "/" || pathname === "/search") return { page: search, nav: "search" };
  if (pathname === "/trends") return { page: trends, nav: "trends" };
  if (pathname === "/explain") return { page: explain, nav: "explain" };
  if (pathname === "/alerts") return { page: alerts, nav: "alerts" };
  const m = pathname.match(/^\/customer\/(.+)$/);
  if (m) return { page: customer, nav: "customer", id: decodeURIComponent(m[1]) };
  return null;
}

/** Goes to `href` inside the workspace (pushState), or replaces the entry with `replace`. */
export function navigate(href, { replace: replaceEntry = false, focus = true } = {}) {
  const url = new URL(href, window.location.origin);
  const target = url.pathname + url.search + url.hash;
  const current = window.location.pathname + window.location.search + window.location.hash;
  if (target !== current) {
    if (replaceEntry) history.replaceState(null, "", target);
    else history.pushState(null, "", target);
  }
  render({ focus });
}

/**
 * A selector for the focused control, to find its counterpart after a re-render (a facet or chip
 * that filtered keeps the keyboard where it was).
 */
function focusSelector(el) {
  if (!el || el === document.body || !main.contains(el)) return null;
  if (el.id) return "#" + CSS.escape(el.id);
  const tag = el.tagName.toLowerCase();
  for (const key of ["key", "label", "name"]) {
    const value = el.dataset[key];
    if (value !== undefined) return `${tag}[data-${key}="${CSS.escape(value)}"]`;
  }
  return null;
}

/** Renders the page of the current URL. */
function render({ focus = false } = {}) {
  const gen = ++generation;
  const keep = focus ? null : focusSelector(document.activeElement);
  const found = route(window.location.pathname);
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (found && a.dataset.nav === found.nav) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  if (!found) {
    document.title = t("not_found") + " · Kashev";
    replace(main, h("h1", { tabindex: "-1", text: t("not_found") }), h("p", {}, h("a", { href: "/search", "data-link": true, text: t("nav_search") })));
    return;
  }
  const ctx = {
    id: found.id,
    query: new URLSearchParams(window.location.search),
    me,
    navigate,
    alive: () => gen === generation,
    setTitle: (title) => {
      document.title = title + " · Kashev";
    },
  };
  main.replaceChildren();
  Promise.resolve(found.page.render(main, ctx))
    .catch((e) => {
      if (ctx.alive() && e.status !== 401) main.appendChild(errorBox(e));
    })
    .finally(() => {
      if (!ctx.alive()) return;
      if (focus) {
        const heading = main.querySelector("h1");
        if (heading && !main.contains(document.activeElement)) heading.focus({ preventScroll: true });
      } else if (keep && !main.contains(document.activeElement)) {
        main.querySelector(keep)?.focus({ preventScroll: true });
      }
    });
}

/** Shows the token form; a submitted token is kept in sessionStorage and the page reloads its data. */
function askForToken(message) {
  const panel = document.getElementById("token-panel");
  const error = document.getElementById("token-error");
  error.textContent = message || "";
  panel.hidden = false;
  main.hidden = true;
  document.getElementById("token-input").focus();
}

async function submitToken(event) {
  event.preventDefault();
  const input = document.getElementById("token-input");
  const value = input.value.trim();
  const error = document.getElementById("token-error");
  if (!value) {
    error.textContent = t("token_empty");
    return;
  }
  setToken(value);
  try {
    me = await api("/api/me");
  } catch (e) {
    error.textContent = e.status === 401 ? t("token_rejected") : e.message;
    return;
  }
  input.value = "";
  document.getElementById("token-panel").hidden = true;
  main.hidden = false;
  showSession();
  render({ focus: true });
}

/** The header's note on the session: scopes, masking, sign-out. */
function showSession() {
  const el = document.getElementById("session");
  el.replaceChildren();
  if (!me) return;
  if (me.pii === false) el.appendChild(h("span", { class: "badge muted", title: t("pii_masked_help"), text: t("pii_masked") }));
  if (me.auth_required && token()) {
    el.appendChild(
      h("button", {
        type: "button",
        class: "link-button",
        text: t("sign_out"),
        onclick: () => {
          setToken(null);
          me = null;
          start();
        },
      }),
    );
  }
}

function switchLanguage() {
  setLang(lang() === "he" ? "en" : "he");
  updateSwitch();
  translateStatic(document);
  showSession();
  render();
}

function updateSwitch() {
  const button = document.getElementById("lang-switch");
  const other = lang() === "he" ? "en" : "he";
  button.textContent = other === "he" ? "עב" : "EN";
  button.lang = other;
  button.title = t("switch_language");
  button.setAttribute("aria-label", t("switch_language"));
}

/** Intercepts clicks on workspace links so that navigation keeps the page. */
function onClick(event) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const a = event.target.closest("a[data-link]");
  if (!a || a.target) return;
  const url = new URL(a.href, window.location.origin);
  if (url.origin !== window.location.origin) return;
  event.preventDefault();
  navigate(url.pathname + url.search + url.hash);
}

/** `/` focuses the search box (going to the search page first when elsewhere). */
function onKey(event) {
  if (event.key !== "/" || event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target;
  if (target.closest && target.closest("input, textarea, select, [contenteditable]")) return;
  event.preventDefault();
  const box = document.getElementById("q");
  if (box) {
    box.focus();
    box.select();
  } else {
    navigate("/search", { focus: false });
    requestAnimationFrame(() => document.getElementById("q")?.focus());
  }
}

async function start() {
  try {
    me = await api("/api/me");
  } catch (e) {
    if (e.status === 401) return; // the unauthorized event shows the form
    replace(main, errorBox(e));
    return;
  }
  showSession();
  if (me.auth_required && !token()) {
    askForToken();
    return;
  }
  document.getElementById("token-panel").hidden = true;
  main.hidden = false;
  render();
}

applyLanguage();
translateStatic(document);
updateSwitch();
document.getElementById("lang-switch").addEventListener("click", switchLanguage);
document.getElementById("token-form").addEventListener("submit", submitToken);
document.getElementById("goto-customer").addEventListener("submit", (event) => {
  event.preventDefault();
  const input = document.getElementById("goto-customer-id");
  const id = input.value.trim();
  if (id) {
    input.value = "";
    navigate("/customer/" + encodeURIComponent(id));
  }
});
document.addEventListener("click", onClick);
document.addEventListener("keydown", onKey);
window.addEventListener("popstate", () => render());
window.addEventListener("kashev:unauthorized", () => askForToken(t("token_needed")));
start();
