"""Text in CSV files is shown by spreadsheets as typed, never run as a formula (OWASP)."""

from __future__ import annotations

import pytest

from collagen_coach.core.spreadsheet import spreadsheet_text


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ('=HYPERLINK("http://x","click")', '\'=HYPERLINK("http://x","click")'),
        ("+1 day of tingling", "'+1 day of tingling"),
        ("-5 feels tighter", "'-5 feels tighter"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("felt good = calm", "felt good = calm"),
        ("", ""),
    ],
    ids=["equals", "plus", "minus", "at", "tab", "carriage-return", "inside", "empty"],
)
def test_text_that_a_spreadsheet_would_run_gets_a_single_quote(typed: str, written: str) -> None:
    assert spreadsheet_text(typed) == written
