/* The app on a phone, on every page: the service worker, the kept pages, and the outbox.
 *
 * - Registers the service worker (the body's data-service-worker) for the whole site.
 * - Signed out (the body's data-signed-out): the pages kept for the last person are forgotten, so
 *   nobody else sees them on this phone.
 * - Signed in (data-person): a link marked data-keep-offline (Today's "Start the session") has its
 *   page kept now, so the session plays even if the network is gone before it is opened; the
 *   outbox (outbox.js) is sent on every page load and whenever the phone is back online.
 * - Says, at the top of the page, when the phone is offline and how many sessions wait to be sent.
 */
(function () {
  "use strict";

  var body = document.body;
  var outbox = window.CoachOutbox;
  var worker = "serviceWorker" in navigator ? navigator.serviceWorker : null;
  var offlinePage = body.classList.contains("offline-page");
  var person = body.hasAttribute("data-person") ? Number(body.getAttribute("data-person")) : null;
  var note = null;

  function csrfCookie() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* Show ``text`` in the note at the top of the page (none: remove it). */
  function show(text, kind) {
    if (!text) {
      if (note) note.remove();
      note = null;
      return;
    }
    if (!note) {
      note = document.createElement("p");
      note.id = "phone-note";
      note.setAttribute("role", "status");
      var main = document.getElementById("main");
      if (main) main.insertBefore(note, main.firstChild);
    }
    note.className = "notice phone-note " + (kind || "notice-warn");
    note.textContent = text;
  }

  function sessionsWaiting(n) {
    var saved = n === 1 ? "1 session is saved on this phone" : n + " sessions are saved on this phone";
    if (navigator.onLine) return saved + ", waiting to be sent to your journal.";
    return saved + (n === 1 ? "; it" : "; they") + " will be sent when you are back online.";
  }

  /* The session the player on this page kept: the player says itself what became of it. */
  function shownByThePlayer(row) {
    var player = document.getElementById("player");
    return Boolean(player) && player.getAttribute("data-kept-key") === row.key;
  }

  function showState() {
    if (person === null || !outbox) return Promise.resolve();
    return outbox.waiting(person).then(function (all) {
      var rows = all.filter(function (row) { return !shownByThePlayer(row); });
      var lines = [];
      if (!navigator.onLine) lines.push("You are offline: this page is as it was when you last opened it.");
      if (rows.length) lines.push(sessionsWaiting(rows.length));
      if (lines.length) show(lines.join(" "));
      else if (note && note.className.indexOf("notice-warn") >= 0) show("");
    }).catch(function () { /* no IndexedDB (a private window): nothing is waiting */ });
  }

  function sendWaiting() {
    if (person === null || !outbox || !navigator.onLine) return;
    outbox.sendAll(person, csrfCookie()).then(function (results) {
      var others = results.filter(function (r) { return !shownByThePlayer(r); });
      var sent = others.filter(function (r) { return r.sent; });
      var refused = others.filter(function (r) { return r.refused; });
      if (refused.length) {
        show("A session saved on this phone was not accepted: " + refused[0].message, "notice-bad");
      } else if (sent.length) {
        show(sent.length === 1 ? sent[0].answer.message
          : sent.length + " sessions saved on this phone are now in your journal.", "notice-good");
      }
      return showState();
    });
  }

  function forgetKeptPages() {
    if (!("caches" in window)) return;
    caches.keys().then(function (names) {
      names.forEach(function (name) {
        if (name.indexOf("coach-pages-") === 0) caches.delete(name);
      });
    });
  }

  /* Ask the service worker to keep the pages linked for offline use, and this page itself when
   * it came from the network before the worker was there (the worker keeps only what the server
   * says may be kept). */
  function keepMarkedPages() {
    if (!worker) return;
    var thisPage = worker.controller ? null : location.pathname + location.search;
    worker.ready.then(function (registration) {
      var active = registration.active;
      if (!active) return;
      if (thisPage) active.postMessage({ type: "keep", url: thisPage });
      document.querySelectorAll("a[data-keep-offline]").forEach(function (link) {
        active.postMessage({ type: "keep", url: link.getAttribute("href") });
      });
    });
  }

  if (worker && body.getAttribute("data-service-worker")) {
    worker.register(body.getAttribute("data-service-worker"), { scope: "/" }).catch(function () {
      /* no service worker (plain HTTP on another computer): the app works, only not offline */
    });
  }
  if (offlinePage) return; // the same for everyone: it neither forgets nor sends
  if (body.hasAttribute("data-signed-out")) {
    forgetKeptPages();
    return;
  }
  document.querySelectorAll("form[data-sign-out]").forEach(function (form) {
    form.addEventListener("submit", forgetKeptPages);
  });
  keepMarkedPages();
  showState();
  sendWaiting();
  window.addEventListener("online", function () { showState(); sendWaiting(); });
  window.addEventListener("offline", showState);
  if (outbox) window.addEventListener(outbox.EVENT, showState);
})();
