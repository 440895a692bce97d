"""Whether this data folder holds the demo: its pages then say, on every page, that it is one.

``collagen-coach demo`` makes the demo in a folder of its own and leaves :data:`DEMO_MARKER` there;
a person's own data folder never has it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

DEMO_MARKER = "DEMO.txt"
DEMO_MARKER_TEXT = (
    "This folder holds the collagen-coach demo: a made-up person with a made-up history.\n"
)


def is_demo_folder() -> bool:
    """Give whether the data folder in use is the demo's (a file check, cheap on each page)."""
    return (settings.HOME / DEMO_MARKER).is_file()


def demo(request: HttpRequest) -> dict[str, bool]:
    """Tell every page whether it shows the demo (a template context processor)."""
    return {"is_demo": is_demo_folder()}
