/* Small behaviours shared by every page: menus close when you click elsewhere, confirmations,
   table rows that show more. No framework; htmx does the requests. */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
    var toggle = event.target.closest("[data-toggle-row]");
    if (toggle) {
      var row = toggle.closest("tr").nextElementSibling;
      if (row) {
        row.hidden = !row.hidden;
        toggle.setAttribute("aria-expanded", String(!row.hidden));
      }
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      document.querySelectorAll("details[data-menu][open]").forEach(function (menu) { menu.removeAttribute("open"); });
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset && form.dataset.confirm && !window.confirm(form.dataset.confirm)) event.preventDefault();
  }, true);
})();
