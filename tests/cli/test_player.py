"""The guided terminal session, played on a manual clock with scripted keys and answers."""

from __future__ import annotations

import datetime as dt
import io
import os
import signal
import stat
import termios
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from collagen_coach.cli.player import (
    NOTE_QUESTION,
    PAIN_QUESTION,
    REDNESS_QUESTION,
    ScriptedKeys,
    SessionOutcome,
    TerminalCue,
    TerminalKeys,
    clock_text,
    play_session,
)
from collagen_coach.core.clock import ManualClock, StepRecord
from collagen_coach.core.cues import GENTLER_ADVICE, cue_schedule, spoken_duration, zone_phrase
from collagen_coach.core.planning import Profile, Session, Side, Step, build_plan
from collagen_coach.core.screening import Intake, Procedure, screen
from collagen_coach.core.techniques import (
    Library,
    PressureRange,
    Technique,
    Tempo,
    Zone,
    ZoneId,
    load_library,
)


def zone(zone_id: ZoneId, name: str, *, sided: bool = True, note: str = "") -> Zone:
    return Zone(
        id=zone_id,
        words=[name.lower()],
        name=name,
        where="here",
        sided=sided,
        max_pressure=4,
        note=note,
    )


def technique(technique_id: str, name: str, how_to: list[str], caution: str) -> Technique:
    return Technique(
        id=technique_id,
        name=name,
        role="main",
        zones=["forehead", "cheeks", "jawline"],
        motion="a motion",
        direction="upward",
        pressure=PressureRange(min=1, max=3, default=2),
        tempo=Tempo(value=1.0, unit="s_per_circle", cue="one circle a second"),
        default_duration_s=60,
        how_to=how_to,
        how_to_on_zone={z: [f"Work over the {z}."] for z in ("forehead", "cheeks", "jawline")},
        cautions=[caution],
        addresses=[],
        evidence="test",
        introduced_in={"new": "foundation", "some": "foundation", "practised": "foundation"},
    )


LIBRARY = Library(
    version="test",
    zones={
        "forehead": zone("forehead", "Forehead"),
        "cheeks": zone("cheeks", "Cheeks"),
        "jawline": zone("jawline", "Jawline", note="Follow the bone, not the neck."),
        "chin": zone("chin", "Chin", sided=False),
        "under_eye": zone("under_eye", "Under the eyes"),
    },
    techniques={
        "tapping": technique(
            "tapping", "Tapping", ["Curve your fingers.", "Tap lightly."], "Stop if it hurts."
        ),
        "circular_motions": technique(
            "circular_motions",
            "Circular motions",
            ["Put two fingertips on the skin.", "Make small slow circles."],
            "Never drag the skin.",
        ),
        "kneading": technique(
            "kneading", "Kneading", ["Pinch gently.", "Roll and release."], "Not on thin skin."
        ),
    },
    evidence={},
)


def step(
    technique_id: str, zone_id: str, side: Side, duration_s: int, pressure: int, why: str
) -> Step:
    return Step(
        technique=technique_id,
        zone=zone_id,
        side=side,
        duration_s=duration_s,
        pressure=pressure,
        tempo_value=6.0,
        tempo_unit="taps_per_s",
        tempo_cue="about six light taps a second",
        why=why,
    )


SESSION = Session(
    date=dt.date(2026, 11, 24),
    phase="foundation",
    steps=[
        step("tapping", "cheeks", "both", 30, 2, "wakes up the skin"),
        step("circular_motions", "forehead", "left", 60, 3, "loosens the forehead"),
        step("kneading", "jawline", "right", 20, 1, "works the jaw muscles"),
    ],
)

CUES = [
    "First: tapping, both cheeks, thirty seconds. Pressure 2 of 5, light.",
    "Next: circular motions, left side of the forehead, one minute. Pressure 3 of 5, moderate.",
    "Next: kneading, right side of the jaw, twenty seconds. Pressure 1 of 5, featherlight.",
    "Session complete. Well done.",
]
# The cues that mark a step's start or the session's end (the others fall between them).
MARKS = ("First:", "Next:", "Session ")


