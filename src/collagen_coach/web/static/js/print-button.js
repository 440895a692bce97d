// A "Print" button: shown only where JavaScript runs (it is hidden in the page's HTML), since
// without it the browser's own Print menu is the way. No inline code: the CSP allows none.
(function () {
  "use strict";

  function start() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
