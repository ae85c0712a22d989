// The verify form's routing preview follows the chosen isu, ATHG, level, place and incident.
// Without JavaScript the "Perbarui pratinjau disposisi" button does the same with a page load.
(function () {
  "use strict";
  var form = document.querySelector("form.verify-form");
  if (!form) return;
  var url = form.getAttribute("data-preview-url");
  var button = form.querySelector(".js-hide");
  if (button) button.hidden = true;
  var pending = 0;
  function refresh() {
    var ticket = ++pending;
    var data = new FormData(form);
    data.delete("action");
    fetch(url, { method: "POST", body: data, credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        if (ticket !== pending) return; // an older answer arriving late
        var current = document.getElementById("routing-preview");
        var holder = document.createElement("div");
        holder.innerHTML = html;
        var fresh = holder.querySelector("#routing-preview");
        if (current && fresh) current.replaceWith(fresh);
      })
      .catch(function () {
        if (button) button.hidden = false; // fall back to the button
      });
  }
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", refresh);
  });
})();
