/* The new-price form: as the editor types an amount, show it beside the current price with the
   change in per cent (the table the server fills after a submit; without JavaScript it still
   does). Amounts are read as the server reads them: "4,40", "4.40", "1 234,50 €". */
(function () {
  "use strict";
  var preview = document.querySelector("[data-price-preview]");
  if (!preview) return;
  var lang = document.documentElement.lang || "et";
  var money = new Intl.NumberFormat(lang, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  var percent = new Intl.NumberFormat(lang, {
    minimumFractionDigits: 1, maximumFractionDigits: 1, signDisplay: "exceptZero"
  });

  function amount(text) {
    var cleaned = (text || "").replace(/[\s\u00a0\u202f€]/g, "");
    if (!cleaned || (cleaned.indexOf(",") >= 0 && cleaned.indexOf(".") >= 0)) return null;
    cleaned = cleaned.replace(",", ".");
    if (!/^-?\d+(\.\d+)?$/.test(cleaned)) return null;
    return parseFloat(cleaned);
  }

  function update(row, input) {
    var value = amount(input.value);
    var old = row.getAttribute("data-old") ? parseFloat(row.getAttribute("data-old")) : null;
    row.querySelector("[data-new]").textContent = value === null ? "—" : money.format(value) + " €";
    var change = "—";
    if (value !== null && old) {
      change = percent.format(Math.round(((value - old) / old) * 1000) / 10) + " %";
    }
    row.querySelector("[data-percent]").textContent = change;
  }

  preview.querySelectorAll("tr[data-amount]").forEach(function (row) {
    var input = document.getElementById("id_" + row.getAttribute("data-amount"));
    if (!input) return;
    input.addEventListener("input", function () { update(row, input); });
  });
})();
