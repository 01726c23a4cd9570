/* Sorting and filtering for the tables hrdd generates. Served from this site; loads nothing else.
 *
 * Tables are complete in the HTML; this only reorders and hides rows.
 *   <table data-sortable>   headings with data-sort="number" or "text" become sort buttons;
 *                            cells are compared by their data-value, else by their text.
 *   <form id="ranking-filters" data-tables="id id">  selects with data-filter="sector" keep
 *                            the rows whose data-sector equals the chosen value.
 */
(function () {
  "use strict";

  function cellValue(row, index, kind) {
    var cell = row.children[index];
    if (!cell) return kind === "number" ? null : "";
    var raw = cell.hasAttribute("data-value") ? cell.getAttribute("data-value") : cell.textContent;
    if (kind !== "number") return raw.trim().toLocaleLowerCase();
    var value = parseFloat(raw);
    return isNaN(value) ? null : value;
  }

  function compare(a, b, kind, direction) {
    // Missing numbers always sort last, whichever the direction.
    if (kind === "number") {
      if (a === null && b === null) return 0;
      if (a === null) return 1;
      if (b === null) return -1;
      return direction * (a - b);
    }
    return direction * a.localeCompare(b);
  }

  function sortBy(table, th, index) {
    var kind = th.getAttribute("data-sort");
    // Numbers start high-to-low (a ranking); text starts A to Z.
    var current = th.getAttribute("aria-sort");
    var ascending = current ? current !== "ascending" : kind !== "number";
    var direction = ascending ? 1 : -1;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows).map(function (row, position) {
      return { row: row, key: cellValue(row, index, kind), position: position };
    });
    rows.sort(function (x, y) {
      return compare(x.key, y.key, kind, direction) || x.position - y.position;
    });
    rows.forEach(function (item) {
      body.appendChild(item.row);
    });
    table.querySelectorAll("thead th[aria-sort]").forEach(function (other) {
      other.removeAttribute("aria-sort");
    });
    th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  }

  function makeSortable(table) {
    var headings = table.tHead ? table.tHead.rows[0].cells : [];
    Array.prototype.forEach.call(headings, function (th, index) {
      if (!th.hasAttribute("data-sort")) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "hrdd-sort";
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        sortBy(table, th, index);
      });
    });
  }

  function setUpFilters(form) {
    var tables = (form.getAttribute("data-tables") || "")
      .split(/\s+/)
      .map(function (id) {
        return document.getElementById(id);
      })
      .filter(Boolean);
    var selects = form.querySelectorAll("select[data-filter]");
    var status = form.querySelector(".hrdd-filter-status");

    function apply() {
      // Assessments, not rows: a company ranked across sectors and in its sector has two rows.
      var shown = {};
      var total = {};
      tables.forEach(function (table) {
        Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
          var keep = Array.prototype.every.call(selects, function (select) {
            return !select.value || row.getAttribute("data-" + select.getAttribute("data-filter")) === select.value;
          });
          var key = ["company", "cycle", "assessor"]
            .map(function (name) {
              return row.getAttribute("data-" + name);
            })
            .join(" ");
          row.hidden = !keep;
          total[key] = true;
          if (keep) shown[key] = true;
        });
      });
      var counts = [Object.keys(shown).length, Object.keys(total).length];
      if (status) status.textContent = "Showing " + counts[0] + " of " + counts[1] + " assessments.";
    }

    Array.prototype.forEach.call(selects, function (select) {
      select.addEventListener("change", apply);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    form.hidden = false;
    apply();
  }

  // Material wraps wide tables in a scrolling box; keyboard users must be able to focus it to
  // scroll (axe: scrollable-region-focusable).
  function focusableScrollBoxes() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        var caption = box.querySelector("caption");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent : "Table");
      }
    });
  }

  function init() {
    document.querySelectorAll("table[data-sortable]").forEach(makeSortable);
    document.querySelectorAll("form.hrdd-filters").forEach(setUpFilters);
    window.addEventListener("load", focusableScrollBoxes);
    window.addEventListener("resize", focusableScrollBoxes);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* The ranking's compare view (issue 21): the picked companies' published JSON files (same
 * site, relative URLs), their scores side by side. Text only goes in through textContent, so
 * nothing from the data can become markup. */
(function () {
  "use strict";

  function cell(tag, text, attrs) {
    var el = document.createElement(tag);
    el.textContent = text;
    Object.keys(attrs || {}).forEach(function (name) {
      el.setAttribute(name, attrs[name]);
    });
    return el;
  }

  function shown(value) {
    return value === null || value === undefined ? "n/a" : String(value);
  }

  // The assessment the edition shows: the independent one of the edition's cycle.
  function assessmentOf(data, edition) {
    var found = (data.assessments || []).filter(function (a) {
      return String(a.cycle) === edition && a.assessor && a.assessor.type === "independent";
    });
    return found.length ? found[0] : null;
  }

  // The page names what it compares ([data-key] in .hrdd-compare-labels): titles, not ids.
  function label(key, fallback) {
    var found = document.querySelector(".hrdd-compare-labels [data-key=\"" + key.replace(/["\\]/g, "") + "\"]");
    return found ? found.textContent : fallback;
  }

  function table(picked, edition) {
    var rows = [
      ["total", "Total", function (a) { return a.total; }],
      ["core_total", "Core score", function (a) { return a.core_total; }],
      ["sector_total", "Sector score", function (a) { return a.sector_total; }],
    ];
    var seen = {};
    picked.forEach(function (p) {
      Object.keys(p.assessment.categories || {}).forEach(function (id) {
        if (seen["c:" + id]) return;
        seen["c:" + id] = true;
        rows.push(["category:" + id, label("category:" + id, id), function (a) { return (a.categories || {})[id]; }]);
      });
    });
    // A company's file (data/companies/<slug>.json) has each indicator's score by id.
    picked.forEach(function (p) {
      Object.keys(p.assessment.indicator_scores || {}).forEach(function (id) {
        if (seen["i:" + id]) return;
        seen["i:" + id] = true;
        rows.push(["indicator:" + id, label("indicator:" + id, id), function (a) {
          return (a.indicator_scores || {})[id];
        }]);
      });
    });
    var t = document.createElement("table");
    t.id = "compare-table";
    t.appendChild(cell("caption", "Scores of the " + edition + " edition, side by side"));
    var head = t.createTHead().insertRow();
    head.appendChild(cell("th", "Score", { scope: "col" }));
    picked.forEach(function (p) {
      head.appendChild(cell("th", p.name, { scope: "col", "data-company": p.slug, class: "hrdd-num" }));
    });
    var body = t.createTBody();
    rows.forEach(function (r) {
      var tr = body.insertRow();
      tr.setAttribute("data-key", r[0]);
      tr.appendChild(cell("th", r[1], { scope: "row" }));
      picked.forEach(function (p) {
        var value = r[2](p.assessment);
        tr.appendChild(cell("td", shown(value), {
          class: "hrdd-num",
          "data-company": p.slug,
          "data-value": value === null || value === undefined ? "" : String(value),
        }));
      });
    });
    return t;
  }

  function setUp(view) {
    var form = view.querySelector("#compare-form");
    var status = view.querySelector("#compare-status");
    var result = view.querySelector("#compare-result");
    var edition = view.getAttribute("data-edition");
    var boxes = form.querySelectorAll("input[name=company]");
    var cache = {};
    var turn = 0;

    function load(box) {
      var url = box.getAttribute("data-json");
      if (!cache[url]) {
        cache[url] = fetch(url).then(function (response) {
          if (!response.ok) throw new Error(url + ": HTTP " + response.status);
          return response.json();
        });
      }
      return cache[url];
    }

    function update(event) {
      var checked = Array.prototype.filter.call(boxes, function (b) { return b.checked; });
      if (checked.length > 4 && event && event.target) {
        event.target.checked = false;
        checked = checked.filter(function (b) { return b !== event.target; });
        status.textContent = "Four companies at most: uncheck one first.";
        return;
      }
      result.textContent = "";
      if (checked.length < 2) {
        status.textContent = "Pick " + (2 - checked.length) + " more compan" + (checked.length === 1 ? "y" : "ies") + ".";
        return;
      }
      var mine = ++turn;
      status.textContent = "Loading…";
      Promise.all(checked.map(load)).then(function (files) {
        if (mine !== turn) return;
        var picked = files.map(function (data, n) {
          return {
            slug: checked[n].value,
            name: checked[n].getAttribute("data-name"),
            assessment: assessmentOf(data, edition),
          };
        }).filter(function (p) { return p.assessment; });
        result.appendChild(table(picked, edition));
        status.textContent = "Comparing " + picked.length + " companies.";
      }).catch(function (error) {
        if (mine === turn) status.textContent = "Could not load the data: " + error.message;
      });
    }

    Array.prototype.forEach.call(boxes, function (box) {
      box.addEventListener("change", update);
    });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    update();
  }

  function init() {
    var view = document.getElementById("compare-view");
    if (view && window.fetch) setUp(view);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();

/* The answers page (issue 21): each element's question, from the published elements table
 * (data/elements.csv, one request, then the browser's cache) rather than written out on every
 * company's page. The page names the table and the framework version (#indicator-details
 * data-elements, data-framework, data-version); without scripts, the indicator's heading links
 * to its page, where the questions are. Text only goes in through text nodes, so nothing in
 * the table can become markup. */
(function () {
  "use strict";

  // RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line breaks.
  function parseCsv(text) {
    var rows = [], row = [], field = "", quoted = false;
    for (var i = 0; i < text.length; i++) {
      var c = text.charAt(i);
      if (quoted) {
        if (c !== '"') field += c;
        else if (text.charAt(i + 1) === '"') { field += '"'; i++; }
        else quoted = false;
      } else if (c === '"') {
        quoted = true;
      } else if (c === ",") {
        row.push(field);
        field = "";
      } else if (c === "\n" || c === "\r") {
        if (c === "\r" && text.charAt(i + 1) === "\n") i++;
        row.push(field);
        rows.push(row);
        row = [];
        field = "";
      } else {
        field += c;
      }
    }
    if (field || row.length) {
      row.push(field);
      rows.push(row);
    }
    return rows;
  }

  function questions(text, framework, version) {
    var rows = parseCsv(text), head = rows[0] || [], found = {};
    var f = head.indexOf("framework"), v = head.indexOf("framework_version");
    var e = head.indexOf("element"), t = head.indexOf("text");
    if (f < 0 || v < 0 || e < 0 || t < 0) return found;
    rows.slice(1).forEach(function (row) {
      if (row[f] !== framework || row[v] !== version) return;
      // The table guards spreadsheets against formulas with a leading ' (hrdd.site.data._text).
      found[row[e]] = /^'[=+\-@]/.test(row[t]) ? row[t].slice(1) : row[t];
    });
    return found;
  }

  function init() {
    var box = document.getElementById("indicator-details");
    var url = box && box.getAttribute("data-elements");
    if (!url || !window.fetch) return;
    fetch(url)
      .then(function (response) {
        if (!response.ok) throw new Error(url + ": " + response.status);
        return response.text();
      })
      .then(function (text) {
        var found = questions(text, box.getAttribute("data-framework"), box.getAttribute("data-version"));
        box.querySelectorAll("div[id^='e-']").forEach(function (el) {
          var question = found[el.id.slice(2)], heading = el.firstElementChild;
          if (!question || !heading || !heading.firstChild) return;
          heading.insertBefore(document.createTextNode(" " + question), heading.firstChild.nextSibling);
          el.setAttribute("data-question", "");
        });
      })
      .catch(function (error) {
        // The answers stand without their questions; the indicator pages have them.
        if (window.console) console.warn("hrdd: questions not loaded", error);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
