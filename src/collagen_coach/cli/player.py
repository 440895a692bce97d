"""The guided session in a terminal: one step at a time, a countdown, cues, then comfort questions.

Time comes from the session clock (absolute deadlines, see ``core/clock.py``); the only waiting
is the key source's ``read_key`` timeout, so a scripted key source on a manual clock plays a whole
session instantly and exactly.
"""

from __future__ import annotations

import contextlib
import io
import math
import os
import select
import shutil
import subprocess
import sys
import termios
import time
import tty
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Protocol, TextIO

from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.progress_bar import ProgressBar
from rich.table import Table
from rich.text import Text

from collagen_coach.core.clock import ClockState, ManualClock, SessionClock, StepRecord, TimeSource
from collagen_coach.core.cues import (
    GENTLER_ADVICE,
    cue_schedule,
    end_words,
    spoken_pressure,
    zone_phrase,
)
from collagen_coach.core.cues import Cue as SpokenCue
from collagen_coach.core.planning import Session, Step
from collagen_coach.core.techniques import Library, Technique, Zone
from collagen_coach.core.words import clock_duration

PAUSE_KEYS = frozenset({" ", "p"})
SKIP_KEYS = frozenset({"s", "n"})
QUIT_KEYS = frozenset({"q"})

PAIN_QUESTION = "Any pain during the session? (y/n) "
REDNESS_QUESTION = "Any redness that is still there now? (y/n) "
NOTE_QUESTION = "Anything else to note? (press Enter to skip) "


class KeySource(Protocol):
    """Where the player's key presses and typed answers come from."""

    def read_key(self, timeout_s: float) -> str | None:
        """Give the next key pressed within ``timeout_s`` seconds, or None once it has passed."""
        ...

    def read_line(self, prompt: str) -> str:
        """Show ``prompt`` and give the line typed in answer ("" when input has ended)."""
        ...


class Cue(Protocol):
    """How a step change is announced (a bell, a spoken sentence)."""

    def announce(self, text: str) -> None: ...


@dataclass(frozen=True)
class SessionOutcome:
    """How a guided session went: the steps played and the comfort answers given after it.

    ``pain`` and ``redness`` are None when the question got no usable answer.
    """

    completed: bool
    steps: tuple[StepRecord, ...]
    pain: bool | None
    redness: bool | None
    note: str

    @property
    def done_s(self) -> float:
        return sum(record.done_s for record in self.steps)

    @property
    def needs_gentler(self) -> bool:
        """Whether the next session should be gentler (pain, or redness that lasted)."""
        return bool(self.pain or self.redness)


