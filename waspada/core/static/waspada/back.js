/* "Kembali ke formulir" on the refused-input page (core/400.html): go back in the browser's
 * history, where the form still holds what the person typed, rather than open it afresh.
 * Without scripts (or with no history) the link opens the form's address. */
(function () {
  "use strict";
  var link = document.querySelector("a[data-kembali]");
  if (!link || window.history.length < 2) { return; }
  link.addEventListener("click", function (event) {
    event.preventDefault();
    window.history.back();
  });
}());
