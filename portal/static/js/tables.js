/* Reflow (WCAG 1.4.10): a table wider than a phone scrolls inside its own region, not the page.
   Every table in <main> not already in a region is wrapped in one that is named by the table's
   caption (or the nearest heading) and focusable, so keyboard users can scroll it too.
   Without JavaScript the stylesheet still keeps the page itself from scrolling sideways. */
(function () {
  "use strict";
  var counter = 0;

  function nameOf(table) {
    var caption = table.querySelector("caption");
    if (caption) {
      if (!caption.id) caption.id = "table-caption-" + (++counter);
      // Two sections' tables may share a caption ("Downloads"): name the region by both.
      var section = table.closest("section[aria-labelledby]");
      var prefix = section ? section.getAttribute("aria-labelledby") + " " : "";
      return { labelledby: prefix + caption.id };
    }
    if (table.getAttribute("aria-label")) return { label: table.getAttribute("aria-label") };
    var el = table;
    while (el && el !== document.body) {
      var prev = el.previousElementSibling;
      while (prev) {
        if (/^H[1-6]$/.test(prev.tagName)) return { label: prev.textContent.trim() };
        var inner = prev.querySelector && prev.querySelector("h1, h2, h3, h4, h5, h6");
        if (inner) return { label: inner.textContent.trim() };
        prev = prev.previousElementSibling;
      }
      el = el.parentElement;
    }
    return { label: document.title };
  }

  function textOf(name) {
    if (name.label) return name.label;
    return name.labelledby.split(" ").map(function (id) {
      var el = document.getElementById(id);
      return el ? el.textContent.trim() : "";
    }).join(" ");
  }

  function wrap() {
    var used = {};
    document.querySelectorAll("main table").forEach(function (table) {
      if (table.closest('[role="region"]')) return;
      var region = document.createElement("div");
      region.className = "table-scroll";
      region.setAttribute("role", "region");
      region.setAttribute("tabindex", "0");
      var name = nameOf(table);
      var text = textOf(name);
      // Landmarks need unique names: two tables captioned alike ("Opening hours" at two
      // addresses) are told apart by their number.
      used[text] = (used[text] || 0) + 1;
      if (used[text] > 1) name = { label: text + " (" + used[text] + ")" };
      if (name.labelledby) region.setAttribute("aria-labelledby", name.labelledby);
      else region.setAttribute("aria-label", name.label);
      table.parentNode.insertBefore(region, table);
      region.appendChild(table);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wrap);
  } else {
    wrap();
  }
})();
