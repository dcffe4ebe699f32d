/* A link of the error list at the top of an admin form goes to its field: a folded section around the field is
   opened, and the field (or the autocomplete box standing in for a hidden select) takes the focus. */
(function () {
  "use strict";

  function focusable(target) {
    if (target.classList.contains("select2-hidden-accessible")) {
      var box = target.parentElement.querySelector(".select2-selection");
      if (box) return box;
    }
    return target;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("#error-summary a[href^='#']");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) return;
    for (var folded = target.closest("details"); folded; folded = folded.parentElement.closest("details")) {
      folded.open = true;
    }
    event.preventDefault();
    var field = focusable(target);
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
  });
})();
