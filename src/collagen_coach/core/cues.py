"""What the guided session says: zones, pressure and durations in plain spoken words.

Shared by the terminal player and the browser player so that both say the same thing.
"""

from __future__ import annotations

from collagen_coach.core.planning import Side
from collagen_coach.core.techniques import Zone
from collagen_coach.core.words import pressure_words

GENTLER_ADVICE = (
    "Thank you for saying so. Your next session will be gentler: lighter pressure and only "
    "gentle strokes. If the pain or redness persists, stop the massage and ask a doctor or your "
    "practitioner for advice."
)


_ONE_SIDE = {
    "forehead": "{side} side of the forehead",
    "temples": "{side} temple",
    "crows_feet": "{side} outer eye corner",
    "under_eye": "under the {side} eye",
    "cheeks": "{side} cheek",
    "nasolabial": "{side} smile line",
    "mouth": "{side} side of the mouth",
    "jawline": "{side} side of the jaw",
    "neck": "{side} side of the neck",
}
_BOTH_SIDES = {
    "temples": "both temples",
    "crows_feet": "both outer eye corners",
    "under_eye": "under both eyes",
    "cheeks": "both cheeks",
    "nasolabial": "both smile lines",
}


def zone_phrase(zone: Zone, side: Side) -> str:
    """Give the zone and side in plain words: "left cheek", "both cheeks", "forehead"."""
    if side == "both" or not zone.sided:
        return _BOTH_SIDES.get(zone.id, zone.name.lower())
    template = _ONE_SIDE.get(zone.id)
    return template.format(side=side) if template else f"{zone.name.lower()}, {side} side"


def spoken_pressure(level: int) -> str:
    """Give a pressure level in words: "2 of 5, light"."""
    return f"{level} of 5, {pressure_words(level)}"


_ONES = (
    *("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    *("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen"),
    *("eighteen", "nineteen"),
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def _number_words(n: int) -> str:
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    return str(n)


def spoken_duration(seconds: float) -> str:
    """Give a duration as said aloud: "thirty seconds", "one minute and ten seconds"."""
    minutes, secs = divmod(round(seconds), 60)
    parts = []
    if minutes:
        parts.append(f"{_number_words(minutes)} minute{'s' if minutes != 1 else ''}")
    if secs or not minutes:
        parts.append(f"{_number_words(secs)} second{'s' if secs != 1 else ''}")
    return " and ".join(parts)
