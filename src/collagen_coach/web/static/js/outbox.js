/* The outbox: sessions recorded on this phone without the network, kept in IndexedDB until sent.
 *
 * Each is kept under the key (a UUID) made when the session ended, with the account it was played
 * for and the moments (this phone's clock) it started and ended. Sending says how long ago those
 * were, so the session is dated when it was done, not when it arrives; the server records a key
 * once, so sending twice (two pages, the service worker's Background Sync) records it once.
 *
 * Used by pages (session.js, pwa.js) and by the service worker (importScripts): window.CoachOutbox
 * or self.CoachOutbox.
 */
(function (scope) {
  "use strict";

  var DB_NAME = "collagen-coach";
  var STORE = "outbox";
  var SENT_EVENT = "coach-outbox";
  var SYNC_TAG = "send-sessions";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = scope.indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "key" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function newKey() {
    if (scope.crypto && scope.crypto.randomUUID) return scope.crypto.randomUUID();
    var bytes = scope.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); }).join("");
    return hex.slice(0, 8) + "-" + hex.slice(8, 12) + "-" + hex.slice(12, 16) + "-" + hex.slice(16, 20) + "-" + hex.slice(20);
  }

  /* Keep ``entry``: {key, person, url, csrf, startedMs, finishedMs, body}; give it back. */
  function keep(entry) {
    return run("readwrite", function (store) { store.put(entry); }).then(function () {
      askForSync();
      announce({ key: entry.key, kept: true });
      return entry;
    });
  }

  function all() {
    return run("readonly", function (store) { return store.getAll(); }).then(function (rows) { return rows || []; });
  }

  function drop(key) {
    return run("readwrite", function (store) { store.delete(key); });
  }

  /* Give the entries kept for ``person`` (all of them for null). */
  function waiting(person) {
    return all().then(function (rows) {
      return rows.filter(function (row) { return person === null || row.person === person; });
    });
  }

  function announce(detail) {
    if (typeof scope.dispatchEvent === "function" && typeof scope.CustomEvent === "function" && scope.document) {
      scope.dispatchEvent(new scope.CustomEvent(SENT_EVENT, { detail: detail }));
    }
  }

  /* Send one entry; give {sent, answer} or {kept} or {refused, message}. A refusal that cannot
   * change by waiting (bad input, another person's key) drops it; being offline, signed out, a
   * stale form token, another person signed in or a server error keeps it for later. */
  function send(entry, csrf) {
    var now = Date.now();
    var body = Object.assign({}, entry.body, {
      key: entry.key,
      person: entry.person,
      started_ago_s: Math.max(0, Math.round((now - entry.startedMs) / 1000)),
      finished_ago_s: Math.max(0, Math.round((now - entry.finishedMs) / 1000)),
    });
    body.started_ago_s = Math.max(body.started_ago_s, body.finished_ago_s);
    return fetch(entry.url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf || entry.csrf },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (response.ok) {
          return drop(entry.key).then(function () { return { sent: true, answer: json }; });
        }
        var later = response.status === 401 || response.status === 403 || response.status >= 500 ||
          (response.status === 409 && json.error && json.error.field === "person");
        if (later) return { kept: true, message: json.message || "" };
        return drop(entry.key).then(function () { return { refused: true, message: json.message || ("The server answered " + response.status + ".") }; });
      });
    }, function () {
      return { kept: true, message: "" };
    });
  }

  var sending = null;

  /* Send every entry kept for ``person`` (null: every entry, each for its own account), one at a
   * time; give the results. A call while a round is going waits for it. */
  function sendAll(person, csrf) {
    if (sending) return sending;
    sending = waiting(person).then(function (rows) {
      var results = [];
      return rows.reduce(function (chain, entry) {
        return chain.then(function () {
          return send(entry, csrf).then(function (result) {
            result.key = entry.key;
            results.push(result);
            if (!result.kept) announce(result);
          });
        });
      }, Promise.resolve()).then(function () { return results; });
    }).catch(function () { return []; }).then(function (results) {
      sending = null;
      return results;
    });
    return sending;
  }

  /* Ask the browser to send the outbox once it is online, even with no page open (Background
   * Sync, where the browser has it). */
  function askForSync() {
    var sw = scope.navigator && scope.navigator.serviceWorker;
    if (!sw || !scope.document) return;
    sw.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register(SYNC_TAG);
    }).catch(function () { /* no Background Sync: pages send on load and when back online */ });
  }

  scope.CoachOutbox = {
    newKey: newKey,
    keep: keep,
    waiting: waiting,
    sendAll: sendAll,
    EVENT: SENT_EVENT,
    SYNC_TAG: SYNC_TAG,
  };
})(typeof self !== "undefined" ? self : window);