class RecordingCue:
    """Keeps every announcement with the time on the manual clock when it was made."""

    def __init__(self, time: ManualClock) -> None:
        self.time = time
        self.heard: list[tuple[float, str]] = []

    def announce(self, text: str) -> None:
        self.heard.append((self.time.now, text))

    @property
    def texts(self) -> list[str]:
        """Give what was said at step starts and at the end, in order."""
        return [text for _, text in self.marks]

    @property
    def marks(self) -> list[tuple[float, str]]:
        return [(at, text) for at, text in self.heard if text.startswith(MARKS)]


class Player:
    """One guided session on a manual clock, with everything it said and saved."""

    def __init__(
        self,
        keys: list[tuple[float, str]] | None = None,
        lines: list[str] | None = None,
        *,
        session: Session = SESSION,
        terminal: bool = False,
        library: Library = LIBRARY,
    ) -> None:
        self.time = ManualClock(0.0)
        self.keys = ScriptedKeys(self.time, keys or [], ["n", "n", ""] if lines is None else lines)
        self.cue = RecordingCue(self.time)
        self.out = io.StringIO()
        self.console = Console(file=self.out, width=100, force_terminal=terminal)
        self.saved: list[tuple[float, int, StepRecord]] = []
        self.session = session
        self.library = library

    def play(self) -> SessionOutcome:
        return play_session(
            self.session,
            self.library,
            clock=self.time,
            keys=self.keys,
            cue=self.cue,
            console=self.console,
            on_step_done=lambda index, record: self.saved.append((self.time.now, index, record)),
        )

    @property
    def screen(self) -> str:
        return self.out.getvalue()


def test_every_step_plays_in_order_with_one_cue_per_step_change() -> None:
    player = Player()
    outcome = player.play()
    assert player.cue.texts == CUES
    assert [t for t, _ in player.cue.marks] == pytest.approx([0.0, 30.0, 90.0, 110.0], abs=0.02)
    assert outcome.completed
    assert outcome.steps == (
        StepRecord(0, 30.0, 30.0, skipped=False),
        StepRecord(1, 60.0, 60.0, skipped=False),
        StepRecord(2, 20.0, 20.0, skipped=False),
    )


def test_the_wait_goes_through_the_key_source_not_a_sleep() -> None:
    player = Player()
    player.play()
    # The manual clock only moves when the key source waits: it ends just after the last step.
    assert 110.0 <= player.time.now < 110.02


def test_each_step_card_shows_what_to_do_where_and_how_hard() -> None:
    player = Player()
    player.play()
    screen = player.screen
    for text in [
        "Step 1 of 3",
        "Tapping",
        "Both cheeks",
        "1. Curve your fingers.",
        "2. Tap lightly.",
        "2 of 5, light",
        "about six light taps a second",
        "wakes up the skin",
        "Stop if it hurts.",
        "0:30 left in this step",
        "Step 2 of 3  ·  1:20 left in the session",
        "Left side of the forehead",
        "3 of 5, moderate",
        "Step 3 of 3",
        "Right side of the jaw",
        "1 of 5, featherlight",
        "Follow the bone, not the neck.",
        "space pause  ·  s skip step  ·  q quit",
        "Session complete. Well done.",
        "3 of 3 steps done in full, 1:50 of massage.",
    ]:
        assert text in screen, text
    assert screen.index("Step 1 of 3") < screen.index("Step 2 of 3") < screen.index("Step 3 of 3")


@pytest.mark.parametrize("key", [" ", "p", "P"], ids=["space", "p", "capital-p"])
def test_pause_keeps_the_time_left_in_the_step(key: str) -> None:
    player = Player(keys=[(10.0, key), (70.0, key)])
    outcome = player.play()
    # 20 s of the first step were left when it paused; they run after the 60 s pause.
    heard_at, heard = player.cue.marks[1]
    assert heard == CUES[1]
    assert heard_at == pytest.approx(90.0, abs=0.02)
    assert outcome.steps[0] == StepRecord(0, 30.0, 30.0, skipped=False)
    assert "Paused." in player.screen
    assert "Continuing." in player.screen


@pytest.mark.parametrize("key", ["s", "n", "S"], ids=["s", "n", "capital-s"])
def test_skip_marks_the_step_skipped_and_moves_on(key: str) -> None:
    player = Player(keys=[(5.0, key)])
    outcome = player.play()
    assert player.cue.texts == CUES
    assert player.cue.marks[1] == (5.0, CUES[1])
    assert outcome.completed
    assert outcome.steps[0] == StepRecord(0, 30.0, 5.0, skipped=True)
    assert outcome.steps[1:] == (
        StepRecord(1, 60.0, 60.0, skipped=False),
        StepRecord(2, 20.0, 20.0, skipped=False),
    )
    assert "2 of 3 steps done in full, 1:25 of massage." in player.screen


