/* Report form: keeps a draft on the phone, sends with an Idempotency-Key, and when the network
 * is gone (or the answer is lost) puts the report in the outbox (outbox.js) and sends it when
 * the network returns. Messages come from data-msg-* attributes of #outbox, so that they are
 * translated with the page; everything the server or the reporter wrote is shown as text. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var area = document.getElementById("outbox");
  if (!form || !area) { return; }
  var status = document.getElementById("outbox-status");
  var sentList = document.getElementById("outbox-sent");
  var button = form.querySelector("button[type=submit]");
  var draftKey = form.getAttribute("data-draft-key");
  var keyInput = form.elements.namedItem("idempotency_key");
  var csrf = form.elements.namedItem("csrfmiddlewaretoken").value;
  var SKIP = { csrfmiddlewaretoken: true, lampiran: true };
  /* The names the server's errors use for things that are not form fields. */
  var ALIASES = { attachments: "lampiran" };
  var RETRY_FIRST_MS = 5000, RETRY_MAX_MS = 60000;
  var outbox = self.WaspadaOutbox && window.indexedDB && window.fetch ? self.WaspadaOutbox : null;

  function msg(name, values) {
    return String(area.getAttribute("data-msg-" + name) || "").replace(/\{(\w+)\}/g, function (all, key) {
      return values && Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : all;
    });
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "k-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  /* A refused report put back into the form leaves its message standing until the reporter acts
   * (sends, or clears the draft): a later count of waiting reports must not wipe it away. */
  var standing = "";
  function show(text, kind, link) {
    standing = kind === "rejected" ? text : "";
    status.hidden = false;
    status.className = "outbox " + (kind || "");
    status.textContent = text;
    if (link) {
      var a = document.createElement("a");
      a.href = link.href;
      a.textContent = link.text;
      status.appendChild(document.createTextNode(" "));
      status.appendChild(a);
    }
  }
  function hideStatus() { standing = ""; status.hidden = true; status.textContent = ""; }

  /* -- draft ------------------------------------------------------------------------- */
  function pairsOf(data) {
    var pairs = [];
    data.forEach(function (value, name) {
      if (!SKIP[name] && typeof value === "string") { pairs.push([name, value]); }
    });
    return pairs;
  }
  function saveDraft() {
    try { localStorage.setItem(draftKey, JSON.stringify(pairsOf(new FormData(form)))); } catch (e) { /* full */ }
  }
  function controls(name) {
    return Array.prototype.filter.call(form.elements, function (el) { return el.name === name; });
  }
  function restore(pairs, files) {
    var seen = {};
    pairs.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      if (SKIP[name]) { return; }
      controls(name).forEach(function (input) {
        if (input.type === "checkbox" || input.type === "radio") {
          if (!seen[name]) { input.checked = false; }
          if (input.value === value) { input.checked = true; }
        } else if (input.type !== "file") {
          input.value = value;
        }
      });
      seen[name] = true;
    });
    /* Check boxes of a group that had none ticked are cleared too. */
    Array.prototype.forEach.call(form.querySelectorAll("input[type=checkbox]"), function (box) {
      if (!seen[box.name]) { box.checked = false; }
    });
    var fileInput = form.elements.namedItem("lampiran");
    if (files && files.length && fileInput && window.DataTransfer) {
      try {
        var chosen = new DataTransfer();
        files.forEach(function (f) { chosen.items.add(new File([f[1]], f[2], { type: f[1].type })); });
        fileInput.files = chosen.files;
      } catch (e) { /* the reporter chooses the photos again */ }
    }
    form.dispatchEvent(new Event("waspada:restored"));
  }
  function isEmpty() {
    return ["title", "what"].every(function (name) {
      var input = form.elements.namedItem(name);
      return !input || !input.value.trim();
    });
  }

  /* -- errors: a summary naming each field at the top, and each message by its field ---- */
  function clearErrors() {
    Array.prototype.forEach.call(form.querySelectorAll(".errorlist, #form-errors"), function (el) { el.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
      var described = (el.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id.slice(-7) !== "_errors";
      });
      if (described.length) { el.setAttribute("aria-describedby", described.join(" ")); }
      else { el.removeAttribute("aria-describedby"); }
    });
  }
  function labelOf(box) {
    var label = box.querySelector("legend, label");
    return label ? label.textContent.replace(/\s*\*\s*$/, "").trim() : "";
  }
  function messageOf(error) {
    if (error.message) { return String(error.message); }
    return msg(error.code === "expired" ? "expired" : "http", { status: error.status || "" });
  }
  function markInvalid(box, listId) {
    Array.prototype.forEach.call(box.querySelectorAll("input, select, textarea"), function (el) {
      el.setAttribute("aria-invalid", "true");
      var described = (el.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
      if (described.indexOf(listId) === -1) { described.push(listId); }
      el.setAttribute("aria-describedby", described.join(" "));
    });
  }
  function showErrors(errors) {
    clearErrors();
    var summary = document.createElement("div");
    summary.className = "error-summary";
    summary.id = "form-errors";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    var heading = document.createElement("p");
    heading.textContent = msg("summary");
    var items = document.createElement("ul");
    summary.appendChild(heading);
    summary.appendChild(items);
    errors.forEach(function (error) {
      var field = ALIASES[error.field] || error.field;
      var box = field ? document.getElementById("field-" + field) : null;
      var text = messageOf(error);
      var item = document.createElement("li");
      if (box && form.contains(box)) {
        var listId = "id_" + field + "_errors";
        var list = document.getElementById(listId);
        if (!list) {
          list = document.createElement("ul");
          list.className = "errorlist";
          list.id = listId;
          box.appendChild(list);
        }
        var line = document.createElement("li");
        line.textContent = text;
        list.appendChild(line);
        markInvalid(box, listId);
        var link = document.createElement("a");
        link.href = "#field-" + field;
        link.textContent = labelOf(box);
        item.appendChild(link);
        item.appendChild(document.createTextNode(": " + text));
      } else {
        item.textContent = text;
      }
      items.appendChild(item);
    });
    form.insertBefore(summary, form.firstChild);
    summary.focus({ preventScroll: true });
    summary.scrollIntoView({ block: "start" });
  }
  /* Errors the server rendered (the page without JavaScript, or a failed script) get the same
   * links from their field to their message. */
  Array.prototype.forEach.call(form.querySelectorAll(".field .errorlist[id]"), function (list) {
    markInvalid(list.parentNode, list.id);
  });

  /* -- the outbox -------------------------------------------------------------------- */
  var retryTimer = null, retryDelay = RETRY_FIRST_MS, lastTrouble = "";

  function showSent(reference, url) {
    var item = document.createElement("li");
    item.textContent = msg("sent", { reference: reference }) + " ";
    var link = document.createElement("a");
    link.href = url;
    link.textContent = msg("sent-link");
    item.appendChild(link);
    sentList.appendChild(item);
    sentList.hidden = false;
  }
  function showWaiting(count) {
    if (!count) {
      if (!standing) { hideStatus(); }
      return;
    }
    var before = standing ? standing + " " : "", kind = standing ? "rejected" : "waiting";
    if (!navigator.onLine) {
      show(before + msg("offline", { count: count }), kind);
    } else if (lastTrouble === "login") {
      show(before + msg("login", { count: count }), kind,
           { href: form.getAttribute("data-login-url"), text: msg("login-link") });
    } else {
      show(before + msg("retry", { count: count }), kind);
    }
    if (before) { standing = before.trim(); }
  }
  function refresh() {
    if (!outbox) { return Promise.resolve(0); }
    return outbox.waiting().then(function (items) {
      showWaiting(items.length);
      return takeRejected().then(function () { return items.length; });
    });
  }
  /* A report the server refused while it waited comes back into the form, unless the reporter
   * is writing another one: that one is not overwritten, and the refused one waits. */
  /* One look at a time: a second look must not find the form it just filled. A look asked for
   * while one runs is not dropped but made after it: the running one may have read the outbox
   * before the service worker marked a report refused (seen on a loaded machine). */
  var taking = null, takeAgain = false;
  function takeRejected() {
    if (taking) { takeAgain = true; return taking; }
    taking = takeOneRejected().then(tookOne, tookOne);
    return taking;
  }
  function tookOne() {
    taking = null;
    if (takeAgain) { takeAgain = false; return takeRejected(); }
    return undefined;
  }
  function takeOneRejected() {
    return outbox.rejected().then(function (items) {
      if (!items.length) { return undefined; }
      if (!isEmpty()) { show(msg("rejected-later"), "rejected"); return undefined; }
      var item = items[0];
      restore(item.fields, item.files);
      saveDraft();
      return outbox.remove(item.key).then(function () {
        showErrors(item.errors || []);
        show(msg("rejected"), "rejected");
        reveal(); /* the message saying why the form filled itself, above the summary */
      });
    });
  }
  function onOutcome(message) {
    if (!message || !message.type) { return; }
    if (message.type === "sent" && outbox.safeUrl(message.url)) { showSent(message.reference, message.url); }
    if (message.type === "login") { lastTrouble = "login"; }
    refresh();
  }
  function scheduleRetry() {
    if (retryTimer || !navigator.onLine) { return; }
    retryTimer = window.setTimeout(function () {
      retryTimer = null;
      retryDelay = Math.min(retryDelay * 2, RETRY_MAX_MS);
      flushNow();
    }, retryDelay);
  }
  function flushNow() {
    if (!outbox) { return Promise.resolve(); }
    return outbox.flush(function (message) {
      if (message.type === "sent" || message.type === "rejected") { lastTrouble = ""; }
      onOutcome(message);
    }, csrf).then(function (left) {
      if (left.waiting) {
        scheduleRetry();
      } else {
        retryDelay = RETRY_FIRST_MS;
      }
      return refresh();
    });
  }
  function requestBackgroundSync() {
    if (!navigator.serviceWorker) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      return registration.sync ? registration.sync.register("waspada-outbox") : undefined;
    }).catch(function () { /* no Background Sync: this page sends when it sees the network */ });
  }
  /* The reporter pressed the button at the foot of a long form: bring the message into view. */
  function reveal() { area.scrollIntoView({ block: "nearest" }); }
  function queue(item, trouble) {
    lastTrouble = trouble;
    return outbox.add(item).then(function () {
      localStorage.removeItem(draftKey);
      form.reset();
      keyInput.value = newKey();
      saveDraft();
      requestBackgroundSync();
      scheduleRetry();
      return refresh().then(reveal);
    }, function () {
      show(msg("not-stored"), "rejected"); /* the form keeps everything: nothing is lost yet */
      reveal();
    });
  }

  /* -- start ------------------------------------------------------------------------- */
  var hasServerErrors = form.querySelector(".errorlist") !== null;
  var saved = null;
  try { saved = JSON.parse(localStorage.getItem(draftKey) || "null"); } catch (e) { saved = null; }
  if (saved && !hasServerErrors) { restore(saved); }
  if (!keyInput.value) { keyInput.value = newKey(); saveDraft(); }
  form.addEventListener("input", saveDraft);
  form.addEventListener("change", saveDraft);
  document.getElementById("clear-draft").addEventListener("click", function () {
    localStorage.removeItem(draftKey);
    form.reset();
    clearErrors();
    hideStatus();
    keyInput.value = newKey();
    saveDraft();
    if (outbox) { refresh(); }
  });

  if (!outbox) { return; } /* an old browser: the plain form post still works */

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* http on a LAN IP */ });
    navigator.serviceWorker.addEventListener("message", function (event) { onOutcome(event.data); });
  }
  window.addEventListener("online", function () {
    retryDelay = RETRY_FIRST_MS;
    if (retryTimer) { window.clearTimeout(retryTimer); retryTimer = null; }
    flushNow();
  });
  window.addEventListener("offline", function () { refresh(); });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && navigator.onLine) { flushNow(); }
  });
  refresh().then(function (count) { if (count && navigator.onLine) { flushNow(); } });

  var sending = false;
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (sending) { return; }
    clearErrors();
    standing = "";
    var data = new FormData(form);
    var files = [];
    data.getAll("lampiran").forEach(function (file) {
      if (file && file.size) { files.push(["lampiran", file, file.name]); }
    });
    var title = form.elements.namedItem("title");
    /* What is queued is exactly what was sent: a retry must match the first attempt. */
    var item = { key: keyInput.value, url: form.action || window.location.href, fields: pairsOf(data),
                 files: files, csrf: csrf, title: title ? title.value : "", queuedAt: new Date().toISOString() };
    if (!navigator.onLine) { queue(item, "offline"); return; }
    sending = true;
    button.disabled = true;
    var label = button.textContent;
    button.textContent = msg("sending");
    show(msg("sending"), "sending");
    outbox.send(item).then(function (outcome) {
      if (outcome.type === "sent") {
        localStorage.removeItem(draftKey);
        show(msg("sent", { reference: outcome.reference }), "sent");
        window.location.assign(outcome.url);
        return undefined;
      }
      if (outcome.type === "rejected") {
        hideStatus();
        showErrors(outcome.errors);
        return undefined;
      }
      /* Offline after all, server trouble, or the answer got lost on the way: the outbox keeps
       * it and sends it again under the same key, so it is stored once whatever happened. */
      return queue(item, outcome.type);
    }).then(done, done);
    function done() {
      sending = false;
      button.disabled = false;
      button.textContent = label;
    }
  });
})();
