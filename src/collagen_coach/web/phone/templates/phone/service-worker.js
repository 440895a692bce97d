/* collagen-coach's service worker: the app on a phone, with today's session playable offline.
 *
 * - On install it keeps the shell (styles, scripts, icons) and the offline page, in a cache whose
 *   name carries this worker's version; older caches are deleted when it takes over.
 * - Pages: the network first. A page that says it may be kept (the server's keep header: Today
 *   and the session player) is kept when it is opened; without the network a kept page is shown,
 *   else the offline page. No other page, no POST and no API answer is ever kept.
 * - Static files: from the shell cache first, else the network.
 * - A page may ask it to keep a page now ("keep": the player, from Today) or to forget every kept
 *   page ("forget": after signing out).
 * - Background Sync: sessions recorded offline (outbox.js) are sent when the phone is back
 *   online even with no page of the app open, where the browser can.
 * - Reminders pushed to this device are shown by reminders-push.js.
 */
"use strict";

var CONFIG = {{ config|safe }};
var SHELL_CACHE = "coach-shell-" + CONFIG.version;
var PAGES_CACHE = "coach-pages-" + CONFIG.version;

importScripts(CONFIG.outbox_script, CONFIG.push_script);

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(function (cache) {
      return cache.addAll(CONFIG.shell.concat([CONFIG.offline_url]));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("coach-") === 0 && name !== SHELL_CACHE && name !== PAGES_CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

function mayKeep(response) {
  return response.ok && !response.redirected && response.headers.get(CONFIG.keep_header) === "yes";
}

function keepPage(request, response) {
  if (!mayKeep(response)) return Promise.resolve();
  var copy = response.clone();
  return caches.open(PAGES_CACHE).then(function (cache) { return cache.put(request, copy); });
}

/* Give the kept copy of a page: this very address, else the same page with other parameters
 * (the player opened as ?speed=N), else the offline page. */
function keptPage(request) {
  return caches.open(PAGES_CACHE).then(function (cache) {
    return cache.match(request).then(function (found) {
      return found || cache.match(request, { ignoreSearch: true });
    });
  }).then(function (found) {
    return found || caches.match(CONFIG.offline_url);
  });
}

function pageFromNetworkFirst(event) {
  return fetch(event.request).then(function (response) {
    event.waitUntil(keepPage(event.request, response));
    return response;
  }).catch(function () {
    return keptPage(event.request);
  });
}

function staticFromCacheFirst(request) {
  return caches.match(request).then(function (found) { return found || fetch(request); });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(pageFromNetworkFirst(event));
  } else if (url.pathname.indexOf(CONFIG.static_url) === 0) {
    event.respondWith(staticFromCacheFirst(request));
  }
});

self.addEventListener("message", function (event) {
  var message = event.data || {};
  if (message.type === "keep" && typeof message.url === "string") {
    var request = new Request(new URL(message.url, self.location.origin).href, { credentials: "same-origin" });
    event.waitUntil(fetch(request).then(function (response) {
      return keepPage(request, response);
    }).catch(function () { /* offline: it is kept the next time it can be */ }));
  } else if (message.type === "forget") {
    event.waitUntil(caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf("coach-pages-") === 0;
      }).map(function (name) { return caches.delete(name); }));
    }));
  }
});

/* Background Sync sends only while no page of the app is open: an open page sends itself (on
 * load and when back online) and says what became of it. */
self.addEventListener("sync", function (event) {
  if (event.tag !== self.CoachOutbox.SYNC_TAG) return;
  event.waitUntil(self.clients.matchAll({ type: "window" }).then(function (pages) {
    if (!pages.length) return self.CoachOutbox.sendAll(null);
  }));
});
