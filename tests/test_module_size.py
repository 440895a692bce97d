"""The product's modules stay small enough to read whole: none over 700 lines (a growing one
becomes a package, as core/progress did). Migrations, written by Django, are left out."""

from __future__ import annotations

from pathlib import Path

import collagen_coach

MOST_LINES = 700
SOURCE = Path(collagen_coach.__file__).parent


def test_no_module_of_the_product_is_over_700_lines() -> None:
    too_long = {
        str(path.relative_to(SOURCE)): lines
        for path in sorted(SOURCE.rglob("*.py"))
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert too_long == {}, f"split these into modules of one concept each: {too_long}"
