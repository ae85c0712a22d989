// The emailed reset link carries its token after "#", which the browser never sends to a server
// (so no access log holds it). Put it into the form, drop it from the address bar, and send it.
(function () {
  "use strict";
  var form = document.getElementById("reset-link-form");
  var code = document.getElementById("id_code");
  var fragment = window.location.hash.replace(/^#/, "");
  if (!form || !code || !fragment || form.dataset.invalid === "true") {
    return;
  }
  code.value = fragment;
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname);
  }
  form.submit();
})();
