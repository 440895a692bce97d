// "Take my photo": the live capture coach. The camera's picture (shown as a mirror shows it), the
// outline to fill and one instruction at a time, from the server's advice on a small JPEG of the
// current picture, one request in flight at a time. Once the face has been ready for about a
// second: a 3-2-1 countdown (stopped if a frame is no longer ready), a shutter sound, the photo at
// the camera's full resolution (not mirrored), the camera stopped, and the photo sent through the
// upload form; then the photo's own page. One automatic photo per visit.
//
// For tests and for reading the page: the root element's data-checks and data-instructions
// list each new check and instruction in order (JSON), data-captures counts the photos taken,
// data-state says where it stands (waiting, starting, coaching, countdown, saving, done, failed).
(function () {
  "use strict";

  var READY_HOLD_MS = 1000; // ready this long before the countdown starts
  var COUNT_FROM = 3;
  var FRAME_PAUSE_MS = 100; // between an answer and the next frame
  var RETRY_PAUSE_MS = 1000; // after a frame that could not be sent
  var FRAME_QUALITY = 0.8;
  var IDEAL_SIDE_PX = 4096; // ask for more than any camera gives: it gives its largest

  var WORDS = {
    insecure: "The camera only works on a secure connection (an https:// address) or on this " +
      "computer itself (127.0.0.1 or localhost). You can upload a photo instead.",
    noCamera: "This browser cannot use a camera. You can upload a photo instead.",
    refused: "The camera is not allowed for this site. Allow it in the browser's settings and " +
      "load this page again, or upload a photo instead.",
    notFound: "No camera was found. You can upload a photo instead.",
    busy: "The camera is being used by another program. Close that program and load this page " +
      "again, or upload a photo instead.",
    failed: "The camera could not be started. You can upload a photo instead.",
    starting: "Starting the camera…",
    holdStill: "Hold still: ",
    taken: "Photo taken. Saving it…",
    signedOut: "You are signed out. Sign in again, then take your photo.",
    notSaved: "The photo could not be saved: ",
    noAnswer: "The camera coach could not check the picture: ",
  };

  function start() {
    var root = document.querySelector("[data-take]");
    if (!root) {
      return;
    }
    var el = {
      start: root.querySelector("[data-take-start]"),
      intro: root.querySelector("[data-take-intro]"),
      actions: root.querySelector("[data-take-actions]"),
      instruction: root.querySelector("[data-take-instruction]"),
      stage: root.querySelector("[data-take-stage]"),
      video: root.querySelector("[data-take-video]"),
      outline: root.querySelector("[data-take-outline]"),
      problem: root.querySelector("[data-take-problem]"),
      problemText: root.querySelector("[data-take-problem-text]"),
      uploadLink: root.querySelector("[data-take-upload-link]"),
    };
    var csrf = root.querySelector("input[name=csrfmiddlewaretoken]").value;
    var frameWidth = parseInt(root.dataset.frameWidth, 10) || 640;
    var small = document.createElement("canvas");
    var state = {
      stream: null, audio: null, box: null, readySince: null, countdown: null,
      inFlight: false, finished: false, captures: 0, checks: [], instructions: [],
    };

    function setState(name) {
      root.dataset.state = name;
    }

    function logNew(list, value, key) {
      if (list[list.length - 1] !== value) {
        list.push(value);
        root.dataset[key] = JSON.stringify(list);
      }
    }

    function say(text, ready) {
      el.instruction.hidden = false;
      el.instruction.classList.toggle("is-ready", Boolean(ready));
      if (el.instruction.textContent !== text) {
        el.instruction.textContent = text;
      }
      logNew(state.instructions, text, "instructions");
    }

    function fail(text) {
      stopCamera();
      state.finished = true;
      cancelCountdown();
      setState("failed");
      el.actions.hidden = true;
      el.instruction.hidden = true;
      el.stage.hidden = true;
      el.problemText.textContent = text;
      el.problem.hidden = false;
      el.uploadLink.hidden = true; // the notice offers it
    }

    function stopCamera() {
      if (state.stream) {
        state.stream.getTracks().forEach(function (track) { track.stop(); });
        state.stream = null;
      }
    }

    // --- the camera -----------------------------------------------------------------------

    function cameraProblem(error) {
      var name = error && error.name;
      if (name === "NotAllowedError" || name === "SecurityError") {
        return WORDS.refused;
      }
      if (name === "NotFoundError" || name === "OverconstrainedError") {
        return WORDS.notFound;
      }
      if (name === "NotReadableError" || name === "AbortError") {
        return WORDS.busy;
      }
      return WORDS.failed;
    }

    function startCamera() {
      el.actions.hidden = true;
      el.intro.hidden = true; // room for the picture on a phone
      setState("starting");
      say(WORDS.starting, false);
      el.instruction.focus();
      var AudioContext = window.AudioContext || window.webkitAudioContext;
      if (AudioContext) {
        try {
          state.audio = new AudioContext(); // made on the click, so the browser lets it sound
        } catch (error) {
          state.audio = null;
        }
      }
      navigator.mediaDevices.getUserMedia({
        audio: false,
        video: {
          facingMode: "user",
          width: { ideal: IDEAL_SIDE_PX },
          height: { ideal: IDEAL_SIDE_PX },
        },
      }).then(function (stream) {
        state.stream = stream;
        el.video.srcObject = stream;
        el.video.addEventListener("loadedmetadata", function () {
          fitStage();
          el.stage.hidden = false;
          setState("coaching");
          nextFrame();
        }, { once: true });
        var played = el.video.play();
        if (played && played.catch) {
          played.catch(function () { /* autoplay of a muted video: shown once metadata is in */ });
        }
      }, function (error) {
        fail(cameraProblem(error));
      });
    }

    function fitStage() {
      var width = el.video.videoWidth;
      var height = el.video.videoHeight;
      el.stage.dataset.size = width + "x" + height;
      el.stage.style.setProperty("--take-aspect", String(width / height));
      el.outline.setAttribute("viewBox", "0 0 " + width + " " + height);
      el.outline.setAttribute("preserveAspectRatio", "none");
    }

    // --- the coach's advice, several times a second -----------------------------------------

    function later(pause) {
      if (!state.finished) {
        window.setTimeout(nextFrame, pause);
      }
    }

    function nextFrame() {
      if (state.finished || state.inFlight) {
        return;
      }
      var video = el.video;
      if (!video.videoWidth || video.readyState < 2) {
        later(FRAME_PAUSE_MS);
        return;
      }
      if (video.videoWidth + "x" + video.videoHeight !== el.stage.dataset.size) {
        fitStage(); // a phone turned on its side changes the camera's picture
      }
      var width = Math.min(frameWidth, video.videoWidth);
      small.width = width;
      small.height = Math.round(video.videoHeight * width / video.videoWidth);
      small.getContext("2d").drawImage(video, 0, 0, small.width, small.height);
      state.inFlight = true;
      small.toBlob(function (blob) {
        if (!blob) {
          state.inFlight = false;
          later(RETRY_PAUSE_MS);
          return;
        }
        send(blob, video.videoWidth, video.videoHeight);
      }, "image/jpeg", FRAME_QUALITY);
    }

    function send(blob, cameraWidth, cameraHeight) {
      var body = new FormData();
      body.append("frame", blob, "frame.jpg");
      body.append("camera_width", String(cameraWidth));
      body.append("camera_height", String(cameraHeight));
      if (state.box) {
        body.append("previous_box", state.box.join(","));
      }
      fetch(root.dataset.frameUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
      }).then(function (response) {
        return response.json().then(function (data) {
          return { status: response.status, data: data };
        });
      }).then(function (answer) {
        state.inFlight = false;
        if (state.finished) {
          return;
        }
        if (answer.status === 200) {
          advise(answer.data);
          later(FRAME_PAUSE_MS);
        } else if (answer.status === 401) {
          fail(WORDS.signedOut);
        } else {
          fail(WORDS.noAnswer + ((answer.data && answer.data.message) ||
            "the server answered " + answer.status) + ".");
        }
      }).catch(function () {
        state.inFlight = false; // the network or the server hiccuped: try again shortly
        later(RETRY_PAUSE_MS);
      });
    }

    function advise(advice) {
      state.box = advice.face_box || null;
      drawOutline(advice.outline || [], advice.ready);
      logNew(state.checks, advice.check, "checks");
      if (state.countdown !== null) {
        if (!advice.ready) {
          cancelCountdown();
          say(advice.instruction, false);
        }
        return;
      }
      say(advice.instruction, advice.ready);
      if (!advice.ready) {
        state.readySince = null;
      } else if (state.readySince === null) {
        state.readySince = performance.now();
      } else if (performance.now() - state.readySince >= READY_HOLD_MS) {
        startCountdown();
      }
    }

    function drawOutline(points, ready) {
      el.stage.classList.toggle("is-ready", Boolean(ready));
      while (el.outline.firstChild) {
        el.outline.removeChild(el.outline.firstChild);
      }
      if (points.length < 3) {
        return;
      }
      var width = el.video.videoWidth;
      var height = el.video.videoHeight;
      var shape = points.map(function (point, index) {
        return (index ? "L" : "M") + (point[0] * width).toFixed(1) + " " +
          (point[1] * height).toFixed(1);
      }).join(" ") + " Z";
      var dim = document.createElementNS("http://www.w3.org/2000/svg", "path");
      dim.setAttribute("class", "take-dim");
      dim.setAttribute("d", "M0 0 H" + width + " V" + height + " H0 Z " + shape);
      var line = document.createElementNS("http://www.w3.org/2000/svg", "path");
      line.setAttribute("class", "take-outline");
      line.setAttribute("d", shape);
      el.outline.appendChild(dim);
      el.outline.appendChild(line);
    }

    // --- the countdown and the photo ------------------------------------------------------

    function startCountdown() {
      setState("countdown");
      var left = COUNT_FROM;
      function tick() {
        if (left === 0) {
          state.countdown = null;
          takePhoto();
          return;
        }
        say(WORDS.holdStill + left, true);
        left -= 1;
        state.countdown = window.setTimeout(tick, 1000);
      }
      tick();
    }

    function cancelCountdown() {
      if (state.countdown !== null) {
        window.clearTimeout(state.countdown);
        state.countdown = null;
        state.readySince = null;
        if (!state.finished) {
          setState("coaching");
        }
      }
    }

    function shutterSound() {
      var audio = state.audio;
      if (!audio) {
        return;
      }
      try {
        if (audio.state === "suspended") {
          audio.resume();
        }
        var length = Math.floor(audio.sampleRate * 0.12);
        var buffer = audio.createBuffer(1, length, audio.sampleRate);
        var samples = buffer.getChannelData(0);
        for (var i = 0; i < length; i += 1) {
          samples[i] = (Math.random() * 2 - 1) * Math.pow(1 - i / length, 3);
        }
        var source = audio.createBufferSource();
        var gain = audio.createGain();
        gain.gain.value = 0.4;
        source.buffer = buffer;
        source.connect(gain);
        gain.connect(audio.destination);
        source.start();
      } catch (error) {
        // no sound is no reason to lose the photo
      }
    }

    function canvasPhoto() {
      var video = el.video;
      var canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0); // as the camera sees it: not mirrored
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) {
          if (blob) {
            resolve(blob);
          } else {
            reject(new Error("the picture could not be made"));
          }
        }, "image/jpeg", 0.95);
      });
    }

    function fullPhoto() {
      var track = state.stream && state.stream.getVideoTracks()[0];
      if (!window.ImageCapture || !track) {
        return canvasPhoto();
      }
      var capture;
      try {
        capture = new window.ImageCapture(track);
      } catch (error) {
        return canvasPhoto();
      }
      return capture.getPhotoCapabilities().then(function (can) {
        var settings = {};
        if (can.imageWidth && can.imageWidth.max) {
          settings.imageWidth = can.imageWidth.max;
          settings.imageHeight = can.imageHeight.max;
        }
        return capture.takePhoto(settings);
      }).then(function (blob) {
        return blob && blob.size ? blob : canvasPhoto();
      }, function () {
        return canvasPhoto();
      });
    }

    function takePhoto() {
      if (state.captures > 0) {
        return; // one automatic photo per visit
      }
      state.finished = true;
      state.captures += 1;
      root.dataset.captures = String(state.captures);
      setState("saving");
      shutterSound();
      say(WORDS.taken, true);
      fullPhoto().then(function (blob) {
        stopCamera();
        upload(blob);
      }, function (error) {
        fail(WORDS.notSaved + error.message);
      });
    }

    function upload(blob) {
      var body = new FormData();
      var ending = blob.type === "image/png" ? "png" : "jpg";
      body.append("csrfmiddlewaretoken", csrf);
      body.append("photo", blob, "camera." + ending);
      body.append("taken_on", root.dataset.today);
      body.append("then", "photo");
      fetch(root.dataset.uploadUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrf },
      }).then(function (response) {
        if (response.ok && response.redirected && /\/photos\/\d+\/$/.test(new URL(response.url).pathname)) {
          setState("done");
          window.location.assign(response.url);
          return null;
        }
        return response.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, "text/html");
          var errors = Array.prototype.map.call(
            page.querySelectorAll(".errorlist li"), function (item) { return item.textContent; });
          fail(WORDS.notSaved + (errors.join(" ") || "the server answered " + response.status));
        });
      }).catch(function () {
        fail(WORDS.notSaved + "the server could not be reached.");
      });
    }

    // --- on load --------------------------------------------------------------------------

    window.addEventListener("pagehide", stopCamera);
    if (!window.isSecureContext) {
      fail(WORDS.insecure);
      return;
    }
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      fail(WORDS.noCamera);
      return;
    }
    setState("waiting");
    el.start.addEventListener("click", startCamera);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
