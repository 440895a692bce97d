/* The guided session player: countdown, face map, spoken cues and chimes, and saving as it goes.
 *
 * It behaves like the terminal player (collagen_coach/cli/player.py): each step card carries its
 * cues, each at its second (core/cues.py's cue_schedule: announcement, how-to, rhythm at the
 * technique's tempo, encouragement, switch sides, ten seconds left); each cue is said once, by its
 * id. Then pause / skip / stop, the end words the server gives for how the session went, and the
 * comfort questions. Time comes
 * from GuideClock (absolute deadlines, guide-clock.js); a timer only wakes the page to redraw.
 * Every step is saved to the server as soon as it ends, so closing the tab loses one step at most.
 *
 * Without the network (the page kept by the service worker, or the network gone mid-session) it
 * plays on: the steps are kept in the page, and at the end the whole session goes into the
 * outbox (outbox.js) with a key of its own, to be sent when the phone is back online.
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
  var STALE_CUE_S = 3; // a cue noticed this late (a sleeping tab) is passed over, not said

  var $ = function (id) { return document.getElementById(id); };
  var player = $("player");
  var faceMap = document.querySelector("#live-panel .face-map");

  var clock = null;
  var log = data.log; // {id, date, step_url, finish_url} once started
  var shownStep = -1;
  var said = {}; // cue ids already said (or passed over): each cue once
  var ending = null; // the server's end words, streak and week's minutes, from the last save
  var finished = false;
  var timer = null;
  var saving = Promise.resolve();
  var saveFailed = false;
  var stopArmedUntil = 0;
  var wakeLock = null;
  var offline = false; // started without the network: nothing is saved until the end
  var keptSteps = false; // a step could not be sent for want of the network: the end sends it
  var startedMs = 0; // this phone's clock, for the outbox: when the session began and ended
  var finishedMs = 0;
  var keptKey = null; // the outbox key of this session, once kept on the phone

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

  /* Say ``text``; ``interrupt`` cuts what is being said (a new step matters more), otherwise it
   * waits its turn. */
  function say(text, interrupt) {
    if (!speech || !voiceOn || !text) return;
    if (interrupt) speech.cancel();
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

  function saveRecord(record, last) {
    if (offline) {
      saveStatus("Step " + (record.step + 1) + " kept on this phone.");
      return;
    }
    var body = { step: record.step, done_s: Math.round(record.doneS), skipped: record.skipped, ending: Boolean(last) };
    var attempt = function (triesLeft) {
      return post(log.step_url, body).catch(function (err) {
        if (triesLeft > 0 && !err.status) {
          return new Promise(function (resolve) { setTimeout(resolve, 1500); }).then(function () { return attempt(triesLeft - 1); });
        }
        throw err;
      });
    };
    saving = saving.then(function () {
      return attempt(2).then(function (json) {
        if (json.ending) ending = json.ending;
        saveStatus("Step " + (record.step + 1) + " saved.");
      }).catch(function (err) {
        if (!err.status) { // no network: the session's end sends it with the rest
          keptSteps = true;
          saveStatus("Step " + (record.step + 1) + " kept on this phone: no network.");
          return;
        }
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
    if (timer !== null) clearTimeout(timer); // a button's tick replaces the waiting one
    timer = null;
    if (finished) return;
    var state = clock.poll();
    if (passLeftOut()) state = clock.poll();
    var records = clock.takeRecords();
    records.forEach(function (record, i) {
      played.push(record);
      saveRecord(record, state.finished && i === records.length - 1);
    });
    if (state.finished) {
      finishPlaying(clock.stopped);
      return;
    }
    if (state.step !== shownStep) showStep(state.step);
    if (!state.paused) sayDueCues(state);
    draw(state);
    schedule(state);
  }

  function elapsedIn(state) {
    return steps[state.step].duration_s - state.remainingS;
  }

  /* Say the running step's cues that are due, each once; a step's first cue cuts the last step's
   * words short, with a chime. Of several due at once only the latest is said. */
  function sayDueCues(state) {
    var card = steps[state.step];
    if ((card.left_out || []).length) return;
    var elapsed = elapsedIn(state) + 1e-6;
    var due = null;
    (card.cues || []).forEach(function (cue) {
      if (said[cue.id] || cue.at_s > elapsed) return;
      said[cue.id] = true;
      if (elapsed - cue.at_s <= STALE_CUE_S) due = cue;
    });
    if (!due) return;
    $("cue-text").textContent = due.text; // shown too: for voice off, a noisy room, or hearing
    var first = due === card.cues[0];
    if (first) chime(false);
    say(due.text, first);
  }

  /* Give the real ms until the running step's next unsaid cue, or Infinity. */
  function msToNextCue(state) {
    var card = steps[state.step];
    var elapsed = elapsedIn(state);
    var next = Infinity;
    (card.cues || []).forEach(function (cue) {
      if (!said[cue.id] && cue.at_s > elapsed) next = Math.min(next, cue.at_s - elapsed);
    });
    return next * (1000 / speed);
  }

  /* Wake again when the shown second changes or the step ends, whichever comes first. */
  function schedule(state) {
    if (timer !== null) clearTimeout(timer);
    var wait = 500;
    if (!state.paused) {
      var secondMs = (1000 / speed);
      var toSecond = (state.remainingS - (Math.ceil(state.remainingS - 1e-9) - 1)) * secondMs;
      wait = Math.min(state.remainingMs, toSecond, 1000);
      wait = Math.min(wait, msToNextCue(state));
      wait = Math.max(wait, speed > 1 ? 4 : 1);
    }
    timer = setTimeout(tick, wait);
  }

  function now() { return performance.now(); }

  function begin(fromStep) {
    startedMs = Date.now();
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
      if (!err.status && window.CoachOutbox) { // no network: play the steps this page holds
        offline = true;
        saveStatus("No network: the session plays from this phone and is saved here at the end.");
        begin(0);
        return;
      }
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
      say(data.continuing_cue, true);
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

  /* Once, when playing ends: wait for the last save, whose answer says (core/cues.py's
   * end_words) whether the session counts as done, then say and show it with the streak and the
   * week's minutes; if that save failed, say only that the session ended. */
  function finishPlaying(stopped) {
    if (finished) return;
    finished = true;
    finishedMs = Date.now();
    stoppedEarly = stopped;
    if (timer !== null) clearTimeout(timer);
    timer = null;
    window.removeEventListener("beforeunload", warnBeforeLeaving);
    letScreenSleep();
    if (speech) speech.cancel();
    $("live-panel").hidden = true;
    $("comfort-panel").hidden = false;
    player.setAttribute("data-state", "comfort");
    saving.then(function () {
      var way = ending ? ending[stopped ? "stopped" : "done"] : null;
      var words = way ? way.words : data.ended_cue;
      chime(Boolean(way && way.counts));
      say(words, true);
      var title = $("comfort-title");
      title.textContent = words;
      title.setAttribute("tabindex", "-1");
      title.focus();
      $("comfort-summary").textContent = summaryText();
      var cheer = $("celebrate");
      var lines = way ? [way.streak, way.week].filter(Boolean) : [];
      fillList($("celebrate-lines"), lines);
      cheer.hidden = !lines.length;
      cheer.classList.toggle("celebrate-done", Boolean(way && way.counts));
      player.setAttribute("data-ended", way ? (way.counts ? "done" : "partial") : "unknown");
    });
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
    var text = "This session: " + done + " of " + steps.length + " steps done in full, " + clockText(Math.round(massageS)) + " of massage.";
    if (saveFailed) text += " Some steps could not be saved; the journal may show fewer.";
    else if (offline || keptSteps) text += " It is kept on this phone until it can be sent.";
    return text;
  }

  function answer(form, name) {
    var value = form.elements[name].value;
    return value === "yes" ? true : value === "no" ? false : null;
  }

  /* Give the comfort questions left unanswered (nothing is chosen for the person). */
  function unanswered(form) {
    return ["pain", "redness"].filter(function (name) { return form.elements[name].value === ""; });
  }

  function showUnanswered(form, missing) {
    ["pain", "redness"].forEach(function (name) {
      var set = $(name + "-question");
      var bad = missing.indexOf(name) >= 0;
      set.classList.toggle("field-missing", bad);
      set.setAttribute("aria-invalid", bad ? "true" : "false");
      set.querySelector(".missing-hint").hidden = !bad;
    });
    var box = $("comfort-error");
    if (!missing.length) { box.hidden = true; return; }
    var names = missing.map(function (name) { return $(name + "-question").getAttribute("data-short"); });
    box.textContent = "Please answer " + names.join(" and ") + ": choose No, Yes or \u201cI'd rather not say\u201d.";
    box.hidden = false;
    $(missing[0] + "-question").querySelector("input").focus();
  }

  $("comfort-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var form = this;
    var button = form.querySelector("button[type=submit]");
    var missing = unanswered(form);
    showUnanswered(form, missing);
    if (missing.length) return;
    button.disabled = true;
    var body = {
      pain: answer(form, "pain"),
      redness: answer(form, "redness"),
      note: form.elements.note.value,
      stopped: stoppedEarly,
    };
    saving.then(function () {
      if (offline) return keepOnPhone(body);
      return post(log.finish_url, body).catch(function (err) {
        if (err.status || !window.CoachOutbox) throw err;
        return keepOnPhone(body); // the network went during the session
      });
    }).then(showDone).catch(function (err) {
      var box = $("comfort-error");
      box.textContent = "Not saved: " + err.message;
      box.hidden = false;
      button.disabled = false;
    });
  });

  function showDone(json) {
    $("comfort-panel").hidden = true;
    $("done-panel").hidden = false;
    var box = $("done-message");
    box.textContent = json.message;
    box.classList.toggle("notice-warn", Boolean(json.gentler_next) || json.status === "kept");
    box.classList.toggle("notice-good", !json.gentler_next && json.status !== "kept");
    player.setAttribute("data-state", "done");
    player.setAttribute("data-status", json.status);
  }

  /* Keep the whole session in the outbox, to be sent when the phone is back online; give what
   * the done panel shows meanwhile. */
  function keepOnPhone(comfort) {
    keptKey = window.CoachOutbox.newKey();
    player.setAttribute("data-kept-key", keptKey);
    return window.CoachOutbox.keep({
      key: keptKey,
      person: Number(document.body.getAttribute("data-person")),
      url: data.sent_later_url,
      csrf: csrfToken(),
      startedMs: startedMs,
      finishedMs: finishedMs,
      body: Object.assign({
        date: data.date,
        log: log ? log.id : null,
        steps: played.map(function (r) {
          return { step: r.step, done_s: Math.round(r.doneS), skipped: r.skipped };
        }),
      }, comfort),
    }).then(function () {
      var person = Number(document.body.getAttribute("data-person"));
      if (navigator.onLine) window.CoachOutbox.sendAll(person, csrfToken()); // it may be back
      return {
        status: "kept",
        message: "Saved on this phone \u2014 it will be sent when you are back online.",
      };
    });
  }

  /* Once the outbox has sent this session, say what the journal made of it. */
  if (window.CoachOutbox) {
    window.addEventListener(window.CoachOutbox.EVENT, function (event) {
      var result = event.detail || {};
      if (!keptKey || result.key !== keptKey) return;
      if (result.sent) {
        showDone(result.answer);
      } else if (result.refused) {
        var box = $("done-message");
        box.textContent = "Not accepted: " + result.message;
        box.classList.add("notice-bad");
        player.setAttribute("data-status", "refused");
      }
    });
  }

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
