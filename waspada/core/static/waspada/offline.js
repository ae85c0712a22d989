/* Waspada offline shell, on every page (core/base.html):
 * - registers the service worker (/sw.js), which keeps the pages the server marks for the
 *   signed-in person and shows them without signal;
 * - tells the worker whose pages these are (<meta name="waspada-pengguna">, empty when nobody is
 *   signed in), so that it drops every other person's pages;
 * - clears the kept pages when the person logs out;
 * - shows the offline banner, with the reports waiting in the outbox, when the page came from the
 *   phone (body[data-halaman="salinan"]) or the network is gone. */
(function () {
  "use strict";
  var banner = document.getElementById("offline-banner");
  var meta = document.querySelector('meta[name="waspada-pengguna"]');
  var PAGES_PREFIX = "waspada-halaman-";

  function fromCache() { return document.body.getAttribute("data-halaman") === "salinan"; }

  function clearPages() {
    if (!window.caches) { return Promise.resolve(); }
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (n) { return n.indexOf(PAGES_PREFIX) === 0; })
        .map(function (n) { return caches.delete(n); }));
    }).catch(function () { return undefined; });
  }

  function tellWorker(message) {
    if (!("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.ready.then(function (registration) {
      var worker = navigator.serviceWorker.controller || registration.active;
      if (worker) { worker.postMessage(message); }
    }).catch(function () { /* no worker: nothing kept */ });
  }

  function showWaiting() {
    if (!banner) { return; }
    var count = banner.querySelector("[data-offline-count]");
    var list = banner.querySelector("[data-offline-waiting]");
    var outbox = self.WaspadaOutbox;
    /* A live report form says what waits itself, beside its button: the banner does not repeat it
     * there (its list growing above would push that message off the screen). */
    if (!outbox || (!fromCache() && document.getElementById("outbox-status"))) { return; }
    outbox.waiting().then(function (items) {
      list.textContent = "";
      if (!items.length) { count.textContent = banner.getAttribute("data-none"); return; }
      count.textContent = banner.getAttribute("data-some").replace("%(count)s", String(items.length));
      items.forEach(function (item) {
        var li = document.createElement("li");
        var when = item.queuedAt ? new Date(item.queuedAt) : null;
        li.textContent = (item.title || "—") + (when ? " · " + when.toLocaleString() : "");
        list.appendChild(li);
      });
    }).catch(function () { /* IndexedDB unavailable (private mode): say nothing */ });
  }

  function refresh() {
    if (!banner) { return; }
    var offline = !navigator.onLine;
    if (offline || fromCache()) {
      banner.hidden = false;
      banner.classList.toggle("reconnected", !offline);
      if (!offline) {
        banner.querySelector("[data-offline-title]").textContent = banner.getAttribute("data-reconnected-title");
        banner.querySelector("[data-offline-message]").textContent = banner.getAttribute("data-reconnected");
        /* The page sends what waits as soon as the network is back: look again shortly. */
        window.setTimeout(showWaiting, 1500);
      }
      showWaiting();
    } else {
      banner.hidden = true;
    }
  }

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* http on a LAN IP */ });
    if (meta && !fromCache()) { tellWorker({ type: "pengguna", key: meta.getAttribute("content") || "" }); }
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data && (event.data.type === "sent" || event.data.type === "rejected")) { refresh(); }
    });
  }
  if (meta && !meta.getAttribute("content")) { clearPages(); } /* nobody signed in: keep nobody's pages */

  /* Logging out: forget this person's pages before the session ends. */
  document.querySelectorAll("form[data-keluar]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-cleared")) { return; }
      event.preventDefault();
      tellWorker({ type: "keluar" });
      clearPages().then(function () { form.setAttribute("data-cleared", "1"); form.submit(); });
    });
  });

  window.addEventListener("online", refresh);
  window.addEventListener("offline", refresh);
  /* The report form queues into the outbox on its own: look again after a submission, and now and
   * then while the banner is up. */
  document.addEventListener("submit", function () { window.setTimeout(refresh, 700); }, true);
  window.setInterval(function () { if (banner && !banner.hidden) { showWaiting(); } }, 3000);
  refresh();
})();
