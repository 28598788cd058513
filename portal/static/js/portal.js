/* Progressive enhancement only: every page works without this file.
   The municipality chooser (a grouped <select>) becomes a type-ahead box following the
   WAI-ARIA combobox pattern: type any municipality, village, town or city district (in any
   language or script; suggestions come from /<lang>/choose-municipality/places/), arrows to
   move, Enter to choose, Escape to close. The remembered municipality is selected on focus,
   so typing replaces it.
   The municipality page's price list gets a filter box. */
(function () {
  "use strict";

  function fold(text) {
    return (text || "").toLocaleLowerCase().normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/ё/g, "е");
  }

  // Word starts only, as the server matches: "htme" is not Jõelähtme, "narva-j" is Narva-Jõesuu.
  function startsAWord(haystack, needle) {
    var names = haystack.split("|");
    for (var n = 0; n < names.length; n++) {
      var starts = /(^|[\s\-(),])(?=\S)/g;
      var match;
      while ((match = starts.exec(names[n])) !== null) {
        var at = match.index + match[1].length;
        if (names[n].substr(at, needle.length) === needle) return true;
        if (starts.lastIndex === match.index) starts.lastIndex++;
      }
    }
    return false;
  }

  function enhance(form) {
    var select = form.querySelector("select[data-chooser-select]");
    if (!select) return;
    var status = form.querySelector("[data-chooser-status]");
    var label = form.querySelector('label[for="' + select.id + '"]');
    var suggestUrl = form.getAttribute("data-suggest");
    var items = [];
    Array.prototype.forEach.call(select.querySelectorAll("option"), function (option) {
      if (!option.value) return;
      var county = option.parentNode.tagName === "OPTGROUP" ? option.parentNode.label : "";
      items.push({
        code: option.value,
        name: option.textContent,
        detail: county,
        lang: "",
        haystack: fold(option.textContent + "|" + (option.getAttribute("data-names") || "")),
        selected: option.selected
      });
    });

    // The box for typing a place without JavaScript gives way to the one type-ahead box.
    var typed = form.querySelector("[data-chooser-typed]");
    if (typed) {
      typed.hidden = true;
      Array.prototype.forEach.call(typed.querySelectorAll("input, button"), function (el) { el.disabled = true; });
    }

    var wrapper = document.createElement("div");
    wrapper.className = "combobox";
    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id + "-text";
    input.autocomplete = "off";
    input.spellcheck = false;
    input.maxLength = 100;
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    var listId = select.id + "-listbox";
    input.setAttribute("aria-controls", listId);
    if (select.getAttribute("aria-describedby")) {
      input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    }
    if (select.getAttribute("aria-invalid")) { input.setAttribute("aria-invalid", "true"); }
    // The error summary's link to the chooser leads to the one box that replaces it.
    Array.prototype.forEach.call(document.querySelectorAll('a[href="#' + select.id + '"]'), function (a) {
      a.setAttribute("href", "#" + input.id);
    });
    var list = document.createElement("ul");
    list.id = listId;
    list.setAttribute("role", "listbox");
    if (label) {
      label.id = label.id || select.id + "-label";
      list.setAttribute("aria-labelledby", label.id);
      label.htmlFor = input.id;
    }
    list.hidden = true;
    var hidden = document.createElement("input");
    hidden.type = "hidden";
    hidden.name = "municipality";
    var typedText = document.createElement("input");
    typedText.type = "hidden";
    typedText.name = "q";

    var chosen = items.filter(function (item) { return item.selected; })[0];
    var remembered = chosen ? chosen.name : "";
    if (chosen) { input.value = chosen.name; hidden.value = chosen.code; }

    wrapper.appendChild(input);
    wrapper.appendChild(list);
    select.parentNode.insertBefore(wrapper, select);
    select.parentNode.insertBefore(hidden, select);
    select.parentNode.insertBefore(typedText, select);
    select.hidden = true;
    select.disabled = true;

    var shown = [];
    var active = -1;
    var pending = null;
    var asked = "";
    var shownFor = null;

    function announce(count) {
      if (!status) return;
      var text = count === 0 ? status.getAttribute("data-found-none")
        : count === 1 ? status.getAttribute("data-found-one")
        : status.getAttribute("data-found-many").replace("{count}", count);
      status.textContent = text;
    }

    // Closing also forgets a question still on its way: its answer must not reopen the list.
    function close() {
      if (pending) window.clearTimeout(pending);
      pending = null;
      asked = "";
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(position) {
      var options = list.querySelectorAll('[role="option"]');
      if (!options.length) return;
      active = (position + options.length) % options.length;
      Array.prototype.forEach.call(options, function (option, i) {
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function show(places, forText, interim) {
      shown = places;
      shownFor = forText === undefined ? input.value.trim() : forText;
      list.textContent = "";
      shown.forEach(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        if (item.lang) name.lang = item.lang;
        name.textContent = item.name;
        option.appendChild(name);
        option.appendChild(document.createTextNode(" "));
        var detail = document.createElement("span");
        detail.className = "county";
        detail.textContent = item.detail;
        option.appendChild(detail);
        option.addEventListener("mousedown", function (event) { event.preventDefault(); });
        option.addEventListener("click", function () { choose(item, true); });
        list.appendChild(option);
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      list.hidden = shown.length === 0;
      input.setAttribute("aria-expanded", shown.length ? "true" : "false");
      if (!(interim && shown.length === 0)) announce(shown.length);
    }

    function local(needle) {
      return needle ? items.filter(function (item) { return startsAWord(item.haystack, needle); }) : items.slice();
    }

    // Municipalities are in the page; villages, towns and districts come from the server,
    // which matches word starts, then typos, in any script (Ахтме, Kiviõli, Johvi).
    function render() {
      var text = input.value.trim();
      hidden.value = "";
      if (pending) window.clearTimeout(pending);
      // The municipalities in the page answer at once; the server's answer replaces them.
      var asking = Boolean(text && suggestUrl && window.fetch);
      show(local(fold(text)), text, asking);
      if (!asking) return;
      pending = window.setTimeout(function () {
        asked = text;
        window.fetch(suggestUrl + "?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
          .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
          .then(function (data) {
            if (asked !== text || input.value.trim() !== text) return;
            var highlighted = active >= 0 ? shown[active] : null;
            show(data.places.map(function (place) {
              return {
                code: place.municipality,
                name: place.name,
                lang: place.lang,
                detail: place.name === place.municipality_name ? place.county
                  : place.municipality_name + ", " + place.county
              };
            }), text);
            if (highlighted) {
              for (var i = 0; i < shown.length; i++) {
                if (shown[i].code === highlighted.code && shown[i].name === highlighted.name) { highlight(i); break; }
              }
            }
          })
          .catch(function () { /* keep the municipalities found in the page */ });
      }, 120);
    }

    function sync() {
      typedText.value = hidden.value ? "" : input.value.trim();
      typedText.disabled = !typedText.value;
    }

    function choose(item, submit) {
      input.value = item.name;
      hidden.value = item.code;
      close();
      if (submit) { sync(); form.submit(); }
    }

    // The remembered municipality is selected as the box gets focus, so typing replaces it.
    var selectOnMouseUp = false;
    input.addEventListener("focus", function () {
      if (input.value && input.value === remembered && hidden.value) {
        input.select();
        selectOnMouseUp = true;
      }
    });
    input.addEventListener("mouseup", function (event) {
      if (selectOnMouseUp) { event.preventDefault(); selectOnMouseUp = false; }
    });
    input.addEventListener("input", render);
    input.addEventListener("keydown", function (event) {
      selectOnMouseUp = false;
      if (event.key === "ArrowDown" || event.key === "Down") {
        event.preventDefault();
        if (list.hidden) { show(shown.length ? shown : local(fold(input.value.trim()))); }
        highlight(active + 1);
      } else if (event.key === "ArrowUp" || event.key === "Up") {
        event.preventDefault();
        if (list.hidden) { show(shown.length ? shown : local(fold(input.value.trim()))); }
        highlight(active - 1);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          choose(shown[active], true);
        } else if (!hidden.value && shown.length === 1 && input.value.trim() && shownFor === input.value.trim()) {
          event.preventDefault();
          choose(shown[0], true);
        }
      } else if (event.key === "Escape" || event.key === "Esc") {
        if (!list.hidden) { event.preventDefault(); close(); }
      }
    });
    input.addEventListener("blur", function () { window.setTimeout(close, 150); });
    form.addEventListener("submit", sync);
  }

  /* The municipality page's price list: a filter box over the folded groups. Typing shows the
     matching rows, opens the groups that hold them and hides the others (and a tier's heading
     when all its groups are hidden); clearing it shows every group as the page arrived (the
     most asked open, the others folded). Without this file the groups simply open on a click. */
  function filterBox(holder) {
    var section = document.getElementById(holder.getAttribute("data-filter-for"));
    if (!section) return;
    var groups = Array.prototype.slice.call(section.querySelectorAll("details[data-group]"));
    var openAtFirst = groups.map(function (group) { return group.open; });
    var label = document.createElement("label");
    label.setAttribute("for", "price-filter");
    label.textContent = holder.getAttribute("data-label");
    var input = document.createElement("input");
    input.type = "search";
    input.id = "price-filter";
    input.autocomplete = "off";
    var none = document.createElement("p");
    none.setAttribute("role", "status");
    none.hidden = true;
    none.textContent = holder.getAttribute("data-none");
    holder.appendChild(label);
    holder.appendChild(input);
    holder.appendChild(none);
    input.addEventListener("input", function () {
      var wanted = fold(input.value.trim());
      var shown = 0;
      groups.forEach(function (group, index) {
        var inGroup = 0;
        Array.prototype.forEach.call(group.querySelectorAll("tr[data-filter-text]"), function (row) {
          var match = !wanted || fold(row.getAttribute("data-filter-text")).indexOf(wanted) !== -1;
          row.hidden = !match;
          if (match) inGroup += 1;
        });
        group.hidden = inGroup === 0;
        group.open = wanted ? inGroup > 0 : openAtFirst[index];
        shown += inGroup;
      });
      // A tier's heading goes with its groups: hidden when none of them is shown.
      Array.prototype.forEach.call(section.querySelectorAll("[data-tier]"), function (heading) {
        var any = false;
        for (var el = heading.nextElementSibling; el && !el.hasAttribute("data-tier"); el = el.nextElementSibling) {
          if (el.hasAttribute("data-group") && !el.hidden) any = true;
        }
        heading.hidden = !any;
      });
      none.hidden = shown > 0;
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-chooser]"), enhance);
    Array.prototype.forEach.call(document.querySelectorAll("[data-filter-for]"), filterBox);
    // A printed price list is complete: open every group for printing, fold them again after.
    var folded = [];
    window.addEventListener("beforeprint", function () {
      folded = Array.prototype.filter.call(document.querySelectorAll("details.price-group"), function (d) {
        return !d.open;
      });
      folded.forEach(function (d) { d.open = true; });
    });
    window.addEventListener("afterprint", function () {
      folded.forEach(function (d) { d.open = false; });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