def test_quit_ends_early_and_keeps_what_was_done() -> None:
    player = Player(keys=[(40.0, "q")])
    outcome = player.play()
    assert not outcome.completed
    assert outcome.steps == (
        StepRecord(0, 30.0, 30.0, skipped=False),
        StepRecord(1, 60.0, 10.0, skipped=True),
    )
    assert player.cue.texts == [
        *CUES[:2],
        "Session ended early. You did 1 of 3 steps in full: forty seconds of massage.",
    ]
    assert [(index, record) for _, index, record in player.saved] == list(enumerate(outcome.steps))
    assert "Session ended early." in player.screen
    assert player.keys.prompts == [PAIN_QUESTION, REDNESS_QUESTION, NOTE_QUESTION]


class InterruptingKeys(ScriptedKeys):
    """Scripted keys where "^C" stands for the user pressing Ctrl-C."""

    def read_key(self, timeout_s: float) -> str | None:
        key = super().read_key(timeout_s)
        if key == "^C":
            raise KeyboardInterrupt
        return key


def test_ctrl_c_counts_as_quitting() -> None:
    player = Player()
    player.keys = InterruptingKeys(player.time, [(12.0, "^C")], ["y", "n", ""])
    outcome = player.play()
    assert (outcome.completed, outcome.pain) == (False, True)
    assert outcome.steps == (StepRecord(0, 30.0, 12.0, skipped=True),)
    assert [index for _, index, _ in player.saved] == [0]


def test_on_step_done_is_called_as_each_step_ends_with_its_record() -> None:
    player = Player()
    outcome = player.play()
    assert [(index, record) for _, index, record in player.saved] == list(enumerate(outcome.steps))
    assert [t for t, _, _ in player.saved] == pytest.approx([30.0, 90.0, 110.0], abs=0.02)


class SleepingKeys(ScriptedKeys):
    """Scripted keys on a computer that goes to sleep for ``asleep_s`` at ``at``."""

    def __init__(self, clock: ManualClock, at: float, asleep_s: float) -> None:
        super().__init__(clock, [], ["n", "n", ""])
        self.at, self.asleep_s = at, asleep_s

    def read_key(self, timeout_s: float) -> str | None:
        if self.at <= self._clock.now:
            self._clock.advance(self.asleep_s)
            self.at = float("inf")
            return None
        return super().read_key(timeout_s)


def test_a_computer_that_slept_through_steps_passes_over_the_cues_it_missed() -> None:
    player = Player()
    player.keys = SleepingKeys(player.time, at=10.0, asleep_s=500.0)
    outcome = player.play()
    assert player.cue.texts == [CUES[0], CUES[-1]]
    assert [index for _, index, _ in player.saved] == [0, 1, 2]
    assert outcome.completed


@pytest.mark.parametrize(
    ("lines", "pain", "redness", "note"),
    [
        (["y", "n", "tingly chin"], True, False, "tingly chin"),
        (["no", "YES", ""], False, True, ""),
        (["n", "n", "  felt relaxed "], False, False, "felt relaxed"),
        ([], None, None, ""),
    ],
    ids=["pain", "lasting-redness", "all-well", "no-answers"],
)
def test_comfort_answers_land_in_the_outcome(
    lines: list[str], pain: bool | None, redness: bool | None, note: str
) -> None:
    outcome = Player(lines=lines).play()
    assert (outcome.pain, outcome.redness, outcome.note) == (pain, redness, note)


def test_pain_brings_the_gentler_next_time_advice() -> None:
    player = Player(lines=["y", "n", ""])
    outcome = player.play()
    assert outcome.needs_gentler
    assert GENTLER_ADVICE.split(".")[0] in player.screen


def test_no_pain_and_no_redness_brings_no_advice() -> None:
    player = Player(lines=["n", "n", ""])
    outcome = player.play()
    assert not outcome.needs_gentler
    assert GENTLER_ADVICE.split(".")[0] not in player.screen


