/* Company filters take a slug, a name or an alias. As the visitor types, this suggests matching companies in a
   <datalist> of at most a few entries, fetched from the input's data-suggest-url (?q=...): each shows the
   company's name, and choosing it puts its slug in the field. Without JavaScript the field is a plain text
   input that takes a name or a slug, as before. */
(function () {
  "use strict";

  var MIN_LENGTH = 2;
  var DELAY_MS = 150;

  function attach(input, number) {
    var list = document.createElement("datalist");
    list.id = "company-suggestions-" + number;
    input.parentNode.appendChild(list);
    input.setAttribute("list", list.id);
    var timer = null;
    var latest = "";

    function show(results) {
      list.replaceChildren.apply(
        list,
        results.map(function (company) {
          var option = document.createElement("option");
          option.value = company.slug;
          option.label = company.name;
          option.textContent = company.name;
          return option;
        })
      );
    }

    function fetchSuggestions() {
      var text = input.value.trim();
      if (text.length < MIN_LENGTH || text === latest) {
        return;
      }
      latest = text;
      var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(text);
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (latest === text) {
            show(data.results);
          }
        })
        .catch(function () {
          /* Suggestions are a convenience: the slug typed still filters. */
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(fetchSuggestions, DELAY_MS);
    });
  }

  document.querySelectorAll("input[data-suggest-url]").forEach(attach);
})();
