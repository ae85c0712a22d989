/*
 * "Gunakan lokasi saya" on the report form: the phone's position → the nearest village.
 *
 * The browser's geolocation gives a point; GET /api/v1/regions/nearest?lat=…&lon=… answers the
 * desa/kelurahan of the regency whose centroid is nearest. The village goes into the place
 * picker and the point into the form's latitude/longitude, the report's exact point, which
 * only the reporter and the TKD see. Changing the place by hand afterwards drops the point.
 * Messages come from data-* attributes (the Content-Security-Policy forbids inline scripts).
 */
(function () {
  "use strict";
  var box = document.getElementById("use-location");
  var form = document.getElementById("report-form");
  if (!box || !form || !navigator.geolocation || !window.fetch) { return; }
  var button = document.getElementById("use-location-button");
  var status = document.getElementById("use-location-status");
  var latitude = form.elements.namedItem("latitude");
  var longitude = form.elements.namedItem("longitude");
  var picker = form.querySelector("[data-region-picker]");
  var search = picker && picker.querySelector("[data-region-picker-search]");
  var fromGps = false;
  box.hidden = false;

  function say(name, values) {
    status.textContent = String(box.getAttribute("data-msg-" + name) || "").replace(/\{(\w+)\}/g, function (m, key) {
      return values && values[key] !== undefined ? values[key] : m;
    });
  }

  function where(region) {
    var parts = [region.label];
    (region.ancestors || []).slice().reverse().forEach(function (a) {
      if (a.level >= 3) { parts.push(a.label); }
    });
    return parts.join(", ");
  }

  button.addEventListener("click", function () {
    say("locating");
    button.disabled = true;
    navigator.geolocation.getCurrentPosition(function (position) {
      var lat = position.coords.latitude, lon = position.coords.longitude;
      var url = box.getAttribute("data-nearest-url") + "?lat=" + encodeURIComponent(lat) + "&lon=" + encodeURIComponent(lon);
      fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) {
          if (response.status === 404) { throw new Error("far"); }
          if (!response.ok) { throw new Error("failed"); }
          return response.json();
        })
        .then(function (found) {
          button.disabled = false;
          if (picker && picker.regionPicker) { picker.regionPicker.select(found.region); }
          latitude.value = String(Math.round(lat * 1e6) / 1e6);
          longitude.value = String(Math.round(lon * 1e6) / 1e6);
          fromGps = true;
          say("found", { place: where(found.region), distance: String(found.distance_km).replace(".", ",") });
        })
        .catch(function (error) {
          button.disabled = false;
          say(error && error.message === "far" ? "far" : "failed");
        });
    }, function (error) {
      button.disabled = false;
      say(error && error.code === 1 ? "denied" : "failed");
    }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });

  // A place typed by hand is not where the GPS point is: drop the point.
  if (search) {
    search.addEventListener("input", function () {
      if (!fromGps) { return; }
      fromGps = false;
      latitude.value = "";
      longitude.value = "";
      say("cleared");
    });
  }
})();
