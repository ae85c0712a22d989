/* Waspada service worker: sends queued reports when the network returns, even with the page
 * closed (Background Sync, where the browser has it). While the report page is open it sends
 * them itself; outbox.js holds a lock so that the page and the worker never send one twice.
 * The view serving /sw.js writes WASPADA_OUTBOX_URL (the static URL of outbox.js) above this. */
/* global WaspadaOutbox */
importScripts(self.WASPADA_OUTBOX_URL || "/static/reports/outbox.js");

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function tellPages(message) {
  return self.clients.matchAll({ includeUncontrolled: true, type: "window" }).then(function (pages) {
    pages.forEach(function (page) { page.postMessage(message); });
  });
}

function flush() { return WaspadaOutbox.flush(tellPages); }

self.addEventListener("sync", function (event) {
  if (event.tag === "waspada-outbox") {
    /* Rejecting asks the browser to fire the sync again later, with its own back-off. */
    event.waitUntil(flush().then(function (left) {
      if (left.waiting) { throw new Error("outbox: " + left.waiting + " still waiting"); }
    }));
  }
});
self.addEventListener("message", function (event) {
  if (event.data === "flush") { event.waitUntil(flush()); }
});