def play_session(
    session: Session,
    library: Library,
    *,
    clock: TimeSource = time.monotonic,
    keys: KeySource,
    cue: Cue,
    console: Console,
    on_step_done: Callable[[int, StepRecord], None] = lambda step, record: None,
) -> SessionOutcome:
    """Guide the user through ``session`` step by step and give how it went.

    ``on_step_done(step_index, record)`` is called as soon as each step ends (also for a step cut
    short by quitting), so a caller that saves there loses nothing if the process is killed.
    Ctrl-C counts as quitting; the comfort questions are still asked.
    """
    cards = [_StepCard.of(step, library, index) for index, step in enumerate(session.steps)]
    timer = SessionClock([step.duration_s for step in session.steps], now=clock)
    reported = 0
    said: set[str] = set()  # each cue once, by its id

    def report_ended_steps() -> None:
        nonlocal reported
        for record in timer.records()[reported:]:
            on_step_done(record.step, record)
            reported += 1

    live = (
        Live(console=console, auto_refresh=False, transient=False) if console.is_terminal else None
    )
    completed = True
    with live if live is not None else contextlib.nullcontext():
        timer.start()
        try:
            while True:
                state = timer.poll()
                for change in state.changes:
                    report_ended_steps()
                    if live is None and change.step < len(cards):
                        # Without a live screen each step's card is printed once, as it begins.
                        console.print(_first_look(cards, change.step, state))
                if state.finished:
                    break
                if not state.paused:
                    due = _due_cue(cards[state.step].cues, state.step_elapsed_s, said)
                    if due is not None:
                        cue.announce(due.text)
                if live is not None:
                    live.update(_step_screen(cards, state.step, state), refresh=True)
                key = keys.read_key(_wait_s(state, cards[state.step].cues, said))
                if key is None:
                    continue
                key = key.lower()
                if key in PAUSE_KEYS:
                    if state.paused:
                        timer.resume()
                    else:
                        timer.pause()
                    if live is None:
                        console.print("Continuing." if state.paused else "Paused.")
                elif key in SKIP_KEYS:
                    timer.skip()
                elif key in QUIT_KEYS:
                    completed = False
                    break
        except KeyboardInterrupt:
            completed = False
        if not completed:
            timer.stop()
        report_ended_steps()
        records = timer.records()
        words = end_words(
            steps_done=sum(1 for record in records if not record.skipped),
            step_count=len(cards),
            done_s=sum(record.done_s for record in records),
            planned_s=session.duration_s,
            stopped=not completed,
        )
        cue.announce(words)
        end_screen = _end_screen(records, len(cards), words)
        if live is not None:
            live.update(end_screen, refresh=True)
        else:
            console.print(end_screen)

    pain = _ask_yes_no(keys, console, PAIN_QUESTION)
    redness = _ask_yes_no(keys, console, REDNESS_QUESTION)
    note = keys.read_line(NOTE_QUESTION).strip()
    if pain or redness:
        console.print(GENTLER_ADVICE)
    return SessionOutcome(completed, records, pain, redness, note)


# --- what is shown and said ------------------------------------------------------------------


# How to say one side of a zone naturally; zones not listed read "<zone>, left side".
def clock_text(seconds: float) -> str:
    """Give time left as m:ss, rounded up so that 0:00 shows only at the very end."""
    return clock_duration(math.ceil(max(0.0, seconds) - 1e-9))


@dataclass(frozen=True)
class _StepCard:
    step: Step
    technique: Technique
    zone: Zone
    cues: tuple[SpokenCue, ...]

    @classmethod
    def of(cls, step: Step, library: Library, index: int) -> _StepCard:
        technique = library.techniques.get(step.technique)
        zone = library.zones.get(step.zone)
        if technique is None or zone is None:
            missing = step.technique if technique is None else step.zone
            raise ValueError(f"the session names {missing!r}, which the technique library lacks")
        return cls(step, technique, zone, tuple(cue_schedule(step, technique, zone, index=index)))

    @property
    def where(self) -> str:
        return zone_phrase(self.zone, self.step.side)


# A cue noticed this late (the computer slept) is passed over, not said out of its time.
STALE_CUE_S = 3.0


def _due_cue(cues: Iterable[SpokenCue], elapsed_s: float, said: set[str]) -> SpokenCue | None:
    """Give the cue to say now: the latest one due and not said; every due cue is marked said
    (as the browser player does), so each is said once at most."""
    due = None
    for spoken in cues:
        if spoken.id in said or spoken.at_s > elapsed_s + 1e-6:
            continue
        said.add(spoken.id)
        if elapsed_s - spoken.at_s <= STALE_CUE_S:
            due = spoken
    return due


def _first_look(cards: list[_StepCard], step: int, state: ClockState) -> RenderableType:
    """Give a step's card as it looks when the step begins."""
    planned_s = float(cards[step].step.duration_s)
    ahead_s = float(sum(card.step.duration_s for card in cards[step:]))
    paused = state.paused and step == state.step
    return _card(cards, step, 0.0, planned_s, ahead_s, paused)


def _step_screen(cards: list[_StepCard], step: int, state: ClockState) -> RenderableType:
    return _card(
        cards,
        step,
        state.step_elapsed_s,
        state.step_remaining_s,
        state.total_remaining_s,
        state.paused,
    )


