/*
 * Region picker: a search box with server-side suggestions that fills a hidden code input.
 *
 * Markup comes from waspada/regions/templates/regions/widgets/region_picker.html; every setting
 * and message arrives in data-* attributes because the Content-Security-Policy forbids inline
 * scripts. Suggestions come from GET /api/v1/regions/?q=…&level=…&min_level=…&within=… (session cookie),
 * so the picker works the same for 144 villages and for 83,762. Keyboard: arrows move through
 * the suggestions, Enter chooses, Escape closes (a second Escape restores the chosen region).
 * Follows the WAI-ARIA 1.2 combobox pattern (aria-activedescendant on the search box).
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 250;
  var MIN_CHARS = 2;
  var LIMIT = 20;

  function format(template, values) {
    return String(template || "").replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  // "Desa Lombok, Kecamatan Long Ikis, Kabupaten Paser": the kecamatan tells namesakes apart.
  function describe(region) {
    var parts = [region.label];
    var ancestors = (region.ancestors || []).slice().reverse();
    for (var i = 0; i < ancestors.length; i++) {
      if (ancestors[i].level >= 2) {
        parts.push(ancestors[i].label);
      }
    }
    return parts.join(", ");
  }

  function RegionPicker(root) {
    this.root = root;
    this.hidden = root.querySelector("[data-region-picker-value]");
    this.search = root.querySelector("[data-region-picker-search]");
    this.listbox = root.querySelector("[role=listbox]");
    this.status = root.querySelector("[data-region-picker-status]");
    this.apiUrl = root.getAttribute("data-api-url") || "/api/v1/regions/";
    this.level = root.getAttribute("data-level") || "";
    this.minLevel = root.getAttribute("data-min-level") || "";
    this.within = root.getAttribute("data-within") || "";
    this.results = [];
    this.active = -1;
    this.timer = null;
    this.request = null;
    // Free text (the report's location): the typed text is submitted too and the server
    // resolves a name, so typing clears the code and leaving the box keeps what was typed.
    this.freeText = root.hasAttribute("data-free-text");
    this.chosenCode = this.hidden.value;
    this.chosenLabel = this.hidden.value ? this.search.value : "";
    this.chosenDescription = this.status.textContent;
    this.bind();
  }

  RegionPicker.prototype.message = function (name, values) {
    return format(this.root.getAttribute("data-msg-" + name), values || {});
  };

  RegionPicker.prototype.bind = function () {
    var self = this;
    this.search.addEventListener("input", function () {
      if (self.freeText && self.hidden.value && self.search.value !== self.chosenLabel) {
        self.hidden.value = "";
      }
      self.scheduleSearch();
    });
    this.search.addEventListener("keydown", function (event) {
      self.onKeyDown(event);
    });
    this.search.addEventListener("blur", function () {
      // Let a click on an option land first; then a half-typed text gives way to the choice.
      window.setTimeout(function () {
        self.close();
        if (self.freeText) {
          return;
        }
        if (self.search.value.trim() === "") {
          self.clear();
        } else {
          self.search.value = self.chosenLabel;
        }
      }, 150);
    });
    // The server's candidates for an ambiguous name: a tap chooses, as a suggestion would.
    var candidates = this.root.querySelector("[data-region-picker-candidates]");
    if (candidates) {
      candidates.addEventListener("change", function (event) {
        var radio = event.target;
        if (radio && radio.checked) {
          self.hidden.value = radio.value;
          self.chosenCode = radio.value;
          self.search.value = radio.getAttribute("data-label");
          self.chosenLabel = self.search.value;
        }
      });
    }
    // A draft put back into the form (report-form.js) sets both inputs; follow it.
    if (this.hidden.form) {
      this.hidden.form.addEventListener("waspada:restored", function () {
        self.chosenCode = self.hidden.value;
        self.chosenLabel = self.hidden.value ? self.search.value : "";
      });
    }
    this.listbox.addEventListener("mousedown", function (event) {
      event.preventDefault(); // keep focus in the search box
    });
    this.listbox.addEventListener("click", function (event) {
      var option = event.target.closest("[role=option]");
      if (option) {
        self.choose(Number(option.getAttribute("data-index")));
      }
    });
  };

  RegionPicker.prototype.scheduleSearch = function () {
    var self = this;
    window.clearTimeout(this.timer);
    var text = this.search.value.trim();
    if (text.length < MIN_CHARS) {
      this.close();
      this.setStatus(text ? this.message("too-short") : this.message("none"));
      return;
    }
    this.timer = window.setTimeout(function () {
      self.fetch(text);
    }, DEBOUNCE_MS);
  };

  RegionPicker.prototype.fetch = function (text) {
    var self = this;
    if (this.request) {
      this.request.abort(); // only the answer to the latest text matters
    }
    var controller = new AbortController();
    this.request = controller;
    var params = new URLSearchParams({ q: text, limit: String(LIMIT) });
    if (this.level) params.set("level", this.level);
    if (this.minLevel) params.set("min_level", this.minLevel);
    if (this.within) params.set("within", this.within);
    this.setStatus(this.message("searching"));
    window
      .fetch(this.apiUrl + "?" + params.toString(), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: controller.signal,
      })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (regions) {
        if (self.request !== controller) return;
        self.request = null;
        self.show(regions);
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return;
        self.request = null;
        self.close();
        self.setStatus(self.message("error"));
      });
  };

  RegionPicker.prototype.show = function (regions) {
    this.results = regions;
    this.active = -1;
    this.listbox.textContent = "";
    this.search.removeAttribute("aria-activedescendant");
    if (!regions.length) {
      this.close();
      this.setStatus(this.message("empty"));
      return;
    }
    for (var i = 0; i < regions.length; i++) {
      var option = document.createElement("li");
      option.id = this.listbox.id + "-" + i;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-index", String(i));
      option.className = "region-picker-option";
      var label = document.createElement("span");
      label.className = "region-picker-label";
      label.textContent = regions[i].label;
      var context = document.createElement("span");
      context.className = "region-picker-context";
      context.textContent = describe(regions[i]).slice(regions[i].label.length).replace(/^, /, "") +
        " · " + regions[i].code;
      option.appendChild(label);
      option.appendChild(context);
      this.listbox.appendChild(option);
    }
    this.listbox.hidden = false;
    this.search.setAttribute("aria-expanded", "true");
    this.setStatus(this.message("count", { count: regions.length }));
  };

  RegionPicker.prototype.close = function () {
    this.listbox.hidden = true;
    this.search.setAttribute("aria-expanded", "false");
    this.search.removeAttribute("aria-activedescendant");
    this.active = -1;
  };

  RegionPicker.prototype.isOpen = function () {
    return !this.listbox.hidden;
  };

  RegionPicker.prototype.highlight = function (index) {
    var options = this.listbox.querySelectorAll("[role=option]");
    if (!options.length) return;
    this.active = (index + options.length) % options.length;
    for (var i = 0; i < options.length; i++) {
      options[i].setAttribute("aria-selected", i === this.active ? "true" : "false");
    }
    var current = options[this.active];
    this.search.setAttribute("aria-activedescendant", current.id);
    current.scrollIntoView({ block: "nearest" });
  };

  RegionPicker.prototype.onKeyDown = function (event) {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      if (!this.isOpen()) {
        if (this.results.length) {
          this.listbox.hidden = false;
          this.search.setAttribute("aria-expanded", "true");
        } else {
          this.scheduleSearch();
          return;
        }
      }
      this.highlight(this.active + (event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      if (this.isOpen()) {
        event.preventDefault(); // choosing a suggestion must not submit the form
        this.choose(this.active >= 0 ? this.active : 0);
      }
    } else if (event.key === "Escape") {
      if (this.isOpen()) {
        event.preventDefault();
        this.close();
      } else if (this.search.value !== this.chosenLabel) {
        event.preventDefault();
        this.search.value = this.chosenLabel;
        this.hidden.value = this.chosenCode;
        this.setStatus(this.chosenDescription);
      }
    }
  };

  RegionPicker.prototype.choose = function (index) {
    this.select(this.results[index]);
  };

  /* Take a region (from the suggestions, the server's candidates or "Gunakan lokasi saya"). */
  RegionPicker.prototype.select = function (region) {
    if (!region) return;
    this.hidden.value = region.code;
    this.chosenCode = region.code;
    this.search.value = region.label;
    this.chosenLabel = region.label;
    this.chosenDescription = this.message("chosen", { label: describe(region) });
    this.close();
    this.setStatus(this.chosenDescription);
    this.hidden.dispatchEvent(new Event("change", { bubbles: true }));
  };

  RegionPicker.prototype.clear = function () {
    if (this.hidden.value === "") return;
    this.hidden.value = "";
    this.chosenCode = "";
    this.chosenLabel = "";
    this.chosenDescription = this.message("none");
    this.setStatus(this.chosenDescription);
    this.hidden.dispatchEvent(new Event("change", { bubbles: true }));
  };

  RegionPicker.prototype.setStatus = function (text) {
    this.status.textContent = text;
  };

  function init(scope) {
    var roots = (scope || document).querySelectorAll("[data-region-picker]");
    for (var i = 0; i < roots.length; i++) {
      if (!roots[i].regionPicker && !roots[i].closest(".empty-form")) {
        roots[i].regionPicker = new RegionPicker(roots[i]);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      init(document);
    });
  } else {
    init(document);
  }
  // Django admin inlines add rows from a template row; initialise the pickers they bring.
  document.addEventListener("formset:added", function (event) {
    init(event.target);
  });
})();
