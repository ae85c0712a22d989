/* Report form: keeps a draft on the phone, sends with an Idempotency-Key, and when the network
 * is gone puts the report in the outbox and sends it when the network returns. */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  if (!form) { return; }
  var status = document.getElementById("outbox-status");
  var draftKey = form.getAttribute("data-draft-key");
  var keyInput = form.querySelector("input[name=idempotency_key]");
  var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var SKIP = { csrfmiddlewaretoken: true, lampiran: true };
  var T = {
    waiting: "Belum ada jaringan. Laporan tersimpan di ponsel dan akan dikirim otomatis (%n menunggu).",
    sending: "Mengirim laporan…",
    sent: "Laporan diterima: %r.",
    rejected: "Laporan yang tertunda ditolak server. Periksa isian di bawah lalu kirim lagi.",
    failed: "Server sedang bermasalah. Laporan disimpan dan akan dikirim ulang."
  };

  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return "k-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2);
  }
  function show(text, kind) {
    status.hidden = false;
    status.className = "outbox " + (kind || "");
    status.textContent = text;
  }

  /* -- draft ------------------------------------------------------------------------- */
  function fields() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (!SKIP[name] && typeof value === "string") { pairs.push([name, value]); }
    });
    return pairs;
  }
  function saveDraft() {
    try { localStorage.setItem(draftKey, JSON.stringify(fields())); } catch (e) { /* storage full */ }
  }
  function restore(pairs) {
    var seen = {};
    pairs.forEach(function (pair) {
      var name = pair[0], value = pair[1];
      var inputs = form.querySelectorAll("[name='" + name + "']");
      inputs.forEach(function (input) {
        if (input.type === "checkbox" || input.type === "radio") {
          if (!seen[name]) { input.checked = false; }
          if (input.value === value) { input.checked = true; }
        } else {
          input.value = value;
        }
      });
      seen[name] = true;
    });
    form.dispatchEvent(new Event("waspada:restored"));
  }
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
    keyInput.value = newKey();
  });

  /* -- errors ------------------------------------------------------------------------ */
  function clearErrors() {
    form.querySelectorAll(".errorlist.js").forEach(function (el) { el.remove(); });
  }
  function showErrors(errors) {
    clearErrors();
    errors.forEach(function (error) {
      var box = document.getElementById("field-" + error.field) || form;
      var list = document.createElement("ul");
      list.className = "errorlist js";
      var item = document.createElement("li");
      item.textContent = error.message; /* textContent: never HTML */
      list.appendChild(item);
      if (box === form) { form.insertBefore(list, form.firstChild); } else { box.appendChild(list); }
    });
    var first = form.querySelector(".errorlist.js");
    if (first) { first.scrollIntoView({ block: "center" }); }
  }

  /* -- outbox ------------------------------------------------------------------------ */
  function refreshCount() {
    if (!self.WaspadaOutbox) { return Promise.resolve(0); }
    return WaspadaOutbox.all().then(function (items) {
      if (items.length) { show(T.waiting.replace("%n", items.length), "waiting"); }
      return items.length;
    });
  }
  function onOutcome(message) {
    if (message.type === "sent") {
      show(T.sent.replace("%r", message.reference), "sent");
      var link = document.createElement("a");
      link.href = message.url; link.textContent = " " + message.reference;
      status.appendChild(link);
      refreshCount();
    } else if (message.type === "rejected") {
      show(T.rejected, "rejected");
      restore(message.item.fields);
      showErrors(message.errors);
    }
  }
  function flushNow() {
    if (!self.WaspadaOutbox) { return; }
    WaspadaOutbox.flush(onOutcome);
    if (navigator.serviceWorker && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage("flush");
    }
  }
  function queue(data) {
    var files = [];
    data.getAll("lampiran").forEach(function (file) {
      if (file && file.size) { files.push(["lampiran", file, file.name]); }
    });
    var item = { key: keyInput.value, url: form.action || window.location.href, fields: fields(), files: files,
                 csrf: csrf, queuedAt: new Date().toISOString() };
    return WaspadaOutbox.add(item).then(function () {
      localStorage.removeItem(draftKey);
      form.reset();
      keyInput.value = newKey();
      saveDraft();
      refreshCount();
      if (navigator.serviceWorker && navigator.serviceWorker.ready) {
        navigator.serviceWorker.ready.then(function (reg) {
          if (reg.sync) { return reg.sync.register("waspada-outbox"); }
          return undefined;
        }).catch(function () { /* no background sync: the page flushes when online */ });
      }
    });
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js?u=" + encodeURIComponent(form.getAttribute("data-outbox-url")),
                                     { scope: "/" }).catch(function () { /* http on a LAN IP */ });
    navigator.serviceWorker.addEventListener("message", function (event) { onOutcome(event.data); });
  }
  window.addEventListener("online", flushNow);
  refreshCount().then(function (n) { if (n && navigator.onLine) { flushNow(); } });

  form.addEventListener("submit", function (event) {
    if (!window.fetch || !self.WaspadaOutbox) { return; } /* plain form post still works */
    event.preventDefault();
    clearErrors();
    var data = new FormData(form);
    if (!navigator.onLine) { queue(data); return; }
    show(T.sending, "sending");
    fetch(form.action || window.location.href, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf, "Idempotency-Key": keyInput.value }
    }).then(function (response) {
      if (response.status === 201) {
        return response.json().then(function (body) {
          localStorage.removeItem(draftKey);
          show(T.sent.replace("%r", body.reference), "sent");
          window.location.assign(body.url);
        });
      }
      if (response.status >= 400 && response.status < 500) {
        return response.json().then(function (body) {
          status.hidden = true;
          showErrors(body.errors || [{ field: "__all__", message: body.detail }]);
        });
      }
      show(T.failed, "waiting");
      return queue(data);
    }).catch(function () { queue(data); });
  });
})();
