"""The cue track of a planned 110-second step, rendered by espeak-ng and measured as sound.

Each cue is spoken by espeak-ng (150 words a minute, as the terminal player speaks) to a WAV
file; the files are laid on one track at their scheduled seconds; sox checks the track, and
the samples are scanned for the longest silence (RMS of 50 ms windows under 1 % of full scale).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from collagen_coach.core.cues import Cue
from core.test_cues import planned_session_with_a_110_s_step, schedule_of

pytestmark = pytest.mark.slow

MAX_SILENCE_S = 20.0
WINDOW_S = 0.05
QUIET = 0.01  # of full scale


def need(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing and os.environ.get("CI") == "true":
        pytest.fail(f"the audible check needs {', '.join(missing)} (apt-get install espeak-ng sox)")
    if missing:
        pytest.skip(f"the audible check needs {', '.join(missing)} (apt-get install espeak-ng sox)")


def spoken(cue: Cue, folder: Path) -> tuple[np.ndarray, int]:
    """Give the samples (float, -1…1) and rate of ``cue`` as espeak-ng says it."""
    path = folder / f"{cue.id.replace(':', '_')}.wav"
    subprocess.run(["espeak-ng", "-s", "150", "-w", str(path), cue.text], check=True)
    with wave.open(str(path)) as wav:
        rate = wav.getframerate()
        samples = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2") / 32768.0
    return samples, rate


def cue_track(cues: list[Cue], duration_s: float, folder: Path) -> tuple[np.ndarray, int]:
    """Give the step's sound: every cue's speech placed at its second, silence between."""
    rendered = [spoken(cue, folder) for cue in cues]
    rate = rendered[0][1]
    track = np.zeros(int(duration_s * rate))
    for cue, (samples, _) in zip(cues, rendered, strict=True):
        at = int(cue.at_s * rate)
        track[at : at + len(samples)] += samples[: len(track) - at]
    return track, rate


def write_wav(track: np.ndarray, rate: int, path: Path) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        wav.writeframes((np.clip(track, -1, 1) * 32767).astype("<i2").tobytes())


def silences_s(track: np.ndarray, rate: int) -> list[float]:
    """Give every run of quiet 50 ms windows, in seconds."""
    size = int(WINDOW_S * rate)
    windows = track[: len(track) // size * size].reshape(-1, size)
    quiet = np.sqrt((windows**2).mean(axis=1)) < QUIET
    runs, run = [], 0
    for is_quiet in quiet:
        if is_quiet:
            run += 1
        elif run:
            runs.append(run * WINDOW_S)
            run = 0
    if run:
        runs.append(run * WINDOW_S)
    return runs


def test_a_110_s_step_is_never_silent_for_more_than_20_s_and_says_each_cue_once(
    tmp_path: Path,
) -> None:
    need("espeak-ng", "sox")
    session, index = planned_session_with_a_110_s_step()
    cues = schedule_of(session, index)
    duration_s = session.steps[index].duration_s
    assert duration_s == 110

    track, rate = cue_track(cues, duration_s, tmp_path)
    path = tmp_path / "step.wav"
    write_wav(track, rate, path)
    length = subprocess.run(
        ["sox", "--i", "-D", str(path)], check=True, capture_output=True, text=True
    ).stdout
    stat = subprocess.run(
        ["sox", str(path), "-n", "stat"], check=True, capture_output=True, text=True
    ).stderr
    silences = silences_s(track, rate)
    print(f"\n{len(cues)} cues; silences (s): {[round(s, 1) for s in silences]}\n{stat}")

    assert float(length) == pytest.approx(110, abs=0.01)
    assert "RMS     amplitude" in stat
    assert max(silences) <= MAX_SILENCE_S
    assert len({cue.id for cue in cues}) == len(cues)  # each cue once
    assert len({cue.text for cue in cues if "rhythm" not in cue.id}) == len(
        [cue for cue in cues if "rhythm" not in cue.id]
    )


def test_no_cue_is_still_speaking_when_the_next_begins(tmp_path: Path) -> None:
    need("espeak-ng")
    session, _ = planned_session_with_a_110_s_step()
    for step_index in range(len(session.steps)):
        cues = schedule_of(session, step_index)
        said = [spoken(cue, tmp_path) for cue in cues]
        ends = [
            cue.at_s + len(samples) / rate for cue, (samples, rate) in zip(cues, said, strict=True)
        ]
        starts = [cue.at_s for cue in cues[1:]]
        assert all(end <= start for end, start in zip(ends, starts, strict=False)), (
            step_index,
            list(zip(starts, ends, strict=False)),
        )
