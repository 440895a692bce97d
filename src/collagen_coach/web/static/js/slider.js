// Before/after slider: the range input moves the dividing line (a CSS variable on the frame).
// No inline code or style attributes: the CSP allows neither, and CSSOM changes are not inline.
(function () {
  "use strict";

  function setUp(figure) {
    var frame = figure.querySelector(".slider-frame");
    var input = figure.querySelector("[data-slider-input]");
    if (!frame || !input) {
      return;
    }
    function show() {
      var value = Number(input.value);
      frame.style.setProperty("--split", value + "%");
      input.setAttribute(
        "aria-valuetext",
        value + "% before on the left, " + (100 - value) + "% after on the right"
      );
    }
    input.addEventListener("input", show);
    input.addEventListener("change", show);
    show();
  }

  function start() {
    document.querySelectorAll("[data-slider]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
