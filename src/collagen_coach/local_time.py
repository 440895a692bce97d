"""This computer's time zone, by its IANA name: the self-carer's own calendar day and clock."""

from __future__ import annotations

import os
import zoneinfo


def local_time_zone() -> str:
    """Give the IANA name of this computer's time zone (``TZ``, else /etc/localtime), or UTC."""
    name = os.environ.get("TZ", "").lstrip(":")
    if not name:
        target = os.path.realpath("/etc/localtime")
        name = target.split("zoneinfo/", 1)[1] if "zoneinfo/" in target else "UTC"
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return "UTC"
    return name
