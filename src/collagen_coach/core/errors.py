"""The one family of errors a user may see: what is wrong, where, and what is allowed."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or a request that cannot be met, explained in one line.

    The CLI turns it into one line on stderr and exit code 2; the API into a 4xx body.
    """

    def __init__(self, field: str, problem: str, allowed: str | None = None) -> None:
        self.field = field
        self.problem = problem
        self.allowed = allowed
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = f"{self.field}: {self.problem}" if self.field else self.problem
        if self.allowed:
            text += f" (allowed: {self.allowed})"
        return text


class DataFileError(Exception):
    """A shipped data file (techniques, zones, rules) is malformed: a defect, not user input."""


def field_path(loc: tuple[int | str, ...]) -> str:
    """Give a pydantic error location as a path a person can read: ``procedures[0].date``."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        else:
            path += f".{part}" if path else part
    return path