def test_an_unclear_answer_is_asked_again() -> None:
    player = Player(lines=["maybe", "n", "n", ""])
    outcome = player.play()
    assert outcome.pain is False
    assert player.keys.prompts[:2] == [PAIN_QUESTION, PAIN_QUESTION]
    assert "Please answer y or n." in player.screen


def test_the_live_screen_plays_in_a_real_terminal_console() -> None:
    player = Player(keys=[(3.0, " "), (8.0, " "), (40.0, "s")], terminal=True)
    outcome = player.play()
    assert player.cue.texts == CUES
    assert outcome.steps[1] == StepRecord(1, 60.0, 5.0, skipped=True)  # 5 s paused
    assert "PAUSED: press space to continue" in player.screen
    assert "Session complete. Well done." in player.screen


def test_a_session_naming_an_unknown_technique_is_refused_before_it_starts() -> None:
    session = Session(
        date=dt.date(2026, 11, 24),
        phase="foundation",
        steps=[step("gua_sha", "cheeks", "both", 30, 2, "")],
    )
    player = Player(session=session)
    with pytest.raises(ValueError, match="gua_sha"):
        player.play()
    assert player.cue.heard == []


@pytest.mark.parametrize(
    ("zone_id", "side", "phrase"),
    [
        ("cheeks", "left", "left cheek"),
        ("cheeks", "both", "both cheeks"),
        ("forehead", "both", "forehead"),
        ("forehead", "right", "right side of the forehead"),
        ("under_eye", "right", "under the right eye"),
        ("chin", "left", "chin"),  # a zone without sides is named whole
    ],
)
def test_zone_and_side_read_as_plain_words(zone_id: str, side: Side, phrase: str) -> None:
    assert zone_phrase(LIBRARY.zones[zone_id], side) == phrase


def test_a_zone_without_a_phrase_falls_back_to_its_name_and_side() -> None:
    assert zone_phrase(zone("glabella", "Between the brows"), "left") == (
        "between the brows, left side"
    )


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (1, "one second"),
        (30, "thirty seconds"),
        (45, "forty-five seconds"),
        (60, "one minute"),
        (90, "one minute and thirty seconds"),
        (125, "two minutes and five seconds"),
    ],
)
def test_durations_are_spoken_in_words(seconds: int, words: str) -> None:
    assert spoken_duration(seconds) == words


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(430.0, "7:10"), (429.2, "7:10"), (0.4, "0:01"), (0.0, "0:00"), (-1.0, "0:00")],
)
def test_time_left_is_shown_in_minutes_and_seconds_rounded_up(seconds: float, shown: str) -> None:
    assert clock_text(seconds) == shown


# --- the real key source and cue -------------------------------------------------------------


@pytest.fixture
def pty_pair() -> Iterator[tuple[int, int]]:
    """Give both ends of a pseudo-terminal; a test blocked reading it fails after 5 s."""

    def hung(signum: int, frame: object) -> None:
        raise TimeoutError("blocked reading the terminal")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(5)
    main, side = os.openpty()
    yield main, side
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)
    os.close(main)
    os.close(side)


def test_terminal_keys_give_single_keys_without_enter(pty_pair: tuple[int, int]) -> None:
    main, side = pty_pair
    with open(side, closefd=False) as stdin, TerminalKeys(stdin, io.StringIO()) as keys:
        assert keys.is_terminal
        assert keys.read_key(0.0) is None
        os.write(main, b"s")
        assert keys.read_key(1.0) == "s"


class TypingUser(io.StringIO):
    """A screen that a user watches: when a question appears, they type ``answer`` and Enter."""

    def __init__(self, keyboard: int, answer: bytes) -> None:
        super().__init__()
        self.keyboard, self.answer = keyboard, answer

    def flush(self) -> None:
        os.write(self.keyboard, self.answer)
        self.answer = b""  # typed once


def test_terminal_keys_read_a_whole_line_for_answers(pty_pair: tuple[int, int]) -> None:
    main, side = pty_pair
    screen = TypingUser(main, b"yes\n")
    with open(side, closefd=False) as stdin, TerminalKeys(stdin, screen) as keys:
        assert keys.read_key(0.0) is None
        os.write(main, b"  ")  # keys still pressed for the session are not part of the answer
        assert keys.read_line("Any pain? ") == "yes"
        assert screen.getvalue() == "Any pain? "
        # Back in single-key mode after the answer.
        assert not termios.tcgetattr(side)[3] & termios.ICANON


