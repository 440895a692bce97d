"""Measurements from a CSV file, for the progress analysis: every row checked before any is used.

One measurement a line under a header naming its columns: ``date,metric,value`` and, optionally,
``zone,side,phase,algorithm,unit``. The first bad row raises a UserError naming its line, its
column and what is allowed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, cast

from collagen_coach.core import measures
from collagen_coach.core.errors import UserError
from collagen_coach.core.inputs import csv_row

if TYPE_CHECKING:
    from collagen_coach.core.progress import Observation, Phase

REQUIRED_COLUMNS = ("date", "metric", "value")
OPTIONAL_COLUMNS = ("zone", "side", "phase", "algorithm", "unit")
COLUMNS_HELP = "date,metric,value[,zone,side,phase,algorithm,unit]"
SIDES = ("left", "right", "both")
PHASES = ("baseline", "treatment", "off")
TEXT_MAX_CHARS = 100


def read_progress_csv(path: Path, *, today: dt.date) -> list[Observation]:
    """Give the observations in the progress CSV at ``path``, every row checked first (no day
    after ``today``)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(str(path), "file not found") from None
    except UnicodeDecodeError:
        raise UserError(str(path), "is not UTF-8 text", "a CSV file saved as UTF-8") from None
    except OSError as exc:
        raise UserError(str(path), f"cannot be read ({exc.__class__.__name__})") from None
    return parse_progress_csv(text, path.name, today=today)


def parse_progress_csv(text: str, name: str, *, today: dt.date) -> list[Observation]:
    """Give the observations in the CSV ``text`` of the file ``name``; the first bad row raises
    a UserError naming its line, its column and what is allowed."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header: list[str] | None = None
    observations: list[Observation] = []
    try:
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = _header(cells, f"{name} line {reader.line_num}")
                continue
            observations.append(_row(cells, header, name, reader.line_num, today))
    except csv.Error as exc:
        raise UserError(f"{name} line {reader.line_num}", f"is not valid CSV ({exc})") from None
    if header is None:
        raise UserError(name, "is empty", f"a header line {COLUMNS_HELP}, then one row a line")
    if not observations:
        raise UserError(name, "has no rows after the header", "one measurement a line")
    return observations


def _header(cells: list[str], where: str) -> list[str]:
    """Give the header's column names, each known, none twice, the required ones all there."""
    header = [cell.strip().lower() for cell in cells]
    for column in header:
        if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            raise UserError(where, f"unknown column {column!r}", COLUMNS_HELP)
        if header.count(column) > 1:
            raise UserError(where, f"the column {column!r} appears twice")
    for column in REQUIRED_COLUMNS:
        if column not in header:
            raise UserError(where, f"the header lacks the column {column!r}", COLUMNS_HELP)
    return header


def _row(cells: list[str], header: list[str], name: str, line: int, today: dt.date) -> Observation:
    """Give one row's observation, or raise a UserError naming its line and column."""
    # Imported here, not above: the analysis pulls in SciPy, and the command line names the
    # columns in its help without waiting for it.
    from collagen_coach.core.progress import Observation
    from collagen_coach.core.techniques import ZONE_IDS

    given = csv_row(name, line, header, cells)

    def where(column: str) -> str:
        return f"{name} line {line}, {column}"

    try:
        day = dt.date.fromisoformat(given["date"])
    except ValueError:
        raise UserError(where("date"), f"{given['date']!r} is not a date", "YYYY-MM-DD") from None
    measures.check_day(where("date"), day, today)
    metric = given["metric"]
    if not metric or len(metric) > TEXT_MAX_CHARS:
        raise UserError(
            where("metric"),
            "is empty" if not metric else "is too long",
            f"a name of 1–{TEXT_MAX_CHARS} characters, e.g. wrinkle_index",
        )
    try:
        value = float(given["value"])
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise UserError(where("value"), f"{given['value']!r} is not a number", "e.g. 0.71 or -1.5")
    zone = given.get("zone", "").lower()
    if zone and zone not in ZONE_IDS:
        allowed_zones = ", ".join(ZONE_IDS) + " or empty"
        raise UserError(where("zone"), f"{given['zone']!r} is not a zone", allowed_zones)
    side = given.get("side", "").lower()
    if side and side not in SIDES:
        raise UserError(
            where("side"), f"{given['side']!r} is not a side", ", ".join(SIDES) + " or empty"
        )
    phase = given.get("phase", "").lower()
    if phase and phase not in PHASES:
        raise UserError(
            where("phase"), f"{given['phase']!r} is not a phase", ", ".join(PHASES) + " or empty"
        )
    algorithm, unit = given.get("algorithm", ""), given.get("unit", "")
    for column, text_given in (("algorithm", algorithm), ("unit", unit)):
        if len(text_given) > TEXT_MAX_CHARS:
            raise UserError(where(column), "is too long", f"at most {TEXT_MAX_CHARS} chars")
    return Observation(
        day,
        metric,
        value,
        zone=zone or None,
        side=side or None,
        phase=cast("Phase", phase) if phase else None,
        algorithm=algorithm or None,
        unit=unit or None,
    )
