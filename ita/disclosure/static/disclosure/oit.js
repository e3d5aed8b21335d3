// OIT evidence page: save drafts as the coordinator types, and add link rows.
// The page works without this script (plain POST per item).
(function () {
  "use strict";
  function save(form) {
    var status = form.querySelector("[data-status]");
    var data = new FormData(form);
    data.set("action", "save");
    fetch(form.getAttribute("action"), { method: "POST", body: data, headers: { "Accept": "application/json" }, credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (j) {
        status.textContent = j.ok ? j.message + (j.warnings.length ? " — " + j.warnings.join(" ") : "") : j.error;
        status.className = j.ok ? (j.warnings.length ? "flag" : "muted") : "error";
      })
      .catch(function () { status.textContent = "บันทึกอัตโนมัติไม่สำเร็จ กด “บันทึกร่าง” อีกครั้ง"; status.className = "error"; });
  }
  document.querySelectorAll("form[data-autosave]").forEach(function (form) {
    var timer = null;
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(function () { save(form); }, 400); });
    var add = form.querySelector("[data-add-link]");
    if (add) {
      add.hidden = false;
      add.addEventListener("click", function () {
        var rows = form.querySelector(".oit-links");
        var row = rows.lastElementChild.cloneNode(true);
        row.querySelectorAll("input").forEach(function (i) { i.value = ""; });
        rows.appendChild(row);
        row.querySelector("input").focus();
      });
    }
  });
})();
