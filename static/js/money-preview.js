/* Beside each amount field (data-money-preview), the amount as the site will show it ("$1.5B"), as the editor
   types "1.5 bn", "€15M" or "1.250 millones". Reads only the page: no network. The server parses the amount
   again when the form is saved (deals/money_input.py) and says what it cannot read. */
(function () {
  "use strict";

  var UNITS = {
    k: 3, thousand: 3, m: 6, mn: 6, mm: 6, mio: 6, million: 6, millions: 6, b: 9, bn: 9, billion: 9,
    billions: 9, t: 12, tn: 12, trillion: 12, trillions: 12
  };
  var SPANISH_UNITS = {
    mil: 3, "millón": 6, millon: 6, millones: 6, "mil millones": 9, "miles de millones": 9,
    "billón": 12, billon: 12, billones: 12
  };
  var SIGNS = { "us$": "USD", $: "USD", "€": "EUR", "£": "GBP", "¥": "JPY" };
  var SHOWN = { USD: "$", EUR: "€", GBP: "£", JPY: "¥" };
  var WORDS = { dollars: "USD", "dólares": "USD", dolares: "USD", euros: "EUR", pounds: "GBP", libras: "GBP" };

  function parse(text) {
    var typed = text.trim().toLowerCase().replace(/\s+/g, " ");
    var currency = null;
    var match = typed.match(/^(us\$|\$|€|£|¥|[a-z]{3}(?=[\s\d]))?\s*(\d(?:[\d.,\s]*\d)?)\s*(.*)$/);
    if (!match) return null;
    if (match[1]) currency = SIGNS[match[1]] || match[1].toUpperCase();
    var rest = match[3].trim();
    Object.keys(SIGNS).forEach(function (sign) {
      if (!currency && rest.slice(-sign.length) === sign) {
        currency = SIGNS[sign];
        rest = rest.slice(0, -sign.length).trim();
      }
    });
    var last = rest.split(" ").pop();
    if (WORDS[last]) {
      currency = WORDS[last];
      rest = rest.slice(0, -last.length).trim();
    } else if (/^[a-z]{3}$/.test(last) && !UNITS[last] && last !== "mil") {
      currency = last.toUpperCase();
      rest = rest.slice(0, -last.length).trim();
    }
    rest = rest.replace(/ de$/, "").trim();
    var spanish = rest in SPANISH_UNITS;
    var power = rest === "" ? 0 : spanish ? SPANISH_UNITS[rest] : UNITS[rest];
    if (power === undefined) return null;
    var digits = match[2].replace(/\s/g, "");
    var thousands = ",", decimal = ".";
    if (digits.indexOf(",") >= 0 && digits.indexOf(".") >= 0) {
      if (digits.lastIndexOf(",") > digits.lastIndexOf(".")) { thousands = "."; decimal = ","; }
    } else if (spanish || (!/^\d{1,3}(,\d{3})+$/.test(digits) && digits.split(",").length === 2)) {
      thousands = "."; decimal = ",";
    }
    var number = Number(digits.split(thousands).join("").replace(decimal, "."));
    if (!isFinite(number)) return null;
    return { amount: number * Math.pow(10, power), currency: currency };
  }

  function shown(amount, currency) {
    var sign = SHOWN[currency] || currency + " ";
    var round = function (value) { return String(Math.round(value * 100) / 100); };
    if (amount >= 1e9) return sign + round(amount / 1e9) + "B";
    if (amount >= 1e6) return sign + round(amount / 1e6) + "M";
    return sign + amount.toLocaleString("en-US", { maximumFractionDigits: 2 });
  }

  function attach(input) {
    var preview = document.createElement("span");
    preview.className = "money-preview";
    preview.setAttribute("aria-live", "polite");
    input.insertAdjacentElement("afterend", preview);
    var currencyField = input.form && input.form.querySelector("[name=currency]");
    function update() {
      var parsed = input.value.trim() ? parse(input.value) : null;
      var currency = (parsed && parsed.currency) || (currencyField && currencyField.value.trim().toUpperCase()) || "USD";
      preview.textContent = parsed ? " = " + shown(parsed.amount, currency) : "";
    }
    input.addEventListener("input", update);
    update();
  }

  function attachAll() {
    document.querySelectorAll("input[data-money-preview]").forEach(function (input) {
      if (!input.dataset.moneyPreviewReady) {
        input.dataset.moneyPreviewReady = "1";
        attach(input);
      }
    });
  }

  document.addEventListener("DOMContentLoaded", attachAll);
  /* Rows the admin adds to an inline ("Add another party"). */
  document.addEventListener("formset:added", attachAll);
})();
