// The command-room wall: ask the wall's refresh every few seconds with the stamp it has; a 204
// means nothing changed, a page of content is swapped in place (no reload), a refusal (a
// revoked token) stops the polling, clears the picture and says so. No inline script (the CSP forbids it).
(function () {
  "use strict";
  var wall = document.querySelector("[data-wall-url]");
  if (!wall || !window.fetch) return;
  var url = wall.getAttribute("data-wall-url");
  var every = Math.max(1, parseInt(wall.getAttribute("data-poll"), 10) || 5) * 1000;
  var fullEvery = Math.max(1, parseInt(wall.getAttribute("data-full-every"), 10) || 60);
  var stamp = wall.getAttribute("data-stamp") || "";
  var content = document.getElementById("wall-content");
  var stopped = wall.querySelector("[data-wall-stopped]");
  var polls = 0;
  var busy = false;
  var timer = null;

  function stop(text) {
    window.clearInterval(timer);
    // A revoked screen shows nothing of the picture any more: it may already hang in a room
    // the picture is no longer for.
    if (content) content.innerHTML = "";
    if (stopped) {
      stopped.textContent = text || "Layar dihentikan.";
      stopped.hidden = false;
    }
  }

  function poll() {
    if (busy) return;
    busy = true;
    polls += 1;
    var ask = polls % fullEvery === 0 ? "" : stamp;
    var sep = url.indexOf("?") === -1 ? "?" : "&";
    fetch(url + sep + "stamp=" + encodeURIComponent(ask), { credentials: "same-origin", cache: "no-store" })
      .then(function (r) {
        if (r.status === 403) return r.text().then(function (t) { stop(t); });
        if (!r.ok) return null;
        stamp = r.headers.get("X-Wall-Stamp") || stamp;
        if (r.status === 204) return null;
        return r.text().then(function (html) { content.innerHTML = html; });
      })
      .catch(function () { /* the network blinked: try again at the next tick */ })
      .then(function () { busy = false; });
  }

  timer = window.setInterval(poll, every);
})();
