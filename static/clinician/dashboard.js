/* Clinician pages: small progressive enhancements. Everything works without this file. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-print]");
    if (button) { event.preventDefault(); window.print(); }
  });
  // After htmx reloads the worklist, keep keyboard users oriented: announce it in the live region only.
  document.addEventListener("htmx:afterSwap", function (event) {
    if (event.target && event.target.id === "worklist-results") {
      var status = document.getElementById("worklist-status");
      if (status) { status.textContent = status.getAttribute("data-updated") || ""; }
    }
  });
}());
