// The filters fold behind their "Filter" button on a phone, so that the results come first, unless some filters are
// in use; on a wider screen they stay open beside the results. Without this script they are simply open.
(function () {
  const panel = document.currentScript.previousElementSibling;
  if (!panel || !panel.matches("details.filter-panel")) return;
  const narrow = window.matchMedia("(max-width: 56rem)");
  const fit = () => {
    panel.open = !narrow.matches || panel.dataset.inUse === "true";
  };
  fit();
  narrow.addEventListener("change", fit);
})();
