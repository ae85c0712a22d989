// Live updates for the situation pages: poll a tiny JSON stamp every few seconds; when it
// changes, fetch this same page again and swap each [data-live-region] for its new version.
// No framework, no inline script (the CSP forbids it); the server renders and escapes everything.
(function () {
  "use strict";
  var status = document.querySelector("[data-live-url]");
  if (!status || !window.fetch || !window.DOMParser) return;
  var url = status.getAttribute("data-live-url");
  var every = Math.max(1, parseInt(status.getAttribute("data-poll"), 10) || 5) * 1000;
  var note = status.querySelector("[data-live-note]");
  var stamp = null;
  var busy = false;

  function refresh() {
    return fetch(window.location.href, { credentials: "same-origin", headers: { "X-Live": "1" } })
      .then(function (r) { return r.ok ? r.text() : Promise.reject(r.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live-region]").forEach(function (old) {
          var next = old.id && fresh.getElementById(old.id);
          if (next) old.replaceWith(document.importNode(next, true));
        });
        if (note) note.textContent = "Terakhir diperbarui " + new Date().toLocaleTimeString("id-ID");
      });
  }

  function poll() {
    if (busy || document.hidden) return;
    busy = true;
    fetch(url, { credentials: "same-origin", cache: "no-store" })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (data) {
        var changed = stamp !== null && data.stamp !== stamp;
        stamp = data.stamp;
        return changed ? refresh() : null;
      })
      .catch(function () { /* offline for a moment: try again at the next tick */ })
      .then(function () { busy = false; });
  }

  poll();
  window.setInterval(poll, every);
  document.addEventListener("visibilitychange", poll);
})();
