// Runs before the first paint: the remembered language sets the direction, so a Hebrew (RTL) page
// never flashes in an LTR layout.
(function () {
  var lang = null;
  try { lang = window.localStorage.getItem("kashev.lang"); } catch (e) { /* storage blocked */ }
  if (lang === "he") {
    document.documentElement.lang = "he";
    document.documentElement.dir = "rtl";
  }
})();