def test_answers_typed_ahead_of_the_next_question_are_kept(pty_pair: tuple[int, int]) -> None:
    main, side = pty_pair
    screen = TypingUser(main, b"y\nn\n")
    with open(side, closefd=False) as stdin, TerminalKeys(stdin, screen) as keys:
        assert keys.read_key(0.0) is None
        assert keys.read_line("Any pain? ") == "y"
        assert keys.read_line("Any redness? ") == "n"


def test_terminal_settings_are_restored_even_after_an_interrupt(
    pty_pair: tuple[int, int],
) -> None:
    _, side = pty_pair
    before = termios.tcgetattr(side)
    during: list[list[object]] = []

    def interrupted_session() -> None:
        with open(side, closefd=False) as stdin, TerminalKeys(stdin, io.StringIO()):
            during.append(termios.tcgetattr(side))
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        interrupted_session()
    assert during[0] != before
    assert termios.tcgetattr(side) == before


def test_without_a_terminal_no_keys_come_but_lines_do() -> None:
    stdin, screen = io.StringIO("n\ny\n"), io.StringIO()
    with TerminalKeys(stdin, screen) as keys:
        assert not keys.is_terminal
        assert keys.read_key(0.0) is None
        assert keys.read_line("Pain? ") == "n"
        assert keys.read_line("Redness? ") == "y"
        assert keys.read_line("Note? ") == ""
    # Answers that came from a file or a pipe are shown, as a terminal would have echoed them.
    assert screen.getvalue() == "Pain? n\nRedness? y\nNote? \n"


def bell_console() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True), out


def test_the_cue_rings_the_bell() -> None:
    console, out = bell_console()
    TerminalCue(console, speaker=None).announce("Next: tapping")
    assert "\a" in out.getvalue()


def test_a_quiet_cue_makes_no_sound() -> None:
    console, out = bell_console()
    TerminalCue(console, quiet=True, speaker=None).announce("Next: tapping")
    assert out.getvalue() == ""


def test_a_missing_speech_program_leaves_the_bell(tmp_path: Path) -> None:
    console, out = bell_console()
    TerminalCue(console, speaker=str(tmp_path / "no-such-speaker")).announce("Next: tapping")
    assert "\a" in out.getvalue()


def test_a_broken_speech_program_does_not_stop_the_session(tmp_path: Path) -> None:
    broken = tmp_path / "speaker"
    broken.write_bytes(b"\x00not a program")
    broken.chmod(broken.stat().st_mode | stat.S_IXUSR)
    console, out = bell_console()
    cue = TerminalCue(console, speaker=str(broken))
    cue.announce("Next: tapping")
    cue.announce("Next: kneading")
    assert out.getvalue().count("\a") == 2


def test_a_session_after_a_forehead_injection_never_sends_hands_to_the_forehead() -> None:
    # Screening says to leave the forehead alone; the how-to of every step (warm-up strokes on
    # the cheeks among them) must say so too, and not begin "lay your fingers on your forehead".
    today = dt.date(2026, 11, 24)
    injection = Procedure(
        kind="botulinum_toxin", zones=["forehead"], date=today - dt.timedelta(days=4)
    )
    intake = Intake(age=58, procedures=[injection], as_of=today)
    program = build_plan(
        Profile(age=58, start_date=today, intake=intake), screen(intake, today=today)
    )
    player = Player(session=program.sessions[0], library=load_library())

    player.play()

    assert "Warm-up strokes" in player.screen
    assert "forehead" not in player.screen.lower()


def test_every_scheduled_cue_is_said_once_at_its_second_then_the_end_once() -> None:
    player = Player()
    player.play()
    starts = [0.0, 30.0, 90.0]
    expected = [
        (starts[index] + cue.at_s, cue.text)
        for index, planned in enumerate(SESSION.steps)
        for cue in cue_schedule(
            planned,
            LIBRARY.techniques[planned.technique],
            LIBRARY.zones[planned.zone],
            index=index,
        )
    ]
    heard = player.cue.heard
    assert [text for _, text in heard] == [text for _, text in expected] + [CUES[-1]]
    assert [at for at, _ in heard[:-1]] == pytest.approx([at for at, _ in expected], abs=0.02)
    assert "Switch sides: now the same on your left side." in [text for _, text in heard]
