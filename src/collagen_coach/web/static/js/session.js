/* The guided session player: countdown, face map, spoken cues and chimes, and saving as it goes.
 *
 * It behaves like the terminal player (collagen_coach/terminal.py): a cue at each step start, the
 * step's how-to, pressure and tempo, pause / skip / stop, then the comfort questions. Time comes
 * from GuideClock (absolute deadlines, guide-clock.js); a timer only wakes the page to redraw.
 * Every step is saved to the server as soon as it ends, so closing the tab loses one step at most.
 *
 * ?speed=N (1-600) makes the clock run N times faster for tests; what is saved is always the
 * session's own seconds.
 */
(function () {
  "use strict";

  var dataNode = document.getElementById("player-data");
  if (!dataNode) return;
  var data = JSON.parse(dataNode.textContent);
  var steps = data.steps;
  var speed = data.speed || 1;
  var VOICE_KEY = "collagen-coach.voice";
  var TEN_S = 10;

  var $ = function (id) { return document.getElementById(id); };
  var player = $("player");
  var faceMap = document.querySelector("#live-panel .face-map");

  var clock = null;
  var log = data.log; // {id, date, step_url, finish_url} once started
  var shownStep = -1;
  var tenSecondsSaid = {};
  var timer = null;
  var saving = Promise.resolve();
  var saveFailed = false;
  var stopArmedUntil = 0;
  var wakeLock = null;

  // --- voice and chime ----------------------------------------------------------------------

  var speech = "speechSynthesis" in window ? window.speechSynthesis : null;
  var voiceOn = localStorage.getItem(VOICE_KEY) !== "off";
  var audio = null;

  function showVoice() {
    document.querySelectorAll("[data-voice-toggle]").forEach(function (button) {
      if (!speech) {
        button.textContent = "Voice not available in this browser";
        button.disabled = true;
        return;
      }
      button.textContent = voiceOn ? "Voice on" : "Voice off";
      button.setAttribute("aria-pressed", voiceOn ? "true" : "false");
    });
  }

  function say(text) {
    if (!speech || !voiceOn || !text) return;
    speech.cancel(); // the new cue matters more than the end of the old one
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.rate = 0.95;
    utterance.lang = document.documentElement.lang || "en";
    speech.speak(utterance);
  }

  function chime(final) {
    if (!audio) return;
    var t = audio.currentTime;
    var notes = final ? [660, 880, 1320] : [660, 880];
    notes.forEach(function (hz, i) {
      var osc = audio.createOscillator();
      var gain = audio.createGain();
      osc.type = "sine";
      osc.frequency.value = hz;
      var at = t + i * 0.18;
      gain.gain.setValueAtTime(0.0001, at);
      gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.7);
      osc.connect(gain).connect(audio.destination);
      osc.start(at);
      osc.stop(at + 0.75);
    });
  }

  function wakeAudio() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (!Context) return;
    try {
      audio = audio || new Context();
      if (audio.state === "suspended") audio.resume();
    } catch (err) {
      audio = null; // a chime is a nicety: carry on without it
    }
  }

  // --- keeping the screen on ------------------------------------------------------------------

  function wakeStatus(text) { $("wake-status").textContent = text; }

  function keepScreenOn() {
    if (!("wakeLock" in navigator)) {
      wakeStatus("Screen: this browser cannot keep it on; touch the page now and then.");
      return;
    }
    navigator.wakeLock.request("screen").then(function (lock) {
      wakeLock = lock;
      wakeStatus("Screen: kept on during the session.");
      lock.addEventListener("release", function () {
        if (isRunning()) wakeStatus("Screen: may turn off now (it comes back on when you return).");
      });
    }).catch(function () {
      wakeStatus("Screen: the browser did not allow keeping it on; it may turn off.");
    });
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && isRunning() && (!wakeLock || wakeLock.released)) {
      keepScreenOn(); // the browser lets go of the lock whenever the page is hidden
    }
  });

  function letScreenSleep() {
    if (wakeLock && !wakeLock.released) wakeLock.release();
    wakeLock = null;
  }

  // --- saving ---------------------------------------------------------------------------------

  function csrfToken() {
    var input = document.querySelector("#csrf-form input[name=csrfmiddlewaretoken]");
    if (input && input.value) return input.value;
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken(), "Accept": "application/json" },
      body: JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        if (!response.ok) {
          var error = new Error(json.message || ("The server answered " + response.status + "."));
          error.status = response.status;
          throw error;
        }
        return json;
      });
    });
  }

  function saveStatus(text, bad) {
    var node = $("save-status");
    node.textContent = text;
    node.classList.toggle("save-bad", Boolean(bad));
  }

  function saveRecord(record) {
    var body = { step: record.step, done_s: Math.round(record.doneS), skipped: record.skipped };
    var attempt = function (triesLeft) {
      return post(log.step_url, body).catch(function (err) {
        if (triesLeft > 0 && !err.status) {
          return new Promise(function (resolve) { setTimeout(resolve, 1500); }).then(function () { return attempt(triesLeft - 1); });
        }
        throw err;
      });
    };
    saving = saving.then(function () {
      return attempt(2).then(function () {
        saveStatus("Step " + (record.step + 1) + " saved.");
      }).catch(function (err) {
        saveFailed = true;
        saveStatus("Step " + (record.step + 1) + " not saved: " + err.message, true);
      });
    });
  }

  // --- drawing --------------------------------------------------------------------------------

  function clockText(seconds) {
    var whole = Math.ceil(Math.max(0, seconds) - 1e-9);
    var minutes = Math.floor(whole / 60);
    var secs = whole % 60;
    return minutes + ":" + (secs < 10 ? "0" : "") + secs;
  }

  function fillList(node, items) {
    while (node.firstChild) node.removeChild(node.firstChild);
    items.forEach(function (text) {
      var li = document.createElement("li");
      li.textContent = text;
      node.appendChild(li);
    });
  }

  function showStep(index) {
    var card = steps[index];
    shownStep = index;
    player.setAttribute("data-step", String(index));
    $("step-count").textContent = "Step " + (index + 1) + " of " + steps.length;
    $("step-name").textContent = card.name;
    $("step-where").textContent = card.where;
    $("step-pressure").textContent = card.pressure_words;
    $("step-tempo").textContent = card.tempo;
    fillList($("how-to"), card.how_to);
    fillList($("cautions"), card.cautions);
    $("step-why").textContent = card.why ? "Why: " + card.why : "";
    $("step-evidence").textContent = card.evidence;
    $("motion-caption").textContent = window.GuideMotion.caption(card);
    $("step-progress").max = card.duration_s;
    window.GuideMotion.show(faceMap, card);
  }

  function draw(state) {
    if (state.finished) return;
    var card = steps[state.step];
    $("countdown").textContent = clockText(state.remainingS);
    $("session-left").textContent = clockText(state.totalRemainingS);
    $("step-progress").value = Math.max(0, card.duration_s - state.remainingS);
    $("pause-button").textContent = state.paused ? "Resume" : "Pause";
    $("paused-line").hidden = !state.paused;
    player.setAttribute("data-state", state.paused ? "paused" : "running");
    if (stopArmedUntil && performance.now() > stopArmedUntil) disarmStop();
  }

  // --- the loop -------------------------------------------------------------------------------

  function isRunning() {
    return clock !== null && !clock.finished;
  }

  /* A step today's safety check rules out (a resumed session's) is passed over, saved as skipped;
   * gives whether any was. */
  function passLeftOut() {
    var passed = false;
    while (!clock.finished && steps[clock.step] && (steps[clock.step].left_out || []).length) {
      var before = clock.step;
      clock.skip();
      if (clock.step === before) break;
      passed = true;
    }
    return passed;
  }

  function tick() {
    timer = null;
    var state = clock.poll();
    if (passLeftOut()) state = clock.poll();
    clock.takeRecords().forEach(function (record) {
      played.push(record);
      saveRecord(record);
    });
    state.changes.forEach(function (change) {
      if (change.step < steps.length && !(steps[change.step].left_out || []).length) {
        chime(false);
        say(steps[change.step].cue);
      }
    });
    if (state.finished) {
      finishPlaying(clock.stopped);
      return;
    }
    if (state.step !== shownStep) showStep(state.step);
    if (!state.paused && !tenSecondsSaid[state.step] && steps[state.step].duration_s > 2 * TEN_S &&
        state.remainingS <= TEN_S && state.remainingS > TEN_S - 2) {
      tenSecondsSaid[state.step] = true;
      say(data.ten_seconds_cue);
    }
    draw(state);
    schedule(state);
  }

  /* Wake again when the shown second changes or the step ends, whichever comes first. */
  function schedule(state) {
    if (timer !== null) clearTimeout(timer);
    var wait = 500;
    if (!state.paused) {
      var secondMs = (1000 / speed);
      var toSecond = (state.remainingS - (Math.ceil(state.remainingS - 1e-9) - 1)) * secondMs;
      wait = Math.min(state.remainingMs, toSecond, 1000);
      var tenAt = (state.remainingS - TEN_S) * secondMs;
      if (tenAt > 0) wait = Math.min(wait, tenAt);
      wait = Math.max(wait, speed > 1 ? 4 : 1);
    }
    timer = setTimeout(tick, wait);
  }

  function now() { return performance.now(); }

  function begin(fromStep) {
    clock = new window.GuideClock.StepClock(steps.map(function (s) { return s.duration_s; }), {
      speed: speed, firstStep: fromStep, now: now,
    });
    $("ready-panel").hidden = true;
    $("live-panel").hidden = false;
    $("live-panel").scrollIntoView({ block: "start" });
    keepScreenOn();
    window.addEventListener("beforeunload", warnBeforeLeaving);
    if (clock.finished) { // every step already saved: only the comfort questions are left
      clock.start();
      finishPlaying(false);
      return;
    }
    clock.start();
    tick();
  }

  function warnBeforeLeaving(event) {
    if (isRunning()) {
      event.preventDefault();
      event.returnValue = "";
    }
  }

  function firstStepNotReached() {
    for (var i = 0; i < steps.length; i += 1) {
      if (steps[i].done_s === null || steps[i].done_s === undefined) return i;
    }
    return steps.length;
  }

  $("start-button").addEventListener("click", function () {
    var button = this;
    button.disabled = true;
    wakeAudio();
    if (log) { // resuming a saved session
      begin(firstStepNotReached());
      return;
    }
    post(data.start_url, {}).then(function (json) {
      log = json.log;
      steps = json.steps;
      begin(0);
    }).catch(function (err) {
      var box = $("start-error");
      box.textContent = "The session could not start: " + err.message;
      box.hidden = false;
      button.disabled = false;
    });
  });

  $("pause-button").addEventListener("click", function () {
    if (!isRunning()) return;
    if (clock.isPaused()) {
      clock.resume();
      say("Continuing.");
    } else {
      clock.pause();
      if (speech) speech.cancel();
    }
    tick();
  });

  $("skip-button").addEventListener("click", function () {
    if (!isRunning()) return;
    clock.skip();
    tick();
  });

  function disarmStop() {
    stopArmedUntil = 0;
    $("stop-button").textContent = "Stop";
  }

  $("stop-button").addEventListener("click", function () {
    if (!isRunning()) return;
    if (!stopArmedUntil) { // a second press within five seconds stops: no stopping by a slip
      stopArmedUntil = performance.now() + 5000;
      this.textContent = "Press again to stop";
      return;
    }
    disarmStop();
    clock.stop();
    tick();
  });

  // --- the end: comfort questions -------------------------------------------------------------

  var stoppedEarly = false;

  function finishPlaying(stopped) {
    stoppedEarly = stopped;
    if (timer !== null) clearTimeout(timer);
    window.removeEventListener("beforeunload", warnBeforeLeaving);
    letScreenSleep();
    chime(true);
    say(stopped ? "Session ended early." : data.end_cue);
    $("live-panel").hidden = true;
    $("comfort-panel").hidden = false;
    var title = $("comfort-title");
    title.textContent = stopped ? "Session ended early." : data.end_cue;
    title.setAttribute("tabindex", "-1");
    title.focus();
    player.setAttribute("data-state", "comfort");
    saving.then(function () { $("comfort-summary").textContent = summaryText(); });
  }

  var played = []; // every step record of this run, for the summary

  function summaryText() {
    var done = 0;
    var massageS = 0;
    var seen = {};
    played.forEach(function (r) {
      seen[r.step] = true;
      if (!r.skipped) done += 1;
      massageS += r.doneS;
    });
    steps.forEach(function (card, i) {
      if (seen[i] || card.done_s === null || card.done_s === undefined) return;
      if (!card.skipped) done += 1;
      massageS += card.done_s;
    });
    var text = done + " of " + steps.length + " steps done in full, " + clockText(Math.round(massageS)) + " of massage.";
    if (saveFailed) text += " Some steps could not be saved; the journal may show fewer.";
    return text;
  }

  function answer(form, name) {
    var value = form.elements[name].value;
    return value === "yes" ? true : value === "no" ? false : null;
  }

  $("comfort-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = this;
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    var body = {
      pain: answer(form, "pain"),
      redness: answer(form, "redness"),
      note: form.elements.note.value,
      stopped: stoppedEarly,
    };
    saving.then(function () {
      return post(log.finish_url, body);
    }).then(function (json) {
      $("comfort-panel").hidden = true;
      $("done-panel").hidden = false;
      var box = $("done-message");
      box.textContent = json.message;
      box.classList.toggle("notice-warn", Boolean(json.gentler_next));
      box.classList.toggle("notice-good", !json.gentler_next);
      player.setAttribute("data-state", "done");
      player.setAttribute("data-status", json.status);
    }).catch(function (err) {
      var box = $("comfort-error");
      box.textContent = "Not saved: " + err.message;
      box.hidden = false;
      button.disabled = false;
    });
  });

  // --- voice toggle ---------------------------------------------------------------------------

  document.querySelectorAll("[data-voice-toggle]").forEach(function (button) {
    button.addEventListener("click", function () {
      voiceOn = !voiceOn;
      localStorage.setItem(VOICE_KEY, voiceOn ? "on" : "off");
      if (!voiceOn && speech) speech.cancel();
      showVoice();
    });
  });
  showVoice();
})();
