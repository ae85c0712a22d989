/* Triage suggestions on the report form.
 *
 * The "Sarankan isian" button sends the title and narrative to POST /api/v1/triage/suggest (the
 * web session, with the CSRF token) and pre-fills isu, ATHG class, alert level, gatra and the
 * place; the reporter or analyst changes whatever is wrong. What was suggested is written into the
 * form's hidden suggested_* fields, so it travels with the report itself (the plain post, the
 * outbox and its replay by the service worker alike) and the server records the correction in
 * the report's own transaction. (It used to go in a second request as the page was left, which
 * a page controlled by the service worker no longer sent.) Messages come from data-* attributes
 * (the Content-Security-Policy forbids inline scripts).
 */
(function () {
  "use strict";
  var form = document.getElementById("report-form");
  var button = document.getElementById("triage-suggest");
  var status = document.getElementById("triage-status");
  if (!form || !button || !status) { return; }
  var csrf = form.elements.namedItem("csrfmiddlewaretoken").value;
  var SUGGESTED = { isu: "suggested_isu", athg: "suggested_athg", level: "suggested_level",
                    region_code: "suggested_region_code" };

  function field(name) { return form.elements.namedItem(name); }
  function text() {
    var parts = [];
    ["title", "what", "who", "cause", "where_detail", "latest_condition"].forEach(function (name) {
      var el = field(name);
      if (el && el.value) { parts.push(el.value); }
    });
    return parts.join("\n");
  }
  function say(template, values) {
    status.hidden = false;
    status.textContent = String(template || "").replace(/\{(\w+)\}/g, function (m, key) {
      return values && values[key] !== undefined ? values[key] : m;
    });
  }
  /* What the suggestion itself put in a field (name -> value as current() reads it): a field
   * whose value is neither its initial one nor this was set by the reporter, and stays hers. */
  var filled = {};
  function control(name) {
    return name === "region_code" ? form.querySelector("[data-region-picker-value]") || field(name) : field(name);
  }
  /* A field's value as one string: a radio group's or checkboxes' checked values, joined. */
  function valueOf(name, initial) {
    var el = control(name);
    if (!el) { return ""; }
    if (el instanceof RadioNodeList) {
      return Array.prototype.filter.call(el, function (i) { return initial ? i.defaultChecked : i.checked; })
        .map(function (i) { return i.value; }).sort().join(",");
    }
    if (el.options) {
      if (!initial) { return el.value; }
      var chosen = Array.prototype.filter.call(el.options, function (o) { return o.defaultSelected; })[0];
      return chosen ? chosen.value : (el.options[0] ? el.options[0].value : "");
    }
    return initial ? el.defaultValue : el.value;
  }
  /* Set by hand: changed from the value the page came with, and not by the suggestion. */
  function setByHand(name) {
    var now = valueOf(name);
    return now !== valueOf(name, true) && now !== filled[name];
  }
  function setValue(name, value) {
    var el = field(name);
    if (!el || !value) { return false; }
    if (el instanceof RadioNodeList) {
      for (var i = 0; i < el.length; i++) { el[i].checked = el[i].value === value; }
    } else {
      if (!Array.prototype.some.call(el.options || [], function (o) { return o.value === value; })) { return false; }
      el.value = value;
    }
    filled[name] = valueOf(name);
    el.dispatchEvent ? el.dispatchEvent(new Event("change", { bubbles: true })) : null;
    markSuggested(name);
    return true;
  }
  /* A filled field is marked, so the reporter sees what the suggestion changed. */
  function markSuggested(name) {
    var box = document.getElementById("field-" + name);
    if (!box) { return; }
    box.classList.add("suggested");
    var caption = box.querySelector("legend") || box.querySelector("label");
    if (caption) { caption.setAttribute("data-suggested", status.getAttribute("data-msg-marked") || ""); }
    // The value is there now: an earlier "choose this" error no longer applies.
    Array.prototype.forEach.call(box.querySelectorAll(".errorlist"), function (el) { el.remove(); });
    Array.prototype.forEach.call(box.querySelectorAll("[aria-invalid]"), function (el) {
      el.removeAttribute("aria-invalid");
    });
  }
  // A field the reporter changes herself is hers again (the suggestion's own change events keep
  // the value it wrote, so they do not count).
  form.addEventListener("change", function (event) {
    var box = event.target.closest && event.target.closest(".field.suggested");
    if (!box || !box.id) { return; }
    var name = box.id.replace(/^field-/, "");
    if (valueOf(name) !== filled[name]) { box.classList.remove("suggested"); }
  });
  /* The name a person reads for a chosen value: the option's or the radio's label. */
  function shownLabel(name) {
    var el = field(name);
    if (!el) { return ""; }
    if (el instanceof RadioNodeList) {
      for (var i = 0; i < el.length; i++) {
        if (el[i].checked) { return (el[i].closest("label") || el[i]).textContent.trim(); }
      }
      return "";
    }
    var option = el.options && el.options[el.selectedIndex];
    return option ? option.text : el.value;
  }
  /* The label of one value of a select or radio group, chosen or not. */
  function labelOf(name, value) {
    var el = field(name);
    if (!el) { return value; }
    var items = el instanceof RadioNodeList ? Array.prototype.slice.call(el) : Array.prototype.slice.call(el.options || []);
    var item = items.filter(function (i) { return i.value === value; })[0];
    if (!item) { return value; }
    return item.tagName === "OPTION" ? item.text : (item.closest("label") || item).textContent.trim();
  }
  /* A field the suggestion is not sure of is left as it was: the two best choices are named. */
  function fill(name, prediction, doubts) {
    if (prediction.sure === false) {
      /* "Isu: SARA / antaretnis (11%) atau Pemerintahan desa (9%)": the field, then its two best */
      var or = " " + status.getAttribute("data-msg-or") + " ";
      doubts.push(fieldLabel(name) + ": " + (prediction.choices || []).map(function (c) {
        return labelOf(name, c.value) + " (" + percent(c.confidence) + ")";
      }).join(or));
      return;
    }
    setValue(name, prediction.value);
  }
  /* The label a person reads above a field ("Isu", "Tingkat kewaspadaan"). */
  function fieldLabel(name) {
    var el = field(name);
    var first = el instanceof RadioNodeList ? el[0] : el;
    var box = first && first.closest(".field, fieldset");
    var label = box && box.querySelector("legend, label");
    return label ? label.textContent.replace(/\s+/g, " ").replace(/\s*\*$/, "").trim() : name;
  }
  function setGatra(values) {
    var boxes = form.querySelectorAll("input[name='gatra']");
    Array.prototype.forEach.call(boxes, function (box) { box.checked = values.indexOf(box.value) >= 0; });
    filled.gatra = valueOf("gatra");
    if (values.length) { markSuggested("gatra"); }
    else {
      var box = document.getElementById("field-gatra");
      if (box) { box.classList.remove("suggested"); }
    }
  }
  /* The labels of the checked gatra, as the reporter reads them. */
  function gatraLabels() {
    return Array.prototype.filter.call(form.querySelectorAll("input[name='gatra']"), function (b) { return b.checked; })
      .map(function (b) { return (b.closest("label") || b).textContent.trim(); }).join(", ");
  }
  function setPlace(code, label) {
    var hidden = control("region_code");
    var search = form.querySelector("[data-region-picker-search]");
    var root = form.querySelector("[data-region-picker]");
    if (!hidden || !code) { return; }
    filled.region_code = code;
    markSuggested("region_code");
    if (root && root.regionPicker && root.getAttribute("data-api-url")) {
      // The picker shows the region as it shows a choice: "Desa Lombok" and where it lies.
      fetch(root.getAttribute("data-api-url") + encodeURIComponent(code), {
        credentials: "same-origin", headers: { Accept: "application/json" }
      }).then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      }).then(function (region) { root.regionPicker.select(region); })
        .catch(function () { hidden.value = code; if (search) { search.value = label; } });
      return;
    }
    hidden.value = code;
    if (search) { search.value = label; }
    hidden.dispatchEvent(new Event("change", { bubbles: true }));
  }
  /* A casualty count: filled only while the field is empty (or still holds the last suggestion). */
  function setCount(name, value) {
    var el = field(name);
    if (!el) { return false; }
    el.value = String(value);
    filled[name] = el.value;
    el.dispatchEvent(new Event("change", { bubbles: true }));
    markSuggested(name);
    return true;
  }
  /* A field back to how the page came (a radio group, checkboxes, a select, a box, the place). */
  function restore(name) {
    var el = control(name);
    if (!el) { return; }
    if (name === "region_code") {
      var root = form.querySelector("[data-region-picker]");
      var search = form.querySelector("[data-region-picker-search]");
      if (root && root.regionPicker && !el.defaultValue) { root.regionPicker.clear(); }
      else { el.value = el.defaultValue; }
      if (search) { search.value = search.defaultValue; }
    } else if (el instanceof RadioNodeList) {
      Array.prototype.forEach.call(el, function (i) { i.checked = i.defaultChecked; });
    } else if (el.options) {
      var chosen = Array.prototype.filter.call(el.options, function (o) { return o.defaultSelected; })[0];
      el.value = chosen ? chosen.value : (el.options[0] ? el.options[0].value : "");
    } else {
      el.value = el.defaultValue;
    }
    var box = document.getElementById("field-" + name);
    if (box) { box.classList.remove("suggested"); }
    var first = el instanceof RadioNodeList ? el[0] : el;
    if (first) { first.dispatchEvent(new Event("change", { bubbles: true })); }
  }
  /* A text that turns out not to be early-warning material takes back what an earlier suggestion
   * filled: each field still holding the suggestion's value goes back to how the page came (a
   * field the reporter changed since stays hers). Returns the fields taken back. */
  function withdraw() {
    var undone = Object.keys(filled).filter(function (name) { return valueOf(name) === filled[name]; });
    filled = {};
    undone.forEach(restore);
    return undone;
  }
  function percent(x) { return Math.round((x || 0) * 100) + "%"; }
  /* The suggestion goes with the report: hidden fields, kept in the draft and the outbox too. */
  function remember(shown) {
    Object.keys(SUGGESTED).forEach(function (key) {
      var el = field(SUGGESTED[key]);
      if (el) { el.value = shown ? shown[key] || "" : ""; }
    });
    if (shown) { form.dispatchEvent(new Event("change")); } /* report-form.js saves the draft */
  }
  // A cleared form (a new report, "Hapus draf") has no suggestion; reset() leaves hidden values.
  form.addEventListener("reset", function () {
    remember(null);
    filled = {};
    Array.prototype.forEach.call(form.querySelectorAll(".field.suggested"), function (box) {
      box.classList.remove("suggested");
    });
  });

  function msg(name, values) {
    return String(status.getAttribute("data-msg-" + name) || "").replace(/\{(\w+)\}/g, function (m, key) {
      return values && values[key] !== undefined ? values[key] : m;
    });
  }
  function element(tag, text) {
    var el = document.createElement(tag);
    if (text) { el.textContent = text; }
    return el;
  }
  /* A list in the message: each item "<a href=#field-…>Field</a>: text", a tap away from it. */
  function list(items) {
    var ul = element("ul");
    items.forEach(function (item) {
      var li = element("li");
      var link = element("a", fieldLabel(item.name));
      link.href = "#field-" + item.name;
      li.appendChild(link);
      li.appendChild(document.createTextNode(": " + item.text));
      ul.appendChild(li);
    });
    return ul;
  }

  button.addEventListener("click", function () {
    var body = text();
    if (!body.trim()) { say(status.getAttribute("data-msg-empty")); return; }
    say(status.getAttribute("data-msg-wait"));
    fetch(button.getAttribute("data-api-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify({ text: body })
    }).then(function (response) {
      if (!response.ok) { throw new Error(String(response.status)); }
      return response.json();
    }).then(function (s) {
      if (!s.is_early_warning) {
        var undone = withdraw();
        say(status.getAttribute(undone.length ? "data-msg-none-undone" : "data-msg-none"),
            { confidence: percent(s.isu.confidence) });
        if (undone.length) {
          status.appendChild(list(undone.map(function (name) { return { name: name, text: shownLabel(name) || valueOf(name) || "-" }; })));
        }
        remember({ isu: "none", athg: "none", level: "", region_code: s.region_code || "" });
        return;
      }
      remember({ isu: s.isu.value, athg: s.athg.value, level: s.alert_level.value, region_code: s.region_code || "" });
      var changed = [];   // {name, text}: what the suggestion filled
      var kept = [];      // {name, text}: what the reporter had set and the suggestion differs from
      var doubts = [];
      var raised = ["waspada", "siaga", "awas"].indexOf(s.alert_level.value) >= 0;
      var cues = (s.alert_level.cues || []).map(function (c) {
        return c.label + " (" + (c.words || []).join(", ") + ")";
      }).join("; ") || status.getAttribute(raised ? "data-msg-no-cues-raised" : "data-msg-no-cues");
      var levelShown = labelOf("alert_level", s.alert_level.value);
      /* One field: left when unsure, kept when the reporter set it, else filled. */
      function offer(name, prediction, suggestedText) {
        if (prediction.sure === false) { fill(name, prediction, doubts); return; }
        if (setByHand(name)) {
          if (valueOf(name) !== prediction.value) {
            kept.push({ name: name, text: msg("mine", { mine: shownLabel(name), suggested: suggestedText }) });
          }
          return;
        }
        if (setValue(name, prediction.value)) { changed.push({ name: name, text: shownLabel(name) }); }
      }
      offer("isu", s.isu, labelOf("isu", s.isu.value));
      offer("athg", s.athg, labelOf("athg", s.athg.value));
      offer("alert_level", s.alert_level, msg("because", { value: levelShown, cues: cues }));
      var place = (s.places.found || []).filter(function (f) { return f.code === s.region_code; })[0];
      var placeName = place ? place.name : s.region_code;
      if (s.region_code && valueOf("region_code") !== s.region_code) {
        if (setByHand("region_code")) {
          var search = form.querySelector("[data-region-picker-search]");
          kept.push({ name: "region_code", text: msg("mine", {
            mine: search && search.value ? search.value : valueOf("region_code"), suggested: placeName }) });
        } else {
          setPlace(s.region_code, place ? place.name + " (" + s.region_code + ")" : s.region_code);
          changed.push({ name: "region_code", text: placeName });
        }
      }
      var gatra = (s.gatra || []).slice().sort();
      if (gatra.length && valueOf("gatra") !== gatra.join(",")) {
        if (setByHand("gatra")) {
          kept.push({ name: "gatra", text: msg("mine", { mine: gatraLabels() || "-",
            suggested: gatra.map(function (g) { return labelOf("gatra", g); }).join(", ") }) });
        } else {
          setGatra(gatra);
          changed.push({ name: "gatra", text: gatraLabels() });
        }
      }
      var counts = s.casualties || {};
      [["dead", "casualties_dead"], ["injured", "casualties_injured"], ["displaced", "casualties_displaced"]]
        .forEach(function (pair) {
          var value = counts[pair[0]], name = pair[1];
          if (value === null || value === undefined || !field(name) || valueOf(name) === String(value)) { return; }
          if (valueOf(name) === "" || valueOf(name) === filled[name]) {
            if (setCount(name, value)) { changed.push({ name: name, text: String(value) }); }
          } else {
            kept.push({ name: name, text: msg("mine-count", { mine: valueOf(name), suggested: String(value) }) });
          }
        });

      var duplicates = (s.duplicates || []).map(function (d) { return d.reference; }).join(", ");
      status.hidden = false;
      status.textContent = "";
      status.appendChild(element("p", msg("done") + " " + msg(changed.length ? "filled" : "nothing-filled")));
      if (changed.length) { status.appendChild(list(changed)); }
      if (kept.length) {
        status.appendChild(element("p", msg("kept")));
        status.appendChild(list(kept));
      }
      status.appendChild(element("p", msg("details", {
        isu: s.isu.sure === false ? status.getAttribute("data-msg-unsure-short") : labelOf("isu", s.isu.value),
        confidence: percent(s.isu.confidence),
        words: (s.isu.words || []).join(", ") || "-",
        level: levelShown,
        cues: cues,
        forums: (s.forums.names || s.forums.value || []).join(", "), place: place ? place.name : "-",
        duplicates: duplicates || "-"
      })));
      if (doubts.length) {
        status.appendChild(element("p", msg("unsure").replace("{choices}", doubts.join("; "))));
      }
      // On a phone the filled fields are above the button, out of sight: the message, which names
      // each of them (a tap away), is brought into view instead of leaving the reporter guessing.
      status.scrollIntoView({ block: "start" });
    }).catch(function () { say(status.getAttribute("data-msg-error")); });
  });
})();
