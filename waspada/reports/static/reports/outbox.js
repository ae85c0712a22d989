/* Waspada outbox: reports waiting for the network, kept in IndexedDB on the phone.
 * Shared by the page (report-form.js) and the service worker (sw.js). Each item carries its
 * Idempotency-Key, so sending it twice stores it once. */
(function (scope) {
  "use strict";
  var DB = "waspada-outbox", STORE = "items";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), store = tx.objectStore(STORE), result;
        var request = work(store);
        if (request) { request.onsuccess = function () { result = request.result; }; }
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function add(item) { return run("readwrite", function (s) { return s.put(item); }); }
  function all() { return run("readonly", function (s) { return s.getAll(); }).then(function (r) { return r || []; }); }
  function remove(key) { return run("readwrite", function (s) { return s.delete(key); }); }

  function toFormData(item) {
    var data = new FormData();
    item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    (item.files || []).forEach(function (f) { data.append(f[0], f[1], f[2]); });
    return data;
  }

  var flushing = null;
  /* Send every waiting item. notify(message) is told of each outcome:
   * {type: "sent", key, reference, url} or {type: "rejected", key, errors, item}. */
  function flush(notify) {
    if (flushing) { return flushing; }
    flushing = all().then(function (items) {
      return items.reduce(function (chain, item) {
        return chain.then(function () {
          return fetch(item.url, {
            method: "POST", body: toFormData(item), credentials: "same-origin",
            headers: { "Accept": "application/json", "X-CSRFToken": item.csrf, "Idempotency-Key": item.key }
          }).then(function (response) {
            if (response.status === 201 || response.status === 200) {
              return response.json().then(function (body) {
                return remove(item.key).then(function () {
                  notify({ type: "sent", key: item.key, reference: body.reference, url: body.url });
                });
              });
            }
            if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
              return response.json().catch(function () { return { errors: [] }; }).then(function (body) {
                return remove(item.key).then(function () {
                  notify({ type: "rejected", key: item.key, errors: body.errors || [], item: item });
                });
              });
            }
            return undefined; /* server trouble: keep it for the next try */
          }).catch(function () { return undefined; /* still offline */ });
        });
      }, Promise.resolve());
    }).then(function () { flushing = null; }, function () { flushing = null; });
    return flushing;
  }

  scope.WaspadaOutbox = { add: add, all: all, remove: remove, flush: flush };
})(self);
