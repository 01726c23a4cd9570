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
