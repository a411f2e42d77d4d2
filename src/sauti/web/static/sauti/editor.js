/* The journey editor: line numbers, marked problem lines, Tab and Ctrl/Cmd+S, jumping to a line,
   the side tabs and the simulator's scrolling. The server renders everything else (htmx). */
(function () {
  "use strict";

  var page = document.getElementById("editor-page");
  if (!page) return;
  var form = document.getElementById("code-form");
  var source = document.getElementById("source");
  var gutter = document.getElementById("gutter");
  var marks = document.getElementById("code-marks");
  var canEdit = page.dataset.canEdit === "true";
  var INDENT = "  ";
  var savedValue = source.value;
  var sentValue = null;
  var lineCount = 0;

  function lineHeight() { return parseFloat(getComputedStyle(source).lineHeight) || 20; }
  function padTop() { return parseFloat(getComputedStyle(source).paddingTop) || 0; }

  function diagnostics() {
    var holder = document.getElementById("diagnostics");
    try { return JSON.parse((holder && holder.dataset.lines) || "[]"); } catch (e) { return []; }
  }

  function severityByLine() {
    var out = {};
    diagnostics().forEach(function (d) {
      if (d.severity === "error" || !out[d.line]) out[d.line] = d.severity === "error" ? "err" : "warn";
    });
    return out;
  }

  function renderGutter(force) {
    var count = source.value.split("\n").length;
    if (count === lineCount && !force) return;
    lineCount = count;
    var sev = severityByLine();
    var html = [];
    for (var i = 1; i <= count; i++) {
      html.push('<div' + (sev[i] ? ' class="' + sev[i] + '"' : "") + ">" + i + "</div>");
    }
    gutter.innerHTML = html.join("");
    syncScroll();
  }

  function renderMarks() {
    var sev = severityByLine();
    var lh = lineHeight(), top = padTop();
    marks.innerHTML = "";
    Object.keys(sev).forEach(function (line) {
      var div = document.createElement("div");
      div.className = sev[line];
      div.style.top = (top + (line - 1) * lh) + "px";
      marks.appendChild(div);
    });
    renderGutter(true);
  }

  function syncScroll() {
    gutter.scrollTop = source.scrollTop;
    marks.style.transform = "translateY(" + (-source.scrollTop) + "px)";
  }

  function setStatus(text, cls) {
    var status = document.getElementById("save-status");
    if (!status) return;
    status.textContent = text;
    status.className = "save-status" + (cls ? " " + cls : "");
  }

  function markDirty() {
    if (!canEdit) return;
    if (source.value !== savedValue) setStatus(page.dataset.unsaved || "Unsaved changes: Ctrl+S saves", "dirty");
  }

  /* Jump to a line: select its start, scroll it into the upper third, flash it. */
  function jumpTo(line, column) {
    var lines = source.value.split("\n");
    line = Math.max(1, Math.min(line, lines.length));
    var offset = 0;
    for (var i = 0; i < line - 1; i++) offset += lines[i].length + 1;
    var col = Math.max(0, Math.min((column || 1) - 1, lines[line - 1].length));
    source.focus({ preventScroll: true });
    source.setSelectionRange(offset + col, offset + col);
    source.scrollTop = Math.max(0, (line - 1) * lineHeight() - source.clientHeight / 3);
    syncScroll();
    var flash = document.createElement("div");
    flash.className = "flash";
    flash.style.top = (padTop() + (line - 1) * lineHeight()) + "px";
    marks.appendChild(flash);
    setTimeout(function () { flash.remove(); }, 1200);
  }

  function indentSelection(outdent) {
    var start = source.selectionStart, end = source.selectionEnd, value = source.value;
    if (!outdent && start === end) {
      insertText(INDENT);
      return;
    }
    var lineStart = value.lastIndexOf("\n", start - 1) + 1;
    var block = value.slice(lineStart, end);
    var changed = outdent
      ? block.replace(/^ {1,2}/gm, "")
      : block.replace(/^/gm, INDENT);
    source.setSelectionRange(lineStart, end);
    insertText(changed);
    source.setSelectionRange(lineStart, lineStart + changed.length);
  }

  /* Insert through execCommand when there is one, so the browser's undo history keeps working. */
  function insertText(text) {
    if (!document.execCommand || !document.execCommand("insertText", false, text)) {
      source.setRangeText(text, source.selectionStart, source.selectionEnd, "end");
      source.dispatchEvent(new Event("input"));
    }
  }

  function save() {
    if (!canEdit) return;
    setStatus(page.dataset.saving || "Saving…", "");
    if (window.htmx) window.htmx.trigger(form, "submit"); else form.requestSubmit();
  }

  source.addEventListener("input", function () { renderGutter(false); markDirty(); });
  source.addEventListener("scroll", syncScroll);
  source.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      save();
      return;
    }
    if (!canEdit) return;
    if (event.key === "Tab" && !event.altKey && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      indentSelection(event.shiftKey);
    } else if (event.key === "Enter" && !event.shiftKey && source.selectionStart === source.selectionEnd) {
      var value = source.value, pos = source.selectionStart;
      var lineStart = value.lastIndexOf("\n", pos - 1) + 1;
      var indent = /^[ \t]*/.exec(value.slice(lineStart, pos))[0];
      if (/\bdo\s*$/.test(value.slice(lineStart, pos))) indent += INDENT;
      event.preventDefault();
      insertText("\n" + indent);
    }
  });
  /* Ctrl/Cmd+S anywhere on the page saves too, instead of the browser's "save page". */
  document.addEventListener("keydown", function (event) {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s" && event.target !== source) {
      event.preventDefault();
      save();
    }
  });

  document.body.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt === form) sentValue = source.value;
  });
  document.body.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.elt !== form) return;
    if (event.detail.successful) {
      savedValue = sentValue;
      renderMarks();
      markDirty();
    } else {
      setStatus(page.dataset.saveFailed || "Not saved: try again", "error");
    }
  });
  window.addEventListener("beforeunload", function (event) {
    if (canEdit && source.value !== savedValue) { event.preventDefault(); event.returnValue = ""; }
  });

  /* Publish and stage send what the editor holds, so nothing typed is lost on the way. */
  document.addEventListener("submit", function (event) {
    var release = event.target.closest("form[data-release]");
    if (!release) return;
    var input = release.querySelector("input[name=source]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = "source";
      release.appendChild(input);
    }
    input.value = source.value;
    savedValue = source.value;
  });

  /* A problem, a graph card or an error link: jump to its line. */
  document.addEventListener("click", function (event) {
    var target = event.target.closest("[data-line]");
    if (!target || !page.contains(target)) return;
    jumpTo(parseInt(target.dataset.line, 10), parseInt(target.dataset.column || "1", 10));
  });
  document.addEventListener("keydown", function (event) {
    if ((event.key === "Enter" || event.key === " ") && event.target.matches && event.target.matches("g.node[data-line]")) {
      event.preventDefault();
      jumpTo(parseInt(event.target.dataset.line, 10), 1);
    }
  });

  /* Tabs: the choice is remembered per journey. */
  var tabs = Array.prototype.slice.call(document.querySelectorAll(".tab[data-tab]"));
  var storeKey = "sauti.editor.tab." + page.dataset.journey;
  function showTab(name) {
    tabs.forEach(function (tab) {
      var on = tab.dataset.tab === name;
      tab.setAttribute("aria-selected", String(on));
      document.getElementById(tab.getAttribute("aria-controls")).hidden = !on;
    });
    try { localStorage.setItem(storeKey, name); } catch (e) { /* private mode */ }
    if (name === "simulator") scrollChat(true);
  }
  tabs.forEach(function (tab) { tab.addEventListener("click", function () { showTab(tab.dataset.tab); }); });
  var initial = page.dataset.initialTab;
  if (!initial) { try { initial = localStorage.getItem(storeKey); } catch (e) { initial = null; } }
  showTab(tabs.some(function (t) { return t.dataset.tab === initial; }) ? initial : "graph");

  function scrollChat(focus) {
    var chat = document.getElementById("sim-chat");
    if (chat) chat.scrollTop = chat.scrollHeight;
    var input = document.querySelector("#sim input[name=text]");
    if (focus && input && !input.disabled && document.getElementById("panel-simulator").hidden === false) input.focus();
  }
  document.body.addEventListener("htmx:afterSettle", function (event) {
    if (event.detail.elt !== form) scrollChat(true);
  });

  renderMarks();
  scrollChat(false);
})();
