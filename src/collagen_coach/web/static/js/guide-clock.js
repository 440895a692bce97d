/* The guided session's step clock: absolute deadlines, so the countdown never drifts.
 *
 * It mirrors core/clock.py (the terminal player's clock). Each step has a deadline on the
 * monotonic clock (performance.now(), in ms); reading the clock ("poll") only compares now with
 * the deadline, however late a timer fires. A step that runs out starts the next one at its old
 * deadline, not at the moment the timer noticed, so lateness never adds up. Pause keeps the time
 * left; resume sets a new deadline that far from now. Skip ends the running step now.
 *
 * Times inside are real milliseconds; durations and records are in the session's own seconds:
 * with speed N (for tests) one session second lasts 1000/N real ms.
 */
(function (global) {
  "use strict";

  function StepClock(durationsS, options) {
    options = options || {};
    this.durations = durationsS.map(Number);
    this.speed = options.speed || 1;
    this.now = options.now || function () { return global.performance.now(); };
    this.step = options.firstStep || 0;
    this.started = false;
    this.finished = this.step >= this.durations.length;
    this.stopped = false;
    this.deadline = null;      // real ms at which the running step ends (while running)
    this.pausedAt = null;      // real ms the pause began, or null
    this.pausedLeftMs = 0;     // real ms the running step had left when paused
    this.stepBegan = null;     // real ms the running step began
    this.stepPausedMs = 0;     // paused real ms within the running step, finished pauses only
    this.pending = [];         // records of steps ended since the last takeRecords()
    this.changes = [];         // step changes since the last poll: {step, atMs}
  }

  StepClock.prototype.msFor = function (seconds) {
    return (seconds * 1000) / this.speed;
  };

  StepClock.prototype.secondsFor = function (ms) {
    return (ms * this.speed) / 1000;
  };

  /* Start the first step to play now. */
  StepClock.prototype.start = function () {
    if (this.started) throw new Error("the session clock has already started");
    var now = this.now();
    this.started = true;
    if (this.finished) return;
    this.stepBegan = now;
    this.deadline = now + this.msFor(this.durations[this.step]);
    this.changes.push({ step: this.step, atMs: now });
  };

  StepClock.prototype.isPaused = function () {
    return this.pausedAt !== null;
  };

  /* Stop the countdown; pausing while paused or after the end changes nothing. */
  StepClock.prototype.pause = function () {
    var now = this.now();
    this.advance(now);
    if (this.pausedAt !== null || this.finished || !this.started) return;
    this.pausedAt = now;
    this.pausedLeftMs = Math.max(0, this.deadline - now);
  };

  /* Continue the countdown: the new deadline is the time left from now. */
  StepClock.prototype.resume = function () {
    if (this.pausedAt === null) return;
    var now = this.now();
    this.stepPausedMs += now - this.pausedAt;
    this.deadline = now + this.pausedLeftMs;
    this.pausedAt = null;
    this.advance(now);
  };

  /* End the running step now (recorded as skipped with the time it got); paused stays paused. */
  StepClock.prototype.skip = function () {
    var now = this.now();
    this.advance(now);
    if (this.finished || !this.started) return;
    var wasPaused = this.pausedAt !== null;
    var at = wasPaused ? this.pausedAt : now;
    this.record(at, true);
    this.step += 1;
    this.stepPausedMs = 0;
    this.stepBegan = now;
    if (this.step >= this.durations.length) {
      this.finished = true;
      this.pausedAt = null;
    } else {
      var stepMs = this.msFor(this.durations[this.step]);
      this.deadline = now + stepMs;
      if (wasPaused) {
        this.pausedAt = now;
        this.pausedLeftMs = stepMs;
      }
    }
    this.changes.push({ step: this.step, atMs: now });
  };

  /* End the session now: the running step is recorded as cut short, the rest not played. */
  StepClock.prototype.stop = function () {
    var now = this.now();
    this.advance(now);
    if (this.finished) return;
    if (this.started) {
      this.record(this.pausedAt !== null ? this.pausedAt : now, true);
    }
    this.pausedAt = null;
    this.finished = true;
    this.stopped = true;
  };

  /* Give the state now: step, time left (session seconds), paused, finished, step changes. */
  StepClock.prototype.poll = function () {
    var now = this.now();
    this.advance(now);
    var changes = this.changes;
    this.changes = [];
    var n = this.durations.length;
    if (!this.started || this.finished) {
      return {
        step: Math.min(this.step, n), stepCount: n, remainingS: this.finished ? 0 : this.durations[this.step] || 0,
        remainingMs: 0, totalRemainingS: this.finished ? 0 : this.later(this.step),
        paused: false, finished: this.finished, changes: changes,
      };
    }
    var leftMs = this.pausedAt !== null ? this.pausedLeftMs : Math.max(0, this.deadline - now);
    var remainingS = this.secondsFor(leftMs);
    return {
      step: this.step,
      stepCount: n,
      remainingS: remainingS,
      remainingMs: leftMs,
      totalRemainingS: remainingS + this.later(this.step + 1),
      paused: this.pausedAt !== null,
      finished: false,
      changes: changes,
    };
  };

  /* Give (and forget) the records of the steps ended since the last call, in order. */
  StepClock.prototype.takeRecords = function () {
    var records = this.pending;
    this.pending = [];
    return records;
  };

  StepClock.prototype.later = function (from) {
    var total = 0;
    for (var i = from; i < this.durations.length; i += 1) total += this.durations[i];
    return total;
  };

  /* Close every step whose deadline has passed by now (none while paused). */
  StepClock.prototype.advance = function (now) {
    if (!this.started || this.pausedAt !== null) return;
    while (!this.finished && this.deadline <= now) {
      var due = this.deadline;
      this.record(due, false);
      this.step += 1;
      this.stepBegan = due;
      this.stepPausedMs = 0;
      if (this.step >= this.durations.length) {
        this.finished = true;
      } else {
        this.deadline = due + this.msFor(this.durations[this.step]);
      }
      this.changes.push({ step: this.step, atMs: due });
    }
  };

  StepClock.prototype.record = function (at, skipped) {
    var planned = this.durations[this.step];
    var done = planned;
    if (skipped) {
      var spent = this.secondsFor(at - this.stepBegan - this.stepPausedMs);
      done = Math.min(planned, Math.max(0, spent));
    }
    this.pending.push({ step: this.step, plannedS: planned, doneS: done, skipped: skipped });
  };

  global.GuideClock = { StepClock: StepClock };
})(window);