def _card(
    cards: list[_StepCard],
    step: int,
    elapsed_s: float,
    remaining_s: float,
    total_remaining_s: float,
    paused: bool,
) -> RenderableType:
    card = cards[step]
    # The countdown comes first so that a short terminal crops the instructions, not the timer.
    countdown = Table.grid(expand=True, padding=(0, 2))
    countdown.add_column(ratio=1)
    countdown.add_column(justify="right", no_wrap=True)
    countdown.add_row(
        ProgressBar(
            total=max(card.step.duration_s, 1),
            completed=elapsed_s,
            complete_style="yellow" if paused else "green",
            finished_style="green",
        ),
        f"{clock_text(remaining_s)} left in this step",
    )
    keys_help = (
        Text("PAUSED: press space to continue  ·  s skip step  ·  q quit", style="bold yellow")
        if paused
        else Text("space pause  ·  s skip step  ·  q quit", style="dim")
    )
    how = Table.grid(padding=(0, 1))
    for number, line in enumerate(card.technique.how_to_on(card.zone.id), start=1):
        how.add_row(f"{number}.", line)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    facts.add_row("Pressure", spoken_pressure(card.step.pressure))
    facts.add_row("Tempo", card.step.tempo_cue)
    cautions = ([card.zone.note] if card.zone.note else []) + card.technique.cautions
    for number, caution in enumerate(cautions):
        facts.add_row("Careful" if number == 0 else "", caution)
    facts.add_row("Why", card.step.why)  # last: on a short terminal it is the one cropped
    where = card.where[:1].upper() + card.where[1:]
    headline = Text.assemble((card.technique.name, "bold"), "  ·  ", (where, "bold"))
    return Panel(
        Group(headline, countdown, keys_help, Text(""), how, Text(""), facts),
        title=(
            f"Step {step + 1} of {len(cards)}  ·  "
            f"{clock_text(total_remaining_s)} left in the session"
        ),
        title_align="left",
        padding=(0, 1),
    )


def _end_screen(records: tuple[StepRecord, ...], step_count: int, headline: str) -> Panel:
    done = sum(1 for record in records if not record.skipped)
    massage_s = round(sum(record.done_s for record in records))
    summary = f"{done} of {step_count} steps done in full, {clock_text(massage_s)} of massage."
    return Panel(Group(Text(headline, style="bold"), Text(summary)), padding=(0, 1))


def _wait_s(
    state: ClockState, cues: Iterable[SpokenCue] = (), said: frozenset[str] | set[str] = frozenset()
) -> float:
    """Give how long to wait for a key: until the shown second changes or the next cue is due,
    at most 1 s."""
    if state.paused:
        return 1.0
    to_next_second = state.step_remaining_s - math.ceil(state.step_remaining_s) + 1.0
    to_next_cue = min(
        (
            c.at_s - state.step_elapsed_s
            for c in cues
            if c.id not in said and c.at_s > state.step_elapsed_s
        ),
        default=1.0,
    )
    return max(0.01, min(1.0, to_next_second, to_next_cue))


def _ask_yes_no(keys: KeySource, console: Console, question: str, tries: int = 3) -> bool | None:
    for _ in range(tries):
        answer = keys.read_line(question).strip().lower()
        if answer in {"y", "yes"}:
            return True
        if answer in {"n", "no"}:
            return False
        console.print("Please answer y or n.")
    return None


# --- cues ------------------------------------------------------------------------------------


class TerminalCue:
    """Announce a step change with the terminal bell and, where espeak-ng is installed, aloud.

    ``speaker`` is the speech program (a name looked up on PATH, or a path); None for no voice.
    ``quiet`` mutes both bell and voice.
    """

    def __init__(
        self, console: Console, *, quiet: bool = False, speaker: str | None = "espeak-ng"
    ) -> None:
        self._console = console
        self._quiet = quiet
        self._speaker = shutil.which(speaker) if speaker else None
        self._speaking: subprocess.Popen[bytes] | None = None

    def announce(self, text: str) -> None:
        if self._quiet:
            return
        self._console.bell()
        if self._speaker is None:
            return
        if self._speaking is not None and self._speaking.poll() is None:
            self._speaking.terminate()  # the new step matters more than the end of the old cue
        try:
            self._speaking = subprocess.Popen(
                [self._speaker, "-s", "150", text],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C in the terminal does not cut a cue mid-word
            )
        except OSError:
            self._speaker = None  # speech is a nicety: carry on with the bell alone


