/* Waspada service worker: sends queued reports when the network returns (Background Sync where
 * the browser has it; otherwise the page asks us to flush when it sees it is online). */
/* global WaspadaOutbox, OUTBOX_URL */
importScripts(self.location.search ? decodeURIComponent(self.location.search.slice(3)) : "/static/reports/outbox.js");

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function tellPages(message) {
  return self.clients.matchAll({ includeUncontrolled: true, type: "window" }).then(function (pages) {
    pages.forEach(function (page) { page.postMessage(message); });
  });
}

function flush() { return WaspadaOutbox.flush(tellPages); }

self.addEventListener("sync", function (event) {
  if (event.tag === "waspada-outbox") { event.waitUntil(flush()); }
});
self.addEventListener("message", function (event) {
  if (event.data === "flush") { event.waitUntil(flush()); }
});
