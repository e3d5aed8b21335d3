// Live progress: polls the page's JSON endpoint and updates the counts in place.
// Without JavaScript the page simply shows the counts as of loading.
(function () {
  "use strict";
  var box = document.querySelector("[data-live-url]");
  if (!box || !window.fetch) { return; }
  var url = box.getAttribute("data-live-url");
  var single = box.getAttribute("data-live-unit");

  function set(key, value) {
    var el = document.querySelector('[data-live="' + key + '"]');
    if (el && el.textContent !== String(value)) { el.textContent = value; }
  }

  function apply(unit, data) {
    Object.keys(data.tools).forEach(function (tool) {
      var p = data.tools[tool];
      set(unit + ":" + tool + ":respondents", p.respondents);
      set(unit + ":" + tool + ":percent", p.percent);
      var bar = document.querySelector('[data-live-bar="' + unit + ":" + tool + '"]');
      if (bar) { bar.style.width = p.percent + "%"; }
    });
    Object.keys(data.categories || {}).forEach(function (code) { set(unit + ":cat:" + code, data.categories[code]); });
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (single) { apply(single, data); return; }
        Object.keys(data.units).forEach(function (unit) { apply(unit, data.units[unit]); });
      })
      .catch(function () { /* offline for a moment: try again on the next tick */ });
  }

  var every = parseInt(box.getAttribute("data-live-every") || "10000", 10);
  box.setAttribute("data-live-ready", "1");
  setInterval(poll, every);
  document.addEventListener("visibilitychange", function () { if (!document.hidden) { poll(); } });
})();
