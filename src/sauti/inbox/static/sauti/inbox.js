/* The inbox in the browser: live updates over a websocket (refetch what changed, never lose a
   half-written reply), tabs of the reply box, inserting canned/suggested text and mentions,
   quick picks, bulk selection. htmx does every request. */
(function () {
  "use strict";

  var root = document.getElementById("inbox");
  if (!root) return;

  // Refusals (400) carry the redrawn pane with the error at its field: show them.
  document.body.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 400) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  function currentChat() {
    var conv = document.querySelector("#chat-pane .ib-conv");
    return conv ? conv.dataset.chat : "";
  }

  function listParams() {
    var list = document.getElementById("chat-list");
    var params = new URLSearchParams();
    if (list && list.dataset.q) params.set("q", list.dataset.q);
    else if (list && list.dataset.collection) params.set("c", list.dataset.collection);
    return params.toString();
  }

  // ------------------------------------------------------------------ live updates
  var listTimer = null, threadTimer = null;

  function refreshList() {
    clearTimeout(listTimer);
    listTimer = setTimeout(function () {
      var list = document.getElementById("chat-list");
      var selected = list && list.querySelector("input[name=chats]:checked");
      if (selected) return; // do not undo someone's selection for a bulk action
      htmx.ajax("GET", root.dataset.listUrl + "?" + listParams(), {target: "#chat-list", swap: "outerHTML"});
    }, 250);
  }

  function refreshThread() {
    var conv = document.querySelector("#chat-pane .ib-conv");
    if (!conv) return;
    clearTimeout(threadTimer);
    threadTimer = setTimeout(function () {
      var thread = document.getElementById("chat-thread");
      var atBottom = thread && thread.scrollHeight - thread.scrollTop - thread.clientHeight < 80;
      htmx.ajax("GET", conv.dataset.threadUrl + "?read=1", {target: "#chat-thread", swap: "innerHTML"}).then(function () {
        var composer = document.getElementById("chat-composer");
        var state = document.getElementById("window-state");
        var box = composer && composer.querySelector("textarea[name=text]");
        // The window opened or closed: the reply box changes (free text or templates), unless
        // someone is typing in it.
        if (composer && state && composer.dataset.window !== state.dataset.window && !(box && box.value.trim())) {
          htmx.ajax("GET", conv.dataset.paneUrl + "?read=0", {target: "#chat-pane", swap: "innerHTML"});
        }
        if (atBottom) scrollThread();
      });
    }, 120);
  }

  function toast(html) {
    var box = document.getElementById("toasts");
    if (!box) return;
    var item = document.createElement("div");
    item.className = "ib-toast";
    item.innerHTML = html;
    box.appendChild(item);
    setTimeout(function () { item.remove(); }, 8000);
  }

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  function onEvent(data) {
    if (data.event === "connected") return;
    if (data.event === "mentioned" && data.user === root.dataset.me) {
      toast(escapeHtml(data.by || "") + " " + escapeHtml(root.dataset.mentionText || "mentioned you") +
            ' · <a href="' + root.dataset.base + data.chat + '/">' + escapeHtml(root.dataset.openText || "Open") + "</a>");
    }
    if (data.chat && data.chat === currentChat()) refreshThread();
    refreshList();
  }

  var socket = null, retry = 500, banner = null;

  function connect() {
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + location.host + root.dataset.liveUrl);
    socket.addEventListener("open", function () {
      retry = 500;
      if (banner) { banner.remove(); banner = null; }
      // Whatever happened between drawing the page (or losing the socket) and now was not heard:
      // fetch the list and the open chat once.
      refreshList();
      refreshThread();
      root.dataset.live = "on";
    });
    socket.addEventListener("message", function (event) {
      if (event.data === "pong") return;
      try { onEvent(JSON.parse(event.data)); } catch (e) { /* not for us */ }
    });
    socket.addEventListener("close", function () {
      root.dataset.live = "off";
      if (!banner) {
        banner = document.createElement("div");
        banner.className = "ib-live-off";
        banner.textContent = root.dataset.offlineText || "Live updates paused: reconnecting…";
        document.body.appendChild(banner);
      }
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 15000);
    });
  }
  if (window.WebSocket) connect();
  setInterval(function () { if (socket && socket.readyState === 1) socket.send("ping"); }, 25000);

  // ------------------------------------------------------------------ the conversation
  function scrollThread() {
    var thread = document.getElementById("chat-thread");
    if (thread) thread.scrollTop = thread.scrollHeight;
  }
  scrollThread();

  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "chat-pane") {
      scrollThread();
      var chat = currentChat();
      root.dataset.chat = chat;
      document.querySelectorAll(".ib-row").forEach(function (row) {
        row.classList.toggle("current", row.dataset.chat === chat);
      });
      var title = document.querySelector("#chat-pane > title");
      if (title) document.title = title.textContent;
      var box = document.querySelector("#chat-composer .ib-reply textarea");
      if (box && !box.value) box.focus();
    }
  });

  document.addEventListener("click", function (event) {
    var tab = event.target.closest(".ib-tabs .tab");
    if (tab) {
      var composer = tab.closest(".ib-composer");
      composer.querySelectorAll(".ib-tabs .tab").forEach(function (t) {
        t.setAttribute("aria-selected", String(t === tab));
      });
      composer.querySelectorAll("[data-panel]").forEach(function (panel) {
        panel.hidden = panel.dataset.panel !== tab.dataset.tab;
      });
      var area = composer.querySelector('[data-panel="' + tab.dataset.tab + '"] textarea');
      if (area) area.focus();
      return;
    }
    var insert = event.target.closest("[data-insert]");
    if (insert) {
      var form = insert.closest("form") || insert.closest("[data-panel]");
      var textarea = form && form.querySelector("textarea");
      if (!textarea) textarea = document.querySelector('#chat-composer [data-panel]:not([hidden]) textarea');
      if (textarea) {
        var at = textarea.selectionStart || textarea.value.length;
        textarea.value = textarea.value.slice(0, at) + insert.dataset.insert + textarea.value.slice(at);
        textarea.focus();
      }
      var menu = insert.closest("details[open]");
      if (menu) menu.removeAttribute("open");
      return;
    }
    var showReply = event.target.closest("[data-show-reply]");
    if (showReply) {
      var reply = document.querySelector("#chat-composer form[data-reply]");
      if (reply) { reply.classList.remove("is-hidden"); reply.querySelector("textarea").focus(); }
      showReply.closest(".ib-templates").hidden = true;
      return;
    }
    var pick = event.target.closest("[data-pick]");
    if (pick) {
      var input = document.querySelector("#search-form input[name=q]");
      var key = pick.dataset.pick.split(":")[0] + ":";
      var words = input.value.split(/\s+/).filter(function (w) { return w && w.indexOf(key) !== 0; });
      words.push(pick.dataset.pick);
      input.value = words.join(" ");
      input.form.submit();
    }
  });

  // Enter sends, Shift+Enter makes a new line.
  document.addEventListener("keydown", function (event) {
    var area = event.target;
    if (event.key === "Enter" && !event.shiftKey && area.matches && area.matches(".ib-reply textarea")) {
      event.preventDefault();
      if (area.value.trim()) htmx.trigger(area.form, "submit");
    }
  });

  // Bulk actions: show the teammate or label field the chosen action needs; count the selection.
  document.addEventListener("change", function (event) {
    var target = event.target;
    var bulk = document.querySelector("[data-bulk]");
    if (!bulk) return;
    if (target.matches("[data-select-all]")) {
      document.querySelectorAll("#chat-list input[name=chats]").forEach(function (box) { box.checked = target.checked; });
    }
    if (target.name === "action" && target.closest("[data-bulk]")) {
      bulk.querySelectorAll("[data-for-action]").forEach(function (el) { el.hidden = el.dataset.forAction !== target.value; });
    }
    var count = document.querySelectorAll("#chat-list input[name=chats]:checked").length;
    var label = bulk.querySelector("[data-selected]");
    if (label) label.textContent = count ? String(count) + " ✓" : label.dataset.empty || label.textContent;
  });
})();
