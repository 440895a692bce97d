"""Text for CSV files a person opens in a spreadsheet: a cell is shown, never run as a formula.

Excel, LibreOffice Calc and Google Sheets read a cell that begins with ``=``, ``+``, ``-`` or
``@`` (and, in some, a tab or a carriage return) as a formula, so a note typed as
``=HYPERLINK(…)`` would run when its owner opens their own export. A single quote before such
text makes each of them show it as typed (OWASP, "CSV Injection",
https://owasp.org/www-community/attacks/CSV_Injection). Numbers are not text: ``-1.5`` stays a
number.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(text: str) -> str:
    """Give ``text`` as a spreadsheet shows it as typed: a single quote before a formula start."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
