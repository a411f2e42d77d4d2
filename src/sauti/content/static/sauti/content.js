// The template editor (live preview, example inputs per variable, buttons, counters) and the media
// page's "Copy id". No framework: the server checks everything again on save.
(function () {
  "use strict";

  const VAR = /\{\{\s*(\d+)\s*\}\}/g;

  function escapeHtml(text) {
    return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
  }

  // WhatsApp's markup after escaping, as sauti_ui's `whatsapp` filter does on the server.
  function formatted(html) {
    return html
      .replace(/```([\s\S]+?)```/g, "<code>$1</code>")
      .replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])/g, "$1<strong>$2</strong>")
      .replace(/(^|[^\w_])_(?!\s)([^_\n]+?)(?<!\s)_(?![\w_])/g, "$1<em>$2</em>")
      .replace(/(^|[^\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])/g, "$1<s>$2</s>");
  }

  function numbers(text) {
    const found = new Set();
    for (const m of text.matchAll(VAR)) found.add(Number(m[1]));
    return [...found].sort((a, b) => a - b);
  }

  // Variables become their examples (highlighted); a missing example leaves {{n}}.
  function filled(text, examples) {
    return escapeHtml(text).replace(/\{\{\s*(\d+)\s*\}\}/g, (whole, n) => {
      const value = examples[Number(n) - 1];
      return value ? `<span class="var">${escapeHtml(value)}</span>` : `<span class="var">${whole}</span>`;
    });
  }

  function setupEditor(form) {
    const $ = (sel) => form.querySelector(sel);
    const preview = document.getElementById("preview");
    const libraryUrls = JSON.parse(document.getElementById("library-urls").textContent || "{}");
    const headerFormat = $("[data-header-format]");
    const body = $("#id_body_text");
    const examplesBox = $("[data-body-examples]");
    const rows = $("[data-button-rows]");
    const rowTemplate = document.getElementById("button-row-template");
    let uploadedUrl = "";

    function headerParts() {
      const format = headerFormat.value;
      form.querySelectorAll("[data-header-part]").forEach((part) => {
        const wanted = part.dataset.headerPart;
        part.hidden = !(wanted === format || (wanted === "MEDIA" && ["IMAGE", "VIDEO", "DOCUMENT"].includes(format)));
      });
      const mediaSelect = $("#id_header_media");
      mediaSelect.querySelectorAll("option[data-kind]").forEach((option) => {
        option.hidden = option.dataset.kind !== format.toLowerCase();
      });
      const exampleField = $("[data-header-example]");
      exampleField.hidden = numbers($("#id_header_text").value).length === 0;
    }

    function syncExamples() {
      const wanted = numbers(body.value);
      const current = new Map();
      examplesBox.querySelectorAll("[data-example]").forEach((el) => current.set(Number(el.dataset.example), el));
      current.forEach((el, n) => { if (!wanted.includes(n)) el.remove(); });
      wanted.forEach((n, position) => {
        let el = current.get(n);
        if (!el) {
          el = document.createElement("div");
          el.className = "field";
          el.dataset.example = String(n);
          const id = `id_body_example_${n}`;
          el.innerHTML = `<label for="${id}">${escapeHtml(examplesBox.dataset.label)} {{${n}}}</label>` +
            `<input id="${id}" name="body_example">`;
        }
        // Keep the inputs in variable order, so the n-th posted example is {{n}}'s.
        if (examplesBox.children[position] !== el) examplesBox.insertBefore(el, examplesBox.children[position] || null);
      });
    }

    function counters() {
      form.querySelectorAll("[data-count-for]").forEach((counter) => {
        const input = document.getElementById(counter.dataset.countFor);
        const max = Number(counter.dataset.max);
        counter.textContent = `${input.value.length}/${max}`;
        counter.classList.toggle("over", input.value.length > max);
      });
    }

    function setupRow(row) {
      row.querySelector("[data-remove-button]").addEventListener("click", () => { row.remove(); render(); });
    }

    function addButton(kind) {
      const row = rowTemplate.content.firstElementChild.cloneNode(true);
      row.dataset.type = kind;
      row.querySelector('input[name="button_type"]').value = kind;
      rows.appendChild(row);
      setupRow(row);
      row.querySelector('input[name="button_text"]').focus();
      render();
    }

    function headerHtml() {
      const format = headerFormat.value;
      if (format === "TEXT") {
        const text = $("#id_header_text").value.trim();
        return text ? `<span class="header">${filled(text, [$("#id_header_example").value.trim()])}</span>` : "";
      }
      if (format === "IMAGE") {
        const url = uploadedUrl || libraryUrls[$("#id_header_media").value] || "";
        return url ? `<img src="${escapeHtml(url)}" alt="">` : `<span class="media-file">🖼</span>`;
      }
      if (format === "VIDEO") return `<span class="media-file">▶ ${escapeHtml(preview.dataset.video)}</span>`;
      if (format === "DOCUMENT") return `<span class="media-file">📄 ${escapeHtml(preview.dataset.doc)}</span>`;
      if (format === "LOCATION") return `<span class="media-file">📍 ${escapeHtml(preview.dataset.location)}</span>`;
      return "";
    }

    function render() {
      headerParts();
      syncExamples();
      counters();
      form.querySelectorAll("[data-button-row]").forEach((row) => {
        const url = row.querySelector('input[name="button_url"]').value;
        row.querySelector("[data-url-example]").hidden = numbers(url).length === 0;
      });
      const examples = [...examplesBox.querySelectorAll('input[name="body_example"]')].map((i) => i.value.trim());
      const text = body.value.trim();
      const footer = $("#id_footer_text").value.trim();
      const header = headerHtml();
      const buttons = [...form.querySelectorAll("[data-button-row]")].map((row) => ({
        type: row.dataset.type.toLowerCase(), text: row.querySelector('input[name="button_text"]').value.trim(),
      })).filter((b) => b.text);
      if (!text && !header && !footer && !buttons.length) {
        preview.innerHTML = `<div class="hint">${escapeHtml(preview.dataset.empty)}</div>`;
        return;
      }
      let html = `<div class="bubble tpl-bubble">${header}<span class="body">${formatted(filled(text, examples))}</span>`;
      if (footer) html += `<span class="footer">${escapeHtml(footer)}</span>`;
      html += `<span class="meta">12:00</span></div>`;
      if (buttons.length) {
        html += `<div class="tpl-buttons">${buttons.map((b) =>
          `<span class="tpl-button tpl-button-${b.type}">${escapeHtml(b.text)}</span>`).join("")}</div>`;
      }
      preview.innerHTML = html;
    }

    // A field being changed no longer shows the error it was saved with.
    form.addEventListener("input", (event) => {
      const field = event.target.closest(".field");
      if (field) {
        field.classList.remove("field-error");
        field.querySelectorAll(".errorlist").forEach((list) => list.remove());
      }
      render();
    });
    form.addEventListener("change", render);
    form.querySelectorAll("[data-button-row]").forEach(setupRow);
    form.querySelectorAll("[data-add-button]").forEach((b) => b.addEventListener("click", () => addButton(b.dataset.addButton)));
    $("[data-add-variable]").addEventListener("click", () => {
      const next = (numbers(body.value).pop() || 0) + 1;
      const at = body.selectionStart ?? body.value.length;
      body.value = body.value.slice(0, at) + `{{${next}}}` + body.value.slice(body.selectionEnd ?? at);
      body.focus();
      render();
    });
    $("#id_header_upload").addEventListener("change", (event) => {
      const file = event.target.files[0];
      uploadedUrl = file && file.type.startsWith("image/") ? URL.createObjectURL(file) : "";
      render();
    });
    render();
  }

  function setupCopy() {
    document.querySelectorAll("[data-copy]").forEach((button) => {
      button.addEventListener("click", async () => {
        const label = button.textContent;
        try {
          await navigator.clipboard.writeText(button.dataset.copy);
        } catch (err) {
          window.prompt("", button.dataset.copy);
          return;
        }
        button.textContent = button.dataset.copied;
        setTimeout(() => { button.textContent = label; }, 1500);
      });
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("template-form");
    if (form) setupEditor(form);
    setupCopy();
  });
})();
