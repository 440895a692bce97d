// Upload page: a preview of the chosen photo (where the browser can show it; HEIC often not),
// and one clear "uploading" state so a slow upload is not sent twice.
(function () {
  "use strict";

  function start() {
    var form = document.querySelector("[data-photo-upload]");
    if (!form) {
      return;
    }
    var input = form.querySelector("input[type=file]");
    var preview = form.querySelector("[data-photo-preview]");
    var button = form.querySelector("button[type=submit]");
    var shown = null;

    if (input && preview) {
      input.addEventListener("change", function () {
        if (shown) {
          URL.revokeObjectURL(shown);
          shown = null;
        }
        preview.hidden = true;
        var file = input.files && input.files[0];
        if (!file || !/^image\/(jpeg|png|webp|gif)$/.test(file.type)) {
          return;
        }
        shown = URL.createObjectURL(file);
        var image = preview.querySelector("img");
        image.src = shown;
        preview.hidden = false;
      });
    }
    if (button) {
      form.addEventListener("submit", function () {
        button.disabled = true;
        button.textContent = "Uploading… please wait";
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
