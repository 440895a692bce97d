"""Importing skin-instrument readings (e.g. Cutometer R2 per zone) from a CSV file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from collagen_coach.core.errors import UserError
from collagen_coach.core.inputs import NUL, csv_row, refuse_nul
from collagen_coach.core.measures import check_value
from collagen_coach.core.techniques import ZONE_IDS
from collagen_coach.web.clients.changes import records_changed
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal import checks
from collagen_coach.web.journal.models import SIDES, InstrumentReading
from collagen_coach.web.journal.services import UNIT_MAX_CHARS
from collagen_coach.web.lib.dates import parse_day

# Rows stored per write transaction: a batch holds SQLite's write lock for a fraction of a
# second. Between batches the import pauses longer than SQLite's longest busy-wait sleep
# (100 ms), so that a write waiting meanwhile always gets its turn.
BATCH_ROWS = 5000
BATCH_PAUSE_S = 0.12
REQUIRED_COLUMNS = ("date", "instrument", "parameter", "zone", "side", "value")
OPTIONAL_COLUMNS = ("unit",)
HEADER_HELP = ",".join(REQUIRED_COLUMNS) + "[,unit]"

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DECIMAL = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_NAME_MAX_CHARS = 50

# One reading as it identifies itself: date, instrument, parameter, zone, side, value, repeat.
_Key = tuple[dt.date, str, str, str, str, float, int]


@dataclass(frozen=True)
class ImportResult:
    """What an import did: readings added, and rows already stored before (left as they were)."""

    added: int
    duplicates: int


@dataclass(frozen=True)
class _Row:
    line: int
    date: dt.date
    instrument: str
    parameter: str
    zone: str
    side: str
    value: float
    unit: str


def import_readings(client: Client, path: Path | str) -> ImportResult:
    """Add the readings in a CSV file to the client's journal, all of them or none.

    The file is UTF-8 (a spreadsheet's byte-order mark is fine), comma-separated, with a header
    line naming the columns in any order::

        date,instrument,parameter,zone,side,value,unit
        2026-11-02,cutometer,R2,cheeks,left,0.71,
        2026-11-02,cutometer,R2,cheeks,right,0.69,
        2026-11-02,cutometer,R0,jawline,both,0.42,mm

    - ``date``: the day measured, ``YYYY-MM-DD``, from 1970 to today.
    - ``instrument``: e.g. ``cutometer`` (stored in lower case); ``parameter``: as the instrument
      names it, e.g. ``R2``.
    - ``zone``: one of the zone ids (``forehead``, ``cheeks``, ``jawline`` …); ``side``: ``left``,
      ``right`` or ``both``.
    - ``value``: a number such as ``0.71`` or ``1.5e-2``, one the instrument can give
      (``core.measures``: e.g. Cutometer R2 0–3, R0 0–5 mm); ``unit`` (optional column, may be
      empty): e.g. ``mm``.

    Every row is checked before anything is stored; the first bad one raises UserError naming
    its line and column, and nothing is imported. A row already stored (same date, instrument,
    parameter, zone, side and value) counts as a duplicate and is not added again, so importing
    the same file twice adds nothing the second time. Identical rows repeated within one file are
    kept as repeated measurements.

    The checked rows are stored in batches of ``BATCH_ROWS``, each a short transaction of its
    own, so that a long import never keeps the person's other writes waiting (SQLite has one
    writer at a time). An import cut short by a crash is completed by importing the file again.
    """
    source = Path(path)
    rows = _read_rows(source)
    occurrences: Counter[tuple[dt.date, str, str, str, str, float]] = Counter()
    keyed: list[tuple[_Key, _Row]] = []
    for row in rows:
        base = (row.date, row.instrument, row.parameter, row.zone, row.side, row.value)
        occurrences[base] += 1
        keyed.append(((*base, occurrences[base]), row))

    # By day, so that each batch's look-up of what is already stored covers a few days only.
    keyed.sort(key=lambda item: item[0][0])
    added = 0
    for start in range(0, len(keyed), BATCH_ROWS):
        if start:
            time.sleep(BATCH_PAUSE_S)
        added += _add_batch(client, keyed[start : start + BATCH_ROWS], source.name[:255])
    return ImportResult(added=added, duplicates=len(rows) - added)


def _add_batch(client: Client, batch: list[tuple[_Key, _Row]], source: str) -> int:
    """Store the readings of ``batch`` not stored yet, in one short transaction; give how many."""
    readings = [
        InstrumentReading(
            client=client,
            date=row.date,
            instrument=row.instrument,
            parameter=row.parameter,
            zone=row.zone,
            side=row.side,
            value=row.value,
            unit=row.unit,
            repeat=key[-1],
            source=source,
        )
        for key, row in batch
    ]
    with transaction.atomic():
        # Lock the client row so two imports of the same file at once cannot both add it.
        Client.objects.select_for_update().get(pk=client.pk)
        stored = InstrumentReading.objects.filter(
            client=client,
            date__range=(batch[0][0][0], batch[-1][0][0]),
            instrument__in={row.instrument for _, row in batch},
            parameter__in={row.parameter for _, row in batch},
        ).values_list("date", "instrument", "parameter", "zone", "side", "value", "repeat")
        existing: set[tuple[object, ...]] = set(stored)
        new = [r for (key, _), r in zip(batch, readings, strict=True) if key not in existing]
        InstrumentReading.objects.bulk_create(new)
        if new:
            records_changed(client.pk)
    return len(new)


def _read_rows(source: Path) -> list[_Row]:
    name = source.name
    try:
        text = source.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UserError(str(source), "file not found") from None
    except UnicodeDecodeError:
        raise UserError(str(source), "is not UTF-8 text", "a CSV file saved as UTF-8") from None
    except OSError as exc:
        raise UserError(str(source), f"cannot be read ({exc.__class__.__name__})") from None

    if NUL in text:
        line = text[: text.index(NUL)].count("\n") + 1
        refuse_nul(f"{name} line {line}", text)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header: list[str] | None = None
        rows: list[_Row] = []
        for cells in reader:
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = _check_header(name, reader.line_num, cells)
                continue
            rows.append(_check_row(name, reader.line_num, header, cells))
    except csv.Error as exc:
        raise UserError(f"{name} line {reader.line_num}", f"is not valid CSV ({exc})") from None
    if header is None:
        raise UserError(name, "is empty", f"a header line {HEADER_HELP}, then one reading a line")
    if not rows:
        raise UserError(name, "has no readings after the header", "one reading a line")
    return rows


def _check_header(name: str, line: int, cells: list[str]) -> list[str]:
    columns = [cell.strip().lower() for cell in cells]
    where = f"{name} line {line}"
    if len(columns) == 1 and ";" in columns[0]:
        # Spreadsheets set to a comma-decimal locale save CSV with semicolons.
        raise UserError(where, "columns are separated by semicolons", f"commas: {HEADER_HELP}")
    for column in columns:
        if column not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            raise UserError(where, f"unknown column {column!r}", HEADER_HELP)
        if columns.count(column) > 1:
            raise UserError(where, f"the column {column!r} appears twice", HEADER_HELP)
    for column in REQUIRED_COLUMNS:
        if column not in columns:
            raise UserError(where, f"the header lacks the column {column!r}", HEADER_HELP)
    return columns


def _check_row(name: str, line: int, header: list[str], cells: list[str]) -> _Row:
    given = csv_row(name, line, header, cells)

    def where(column: str) -> str:
        return f"{name} line {line}, {column}"

    day_text = given["date"]
    if not _ISO_DAY.match(day_text):
        raise UserError(where("date"), f"{day_text!r} is not a date", "YYYY-MM-DD")
    day = checks.journal_day(where("date"), parse_day(where("date"), day_text))

    instrument = given["instrument"].lower()
    parameter = given["parameter"]
    for column, name_given in (("instrument", instrument), ("parameter", parameter)):
        if not name_given:
            raise UserError(where(column), "is empty", 'a name such as "cutometer" or "R2"')
        if len(name_given) > _NAME_MAX_CHARS:
            raise UserError(where(column), "is too long", f"at most {_NAME_MAX_CHARS} characters")

    zone = given["zone"].lower()
    if zone not in ZONE_IDS:
        raise UserError(where("zone"), f"{given['zone']!r} is not a zone", ", ".join(ZONE_IDS))
    side = given["side"].lower()
    if side not in SIDES:
        raise UserError(where("side"), f"{given['side']!r} is not a side", ", ".join(SIDES))

    value_text = given["value"]
    value = float(value_text) if _DECIMAL.match(value_text) else math.nan
    if not math.isfinite(value):
        raise UserError(where("value"), f"{value_text!r} is not a number", "e.g. 0.71 or 1.2e-3")
    check_value(where("value"), f"{instrument}:{parameter}", value)

    unit = given.get("unit", "")
    if len(unit) > UNIT_MAX_CHARS:
        raise UserError(where("unit"), "is too long", f"at most {UNIT_MAX_CHARS} characters")
    return _Row(line, day, instrument, parameter, zone, side, value, unit)
