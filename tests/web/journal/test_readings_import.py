"""Importing instrument readings from CSV: every row checked first, all or nothing, no repeats."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction

from collagen_coach.core.errors import UserError
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import InstrumentReading
from collagen_coach.web.journal.readings import BATCH_ROWS, ImportResult, import_readings

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

WriteCsv = Callable[..., Path]

HEADER = "date,instrument,parameter,zone,side,value,unit\n"
GOOD = (
    HEADER + "2025-03-03,cutometer,R2,cheeks,left,0.71,\n"
    "2025-03-03,cutometer,R2,cheeks,right,0.69,\n"
    "2025-03-03,cutometer,R0,jawline,both,0.42,mm\n"
)
ALL_ZONES = (
    "forehead, glabella, temples, crows_feet, under_eye, cheeks, nasolabial, mouth, jawline, "
    "chin, neck"
)


def _rows(client: Client) -> list[tuple[object, ...]]:
    return list(
        InstrumentReading.objects.filter(client=client)
        .order_by("id")
        .values_list("date", "instrument", "parameter", "zone", "side", "value", "unit", "source")
    )


def test_import_stores_every_row_with_its_zone_side_value_and_unit(
    self_carer: Client, write_csv: WriteCsv
) -> None:
    result = import_readings(self_carer, write_csv(GOOD))
    assert result == ImportResult(added=3, duplicates=0)
    day = dt.date(2025, 3, 3)
    assert _rows(self_carer) == [
        (day, "cutometer", "R2", "cheeks", "left", 0.71, "", "cutometer.csv"),
        (day, "cutometer", "R2", "cheeks", "right", 0.69, "", "cutometer.csv"),
        (day, "cutometer", "R0", "jawline", "both", 0.42, "mm", "cutometer.csv"),
    ]


def test_importing_the_same_file_again_adds_nothing_and_reports_duplicates(
    self_carer: Client, write_csv: WriteCsv
) -> None:
    path = write_csv(GOOD)
    import_readings(self_carer, path)
    assert import_readings(self_carer, path) == ImportResult(added=0, duplicates=3)
    assert InstrumentReading.objects.count() == 3


def test_a_later_export_overlapping_an_earlier_one_adds_only_the_new_rows(
    self_carer: Client, write_csv: WriteCsv
) -> None:
    import_readings(self_carer, write_csv(GOOD, name="november.csv"))
    later = GOOD + "2025-04-01,cutometer,R2,cheeks,left,0.74,\n"
    result = import_readings(self_carer, write_csv(later, name="december.csv"))
    assert result == ImportResult(added=1, duplicates=3)


def test_a_file_of_several_write_batches_is_stored_whole_and_only_once(
    self_carer: Client, write_csv: WriteCsv
) -> None:
    # Rows out of date order, more than two batches of them: each batch looks up its own days.
    rows = [
        f"{dt.date(2025, 3, 1) - dt.timedelta(days=i % 400)},cutometer,R{i % 7},cheeks,left,"
        f"{(i // 2800) / 100},\n"
        for i in range(BATCH_ROWS * 2 + 1)
    ]
    path = write_csv(HEADER + "".join(rows))
    total = len(rows)
    assert import_readings(self_carer, path) == ImportResult(added=total, duplicates=0)
    assert import_readings(self_carer, path) == ImportResult(added=0, duplicates=total)
    assert InstrumentReading.objects.count() == total


def test_identical_rows_within_one_file_are_kept_as_repeated_measurements(
    self_carer: Client, write_csv: WriteCsv
) -> None:
    triplicate = HEADER + "2025-03-03,cutometer,R2,cheeks,left,0.71,\n" * 3
    path = write_csv(triplicate)
    assert import_readings(self_carer, path) == ImportResult(added=3, duplicates=0)
    assert import_readings(self_carer, path) == ImportResult(added=0, duplicates=3)


def test_columns_may_come_in_any_order_in_any_case_and_unit_is_optional(
    self_carer: Client, write_csv: WriteCsv
) -> None:
    text = (
        "Zone, Side ,VALUE,date,parameter,instrument\nCheeks,LEFT, 0.7 ,2025-03-03,R2,Cutometer\n"
    )
    assert import_readings(self_carer, write_csv(text)).added == 1
    assert _rows(self_carer)[0][:7] == (
        dt.date(2025, 3, 3),
        "cutometer",
        "R2",
        "cheeks",
        "left",
        0.7,
        "",
    )


def test_a_spreadsheet_byte_order_mark_and_blank_lines_are_accepted(
    self_carer: Client, write_csv: WriteCsv
) -> None:
    text = "\n" + GOOD.replace("\n", "\r\n", 2) + "\n\n"
    assert import_readings(self_carer, write_csv(text, encoding="utf-8-sig")).added == 3


BAD_ROWS = [
    pytest.param(
        "2025-03-03,cutometer,R2,nose,left,0.7,\n",
        f"bad.csv line 3, zone: 'nose' is not a zone (allowed: {ALL_ZONES})",
        id="unknown-zone-lists-the-zones",
    ),
    pytest.param(
        "2025-03-03,cutometer,R2,cheeks,left,high,\n",
        "bad.csv line 3, value: 'high' is not a number (allowed: e.g. 0.71 or 1.2e-3)",
        id="value-not-a-number",
    ),
    pytest.param(
        "2025-03-03,cutometer,R2,cheeks,left,nan,\n",
        "bad.csv line 3, value: 'nan' is not a number (allowed: e.g. 0.71 or 1.2e-3)",
        id="value-nan",
    ),
    pytest.param(
        "2025-03-03,cutometer,R2,cheeks,left,0,71,\n",
        "bad.csv line 3: has 8 fields but the header has 7 "
        "(allowed: date,instrument,parameter,zone,side,value,unit)",
        id="decimal-comma-splits-the-row",
    ),
    pytest.param(
        "03/03/2025,cutometer,R2,cheeks,left,0.7,\n",
        "bad.csv line 3, date: '03/03/2025' is not a date (allowed: YYYY-MM-DD)",
        id="date-not-iso",
    ),
    pytest.param(
        "2025-02-30,cutometer,R2,cheeks,left,0.7,\n",
        "bad.csv line 3, date: '2025-02-30' is not a date (allowed: YYYY-MM-DD)",
        id="date-that-does-not-exist",
    ),
    pytest.param(
        "2099-01-01,cutometer,R2,cheeks,left,0.7,\n",
        "bad.csv line 3, date: 2099-01-01 is in the future (allowed: today or earlier)",
        id="date-in-the-future",
    ),
    pytest.param(
        "2025-03-03,cutometer,R2,cheeks,left,1e200,\n",
        "bad.csv line 3, value: 1e+200 is not a possible value "
        "(allowed: a number from 0 to 3 (Cutometer R2))",
        id="value-no-cutometer-gives",
    ),
    pytest.param(
        "2025-03-03,cutometer,R0,cheeks,left,-0.4,mm\n",
        "bad.csv line 3, value: -0.4 is not a possible value "
        "(allowed: a number from 0 to 5 mm (Cutometer R0))",
        id="negative-distension",
    ),
    pytest.param(
        "2025-03-03,tewameter,TEWL,cheeks,left,2e6,\n",
        "bad.csv line 3, value: 2000000.0 is not a possible value "
        "(allowed: a number from -1e+06 to 1e+06)",
        id="unknown-instrument-still-bounded",
    ),
    pytest.param(
        "0001-01-01,cutometer,R2,cheeks,left,0.7,\n",
        "bad.csv line 3, date: 0001-01-01 is out of range (allowed: 1970-01-01 to "
        f"{dt.date.today()})",
        id="date-in-year-1",
    ),
    pytest.param(
        "2025-03-03,cutometer,R2,cheeks,middle,0.7,\n",
        "bad.csv line 3, side: 'middle' is not a side (allowed: left, right, both)",
        id="unknown-side",
    ),
    pytest.param(
        "2025-03-03,,R2,cheeks,left,0.7,\n",
        'bad.csv line 3, instrument: is empty (allowed: a name such as "cutometer" or "R2")',
        id="empty-instrument",
    ),
    pytest.param(
        "2025-03-03,cutometer,R2,cheeks,left,0.7,ra\x00tio\n",
        "bad.csv line 3: contains a NUL character (allowed: text without NUL characters (\\x00))",
        id="nul-character-in-a-unit",
    ),
    pytest.param(
        "1969-12-31,cutometer,R2,cheeks,left,0.7,\n",
        "bad.csv line 3, date: 1969-12-31 is out of range (allowed: 1970-01-01 to "
        f"{dt.date.today()})",
        id="date-before-1970",
    ),
]


@pytest.mark.parametrize(("bad_row", "message"), BAD_ROWS)
def test_a_bad_row_names_its_line_and_field_and_nothing_is_imported(
    self_carer: Client, write_csv: WriteCsv, bad_row: str, message: str
) -> None:
    # Line 2 is good and line 4 is good: neither may be stored when line 3 is bad.
    text = HEADER + "2025-03-03,cutometer,R2,cheeks,left,0.71,\n" + bad_row
    text += "2025-03-03,cutometer,R2,cheeks,right,0.69,\n"
    with pytest.raises(UserError) as caught:
        import_readings(self_carer, write_csv(text, name="bad.csv"))
    assert caught.value.message == message
    assert InstrumentReading.objects.count() == 0


@pytest.mark.parametrize(
    ("header", "message"),
    [
        pytest.param(
            "date,instrument,parameter,zone,value",
            "bad.csv line 1: the header lacks the column 'side' "
            "(allowed: date,instrument,parameter,zone,side,value[,unit])",
            id="missing-column-is-named",
        ),
        pytest.param(
            "date,instrument,parameter,zone,side,value,operator",
            "bad.csv line 1: unknown column 'operator' "
            "(allowed: date,instrument,parameter,zone,side,value[,unit])",
            id="unknown-column-is-named",
        ),
        pytest.param(
            "date,instrument,parameter,zone,side,value,value",
            "bad.csv line 1: the column 'value' appears twice "
            "(allowed: date,instrument,parameter,zone,side,value[,unit])",
            id="column-twice",
        ),
        pytest.param(
            "date;instrument;parameter;zone;side;value",
            "bad.csv line 1: columns are separated by semicolons "
            "(allowed: commas: date,instrument,parameter,zone,side,value[,unit])",
            id="semicolons",
        ),
    ],
)
def test_a_bad_header_is_refused_naming_the_column(
    self_carer: Client, write_csv: WriteCsv, header: str, message: str
) -> None:
    text = header + "\n2025-03-03,cutometer,R2,cheeks,left,0.71,\n"
    with pytest.raises(UserError) as caught:
        import_readings(self_carer, write_csv(text, name="bad.csv"))
    assert caught.value.message == message
    assert InstrumentReading.objects.count() == 0


def test_blank_lines_do_not_shift_the_line_number_in_a_message(
    self_carer: Client, write_csv: WriteCsv
) -> None:
    text = HEADER + "\n\n2025-03-03,cutometer,R2,lips,left,0.7,\n"
    with pytest.raises(UserError, match=r"^bad\.csv line 4, zone: 'lips'"):
        import_readings(self_carer, write_csv(text, name="bad.csv"))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            "",
            "empty.csv: is empty (allowed: a header line "
            "date,instrument,parameter,zone,side,value[,unit], then one reading a line)",
            id="empty-file",
        ),
        pytest.param(
            "\n  \n",
            "empty.csv: is empty (allowed: a header line "
            "date,instrument,parameter,zone,side,value[,unit], then one reading a line)",
            id="only-blank-lines",
        ),
        pytest.param(
            HEADER,
            "empty.csv: has no readings after the header (allowed: one reading a line)",
            id="header-only",
        ),
    ],
)
def test_a_file_without_readings_is_refused(
    self_carer: Client, write_csv: WriteCsv, content: str, message: str
) -> None:
    with pytest.raises(UserError) as caught:
        import_readings(self_carer, write_csv(content, name="empty.csv"))
    assert caught.value.message == message


def test_a_missing_file_is_named(self_carer: Client, tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.csv"
    with pytest.raises(UserError) as caught:
        import_readings(self_carer, missing)
    assert caught.value.message == f"{missing}: file not found"


def test_a_file_that_is_not_utf8_text_is_refused(self_carer: Client, write_csv: WriteCsv) -> None:
    path = write_csv("date,instrument\n\xff\xfe", name="latin.csv", encoding="latin-1")
    with pytest.raises(UserError, match=r"latin\.csv: is not UTF-8 text"):
        import_readings(self_carer, path)


def test_readings_belong_to_the_client_who_imported_them(
    self_carer: Client, write_csv: WriteCsv
) -> None:
    other = Client.objects.create(display_name="Ana")
    path = write_csv(GOOD)
    import_readings(self_carer, path)
    assert import_readings(other, path) == ImportResult(added=3, duplicates=0)


def test_database_refuses_the_same_reading_twice(self_carer: Client) -> None:
    reading = {
        "client": self_carer,
        "date": dt.date(2025, 3, 3),
        "instrument": "cutometer",
        "parameter": "R2",
        "zone": "cheeks",
        "side": "left",
        "value": 0.71,
        "source": "a.csv",
    }
    InstrumentReading.objects.create(**reading)
    with pytest.raises(IntegrityError), transaction.atomic():
        InstrumentReading.objects.create(**{**reading, "source": "b.csv"})
