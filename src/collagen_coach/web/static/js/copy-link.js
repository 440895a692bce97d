// A "Copy the link" button: copies the text its data-copy-text holds. Shown only where JavaScript
// runs (hidden in the page's HTML); without it, or where the clipboard is refused (a page served
// over plain HTTP to another computer), the link stays selectable on the page, and gets selected.
(function () {
  "use strict";

  function selectText(target) {
    if (!target) return false;
    var range = document.createRange();
    range.selectNodeContents(target);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    try {
      return document.execCommand("copy");
    } catch (error) {
      return false;
    }
  }

  function say(status, text) {
    if (status) status.textContent = text;
  }

  function start() {
    document.querySelectorAll("[data-copy-text]").forEach(function (button) {
      var text = button.getAttribute("data-copy-text");
      var target = document.getElementById(button.getAttribute("data-copy-from"));
      var status = document.getElementById(button.getAttribute("data-copy-status"));
      button.hidden = false;
      button.addEventListener("click", function () {
        var fallback = function () {
          if (selectText(target)) {
            say(status, "Copied. Paste it into your email or message.");
          } else {
            say(status, "Your browser did not let the page copy: the link is selected, so copy it with Ctrl+C (or ⌘+C).");
          }
        };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(text).then(function () {
            say(status, "Copied. Paste it into your email or message.");
          }, fallback);
        } else {
          fallback();
        }
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
