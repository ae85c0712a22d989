/* Waspada service worker, two jobs (docs/offline.md):
 *
 * 1. Send queued reports when the network returns, even with the page closed (Background Sync,
 *    where the browser has it). While the report page is open it sends them itself; outbox.js
 *    holds a lock so that the page and the worker never send one twice.
 * 2. Open the app without signal. The shell (CSS, scripts, icons, the /luring/ page) is kept at
 *    install. A page is kept only when the server marks it "X-Waspada-Luring: simpan" (the report
 *    form, the person's reports and their pages, the inbox), in a cache of that person
 *    ("waspada-halaman-<key>", the key from the page's "X-Waspada-Pengguna"), refreshed at every
 *    online visit; a page of another person (or of nobody, after logging out) drops the others. Without network the kept copy
 *    is shown, marked body[data-halaman="salinan"] so the page shows its offline banner; a page
 *    never kept gets /luring/. Only GET is ever kept: never a POST, never another person's page.
 *
 * The view serving /sw.js writes above this: WASPADA_OUTBOX_URL (the static URL of outbox.js),
 * WASPADA_SHELL (the shell's URLs) and WASPADA_VERSION (changes with them). */
/* global WaspadaOutbox */
importScripts(self.WASPADA_OUTBOX_URL || "/static/reports/outbox.js");

var SHELL = "waspada-shell-" + (self.WASPADA_VERSION || "dev");
var PAGES_PREFIX = "waspada-halaman-";
var META = "waspada-meta";
var OWNER_URL = "/__waspada-pengguna__";
var OFFLINE_URL = "/luring/";

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL).then(function (cache) {
      return cache.addAll((self.WASPADA_SHELL || []).concat([OFFLINE_URL]));
    }).catch(function () { /* a missing file must not stop the outbox from working */ })
      .then(function () { return self.skipWaiting(); })
  );
});
self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("waspada-shell-") === 0 && name !== SHELL;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

/* -- whose pages: the key of the signed-in person, kept in a tiny cache entry ------------------ */
function owner() {
  return caches.open(META).then(function (cache) { return cache.match(OWNER_URL); })
    .then(function (response) { return response ? response.text() : ""; });
}
function setOwner(key) {
  return owner().then(function (previous) {
    return caches.keys().then(function (names) {
      /* Every other person's pages go, whatever happens next. */
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PAGES_PREFIX) === 0 && name !== PAGES_PREFIX + key;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () {
      if (previous === key) { return undefined; }
      return caches.open(META).then(function (cache) { return cache.put(OWNER_URL, new Response(key)); });
    });
  });
}

/* -- pages --------------------------------------------------------------------------------------- */
function markedCopy(response) {
  /* The kept page, told that it is a copy: base.html's body says data-halaman="jaringan". */
  return response.text().then(function (html) {
    var headers = new Headers(response.headers);
    headers.set("X-Waspada-Salinan", "1");
    return new Response(html.replace('data-halaman="jaringan"', 'data-halaman="salinan"'),
                        { status: 200, headers: headers });
  });
}
function keptPage(request) {
  return owner().then(function (key) {
    if (!key) { return undefined; }
    return caches.open(PAGES_PREFIX + key).then(function (cache) {
      return cache.match(request).then(function (hit) {
        return hit || cache.match(request, { ignoreSearch: true });
      });
    });
  });
}
function keep(request, response) {
  /* Every page names its person (empty when nobody is signed in): a change drops the old pages. */
  var key = response.headers.get("X-Waspada-Pengguna");
  if (key === null) { return Promise.resolve(); }
  return setOwner(key).then(function () {
    if (!key || response.status !== 200 || response.redirected ||
        response.headers.get("X-Waspada-Luring") !== "simpan") { return undefined; }
    return caches.open(PAGES_PREFIX + key).then(function (cache) { return cache.put(request, response); });
  });
}
function page(event) {
  var request = event.request;
  return fetch(request).then(function (response) {
    event.waitUntil(keep(request, response.clone()).catch(function () { return undefined; }));
    return response;
  }, function () {
    return keptPage(request).then(function (hit) {
      if (hit) { return markedCopy(hit); }
      return caches.match(OFFLINE_URL).then(function (fallback) {
        return fallback || new Response("Luring / offline", { status: 503, headers: { "Content-Type": "text/plain" } });
      });
    });
  });
}

/* -- the shell: from the cache at once, refreshed behind ------------------------------------------ */
function shell(event) {
  var request = event.request;
  return caches.open(SHELL).then(function (cache) {
    return cache.match(request).then(function (hit) {
      var fresh = fetch(request).then(function (response) {
        if (response.status === 200) { cache.put(request, response.clone()); }
        return response;
      });
      if (hit) {
        event.waitUntil(fresh.catch(function () { return undefined; }));
        return hit;
      }
      return fresh;
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; } /* never a POST: the network or nothing */
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  if (request.mode === "navigate") { event.respondWith(page(event)); return; }
  if (url.pathname.indexOf("/static/") === 0 || url.pathname === "/manifest.webmanifest") {
    event.respondWith(shell(event));
  }
});

/* -- the outbox -------------------------------------------------------------------------------- */
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
  var data = event.data;
  if (data === "flush") { event.waitUntil(flush()); return; }
  if (data && data.type === "pengguna" && typeof data.key === "string") { event.waitUntil(setOwner(data.key)); }
  if (data && data.type === "keluar") { event.waitUntil(setOwner("")); }
});