# --- key sources -----------------------------------------------------------------------------


class TerminalKeys:
    """Read single key presses from a POSIX terminal, and whole lines for the answers.

    Use it as a context manager: on entry the terminal goes into cbreak mode (keys arrive without
    Enter and are not echoed); on exit, also after Ctrl-C or an error, its settings are restored.
    When stdin is not a terminal no key ever arrives and lines are read as usual.
    """

    def __init__(self, stdin: TextIO | None = None, stdout: TextIO | None = None) -> None:
        self._in = stdin if stdin is not None else sys.stdin
        self._out = stdout if stdout is not None else sys.stdout
        try:
            fd: int | None = self._in.fileno()
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            fd = None
        self._fd = fd if fd is not None and os.isatty(fd) else None
        self._saved: list[Any] | None = None
        self._keys_waiting = False  # keys may have been typed that are not meant as an answer

    @property
    def is_terminal(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> TerminalKeys:
        if self._fd is not None:
            self._saved = termios.tcgetattr(self._fd)
            tty.setcbreak(self._fd, termios.TCSANOW)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._fd is not None and self._saved is not None:
            termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)
            self._saved = None

    def read_key(self, timeout_s: float) -> str | None:
        self._keys_waiting = True
        if self._fd is None:
            time.sleep(max(0.0, timeout_s))
            return None
        ready, _, _ = select.select([self._fd], [], [], max(0.0, timeout_s))
        if not ready:
            return None
        return os.read(self._fd, 1).decode("utf-8", errors="ignore") or None

    def read_line(self, prompt: str) -> str:
        if self._fd is None:
            answer = self._prompt_and_read(prompt)
            self._out.write(answer + "\n")  # nothing echoed it: keep the transcript readable
            return answer
        if self._saved is None:
            return self._prompt_and_read(prompt)
        if self._keys_waiting:
            # Drop keys pressed for the session (a last space or s) so they are not taken as the
            # answer; answers typed ahead of the next question are kept.
            termios.tcflush(self._fd, termios.TCIFLUSH)
            self._keys_waiting = False
        termios.tcsetattr(self._fd, termios.TCSADRAIN, self._saved)  # echo and editing back
        try:
            return self._prompt_and_read(prompt)
        finally:
            # TCSANOW, not tty's default TCSAFLUSH, which would drop answers typed ahead.
            tty.setcbreak(self._fd, termios.TCSANOW)

    def _prompt_and_read(self, prompt: str) -> str:
        self._out.write(prompt)
        self._out.flush()
        return self._in.readline().rstrip("\n")


class ScriptedKeys:
    """A key source that plays given keys at given times on a manual clock, and given answers.

    Waiting for a key moves the manual clock on instead of sleeping; once the answers run out,
    ``read_line`` gives "" as a closed input would. The prompts shown are kept in ``prompts``.
    """

    def __init__(
        self,
        clock: ManualClock,
        keys: Iterable[tuple[float, str]] = (),
        lines: Iterable[str] = (),
    ) -> None:
        self._clock = clock
        self._keys = sorted(keys, key=lambda timed: timed[0])
        self._lines = list(lines)
        self.prompts: list[str] = []

    def read_key(self, timeout_s: float) -> str | None:
        if self._keys and self._keys[0][0] <= self._clock.now + timeout_s:
            at, key = self._keys.pop(0)
            self._clock.set(max(at, self._clock.now))
            return key
        self._clock.advance(timeout_s)
        return None

    def read_line(self, prompt: str) -> str:
        self.prompts.append(prompt)
        return self._lines.pop(0) if self._lines else ""
