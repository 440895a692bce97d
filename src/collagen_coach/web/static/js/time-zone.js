// The calendar's time zone: filled in with this device's own (the browser knows it), so an
// 08:00 session is at 08:00 where the person is. Without JavaScript the form keeps the server's
// zone and the full list; the server checks whatever is sent against its list of zones.
(function () {
  "use strict";

  function fill(select) {
    var zone = "";
    try {
      zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (error) {
      return;
    }
    // A zone already chosen (the page came back with an error) is left as it is.
    if (!zone || new URLSearchParams(window.location.search).has(select.name)) {
      return;
    }
    var known = Array.prototype.some.call(select.options, function (option) {
      return option.value === zone;
    });
    if (!known) {
      return;
    }
    select.value = zone;
    var note = document.getElementById(select.id + "_source");
    if (note) {
      note.textContent =
        "Filled in from this device: " +
        zone.replace(/_/g, " ") +
        ". Choose another from the list if you will do your sessions elsewhere.";
    }
  }

  function start() {
    document.querySelectorAll("select[data-browser-time-zone]").forEach(fill);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
