// The reminder form shows only the parts that apply: [data-show="name=value,value"] follows the
// checked radio (or selected option) of that name. No framework; htmx does the live count.
(function () {
  function current(form, name) {
    const checked = form.querySelector(`[name="${name}"]:checked`);
    if (checked) return checked.value;
    const select = form.querySelector(`select[name="${name}"]`);
    return select ? select.value : "";
  }
  function update(form) {
    form.querySelectorAll("[data-show]").forEach(function (el) {
      const [name, values] = el.dataset.show.split("=");
      el.hidden = !values.split(",").includes(current(form, name));
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    const form = document.getElementById("reminder-form");
    if (!form) return;
    form.addEventListener("change", function () { update(form); });
    update(form);
  });
})();
