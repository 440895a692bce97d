// Turning reminders on this device on and off: the browser asks for permission only after the
// person presses the button, then the device's push subscription is sent to the app.
(function () {
  "use strict";

  var section = document.querySelector(".push-devices");
  if (!section) {
    return;
  }
  var state = section.querySelector(".push-state");
  var on = section.querySelector(".push-on");
  var off = section.querySelector(".push-off");

  function say(words) {
    state.textContent = words;
  }

  function show(subscribed) {
    on.hidden = subscribed;
    off.hidden = !subscribed;
    say(subscribed ? "Notifications are on for this device." : "Notifications are off for this device.");
  }

  function keyBytes(base64) {
    var padded = (base64 + "===".slice((base64.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = window.atob(padded);
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i += 1) {
      bytes[i] = raw.charCodeAt(i);
    }
    return bytes;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function send(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: JSON.stringify(body),
    }).then(function (answer) {
      return answer.json().then(function (data) {
        if (!answer.ok) {
          throw new Error(data.message || "The app did not take it.");
        }
        return data;
      });
    });
  }

  function registration() {
    return navigator.serviceWorker.register("/service-worker.js").then(function () {
      return navigator.serviceWorker.ready;
    });
  }

  if (!window.isSecureContext) {
    say("Notifications work only on a secure page: https://, or this computer's own address (127.0.0.1). Choose email instead, or open the app that way.");
    return;
  }
  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("This browser cannot show notifications from the app. Choose email instead, or add the app to your home screen first (on an iPhone).");
    return;
  }

  registration()
    .then(function (reg) {
      return reg.pushManager.getSubscription();
    })
    .then(function (subscription) {
      show(Boolean(subscription) && Notification.permission === "granted");
    })
    .catch(function () {
      show(false);
    });

  on.addEventListener("click", function () {
    on.disabled = true;
    say("Asking your browser…");
    Notification.requestPermission()
      .then(function (permission) {
        if (permission !== "granted") {
          throw new Error("Notifications are blocked for this site in your browser's settings. Allow them there, then press the button again.");
        }
        return registration();
      })
      .then(function (reg) {
        return reg.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(section.dataset.publicKey),
        });
      })
      .then(function (subscription) {
        return send(section.dataset.subscribeUrl, subscription.toJSON());
      })
      .then(function () {
        show(true);
        var box = document.getElementById("id_by_push");
        if (box && !box.checked) {
          box.checked = true;
          say("Notifications are on for this device. Save your reminders to have them come as notifications.");
        }
      })
      .catch(function (error) {
        say(error.message || "Notifications could not be turned on.");
      })
      .then(function () {
        on.disabled = false;
      });
  });

  off.addEventListener("click", function () {
    off.disabled = true;
    registration()
      .then(function (reg) {
        return reg.pushManager.getSubscription();
      })
      .then(function (subscription) {
        if (!subscription) {
          return null;
        }
        var endpoint = subscription.endpoint;
        return subscription.unsubscribe().then(function () {
          return send(section.dataset.unsubscribeUrl, { endpoint: endpoint });
        });
      })
      .then(function () {
        show(false);
      })
      .catch(function (error) {
        say(error.message || "Notifications could not be turned off.");
      })
      .then(function () {
        off.disabled = false;
      });
  });
})();
