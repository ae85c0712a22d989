/* Waspada outbox: reports waiting for the network, kept in IndexedDB on the phone.
 * Shared by the page (report-form.js) and the service worker (sw.js). Each item carries its
 * Idempotency-Key, so sending it twice stores it once.
 *
 * An item: {key, url, fields: [[name, value]], files: [[name, Blob, filename]], csrf, title,
 * queuedAt}. An item the server refused stays, marked {rejected: true, errors}, until a page
 * puts it back into the form: the worker may flush with no page open, and must not lose it. */
(function (scope) {
  "use strict";
  var DB = "waspada-outbox", STORE = "items", LOCK = "waspada-outbox-flush";

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
        tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function add(item) { return run("readwrite", function (s) { return s.put(item); }); }
  function all() { return run("readonly", function (s) { return s.getAll(); }).then(function (r) { return r || []; }); }
  function remove(key) { return run("readwrite", function (s) { return s.delete(key); }); }
  function waiting() { return all().then(function (items) { return items.filter(function (i) { return !i.rejected; }); }); }
  function rejected() { return all().then(function (items) { return items.filter(function (i) { return i.rejected; }); }); }

  function toFormData(item) {
    var data = new FormData();
    item.fields.forEach(function (pair) { data.append(pair[0], pair[1]); });
    (item.files || []).forEach(function (f) { data.append(f[0], f[1], f[2]); });
    return data;
  }

  function isJson(response) {
    return (response.headers.get("Content-Type") || "").indexOf("application/json") !== -1;
  }
  function safeUrl(url) { return typeof url === "string" && /^\/(?!\/)/.test(url) ? url : null; }

  /* Post one item and say what came of it, without touching the store:
   *   {type: "sent", reference, url, created}    stored (or stored before: a replay)
   *   {type: "rejected", errors: [{field, message|code}]}  the server refuses it as it is
   *   {type: "login"}                           the session ended; keep it, log in again
   *   {type: "retry", status} / {type: "offline"}  try again later */
  function send(item, csrf) {
    return fetch(item.url, {
      method: "POST", body: toFormData(item), credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": csrf || item.csrf, "Idempotency-Key": item.key }
    }).then(function (response) {
      var json = isJson(response), status = response.status;
      if ((status === 201 || status === 200) && json) {
        return response.json().then(function (body) {
          if (!body.reference || !safeUrl(body.url)) { return { type: "retry", status: status }; }
          return { type: "sent", reference: body.reference, url: body.url, created: body.created };
        });
      }
      /* login_required answers with a redirect to the login page, which fetch follows. */
      if (response.redirected && !json) { return { type: "login" }; }
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) {
        if (!json) {
          /* 403 without JSON: the CSRF check failed (the form is older than the session). */
          return { type: "rejected", errors: [{ field: "__all__", code: status === 403 ? "expired" : "http",
                                                status: status }] };
        }
        return response.json().then(function (body) {
          var errors = body.errors && body.errors.length ? body.errors : [{ field: "__all__", message: body.detail }];
          return { type: "rejected", errors: errors };
        }, function () { return { type: "rejected", errors: [{ field: "__all__", code: "http", status: status }] }; });
      }
      return { type: "retry", status: status };
    }, function () { return { type: "offline" }; });
  }

  /* Only one sender at a time, across the page and the worker, so that an item is never in
   * flight twice (were it sent twice, the Idempotency-Key would still store it once). */
  function exclusively(work) {
    var locks = scope.navigator && scope.navigator.locks;
    return locks ? locks.request(LOCK, work) : work();
  }

  var chain = Promise.resolve();
  /* Send every waiting item, one after another. notify(message) hears of each outcome:
   * {type: "sent", key, reference, url}, {type: "rejected", key, errors}, {type: "login"}.
   * Resolves to {sent, waiting}: how many went, and how many still wait. A page passes its own
   * CSRF token: an item queued before the reporter logged in again carries a stale one. */
  function flush(notify, csrf) {
    notify = notify || function () {};
    var run = chain.then(function () {
      return exclusively(function () {
        var sent = 0, stop = false;
        return waiting().then(function (items) {
          return items.reduce(function (previous, item) {
            return previous.then(function () {
              if (stop) { return undefined; }
              return send(item, csrf).then(function (outcome) {
                if (outcome.type === "sent") {
                  sent += 1;
                  return remove(item.key).then(function () {
                    notify({ type: "sent", key: item.key, reference: outcome.reference, url: outcome.url });
                  });
                }
                if (outcome.type === "rejected") {
                  item.rejected = true;
                  item.errors = outcome.errors;
                  return add(item).then(function () {
                    notify({ type: "rejected", key: item.key, errors: outcome.errors });
                  });
                }
                if (outcome.type === "login") { notify({ type: "login" }); }
                /* Offline or logged out: the rest would fare no better. Server trouble may be this
                 * item's alone, so the others still get their turn. */
                stop = outcome.type !== "retry";
                return undefined;
              });
            });
          }, Promise.resolve());
        }).then(function () {
          return waiting().then(function (left) { return { sent: sent, waiting: left.length }; });
        });
      });
    });
    chain = run.catch(function () { return undefined; });
    return run;
  }

  scope.WaspadaOutbox = {
    add: add, all: all, waiting: waiting, rejected: rejected, remove: remove,
    send: send, flush: flush, toFormData: toFormData, safeUrl: safeUrl
  };
})(self);
