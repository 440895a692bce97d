// What a long page folds away on a phone (<details data-open-wide>, closed in the page) is
// opened at once on a wider screen, where there is room for it. Without this script every fold
// stays closed and opens with a tap or a click.
(function () {
  "use strict";
  if (!window.matchMedia("(min-width: 40em)").matches) return;
  document.querySelectorAll("details[data-open-wide]").forEach(function (details) {
    details.open = true;
  });
})();
