"""The progress report as one self-contained HTML page (charts inline SVG, photos as data: URIs,
CSS inline) and as a PDF that WeasyPrint prints from the same template.

The report charts the measures a person rates or reads with an instrument; the photo measures
(11 zones × 2 sides × 8 metrics) are one table of verdicts, with the ones beyond the noise named.
In the PDF each chart is an SVG image (a data: URI) rather than inline SVG: WeasyPrint draws both
alike, but reads an inline SVG's ``style`` attributes as HTML CSS and warns about every SVG
property in them (``fill``, ``stroke``…), hundreds of warnings per report.

The template engine is Django's, used on its own (no settings needed): the template only ever
receives text, so nothing in it depends on Django's number or date localisation.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import html
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.template import Context, Engine
from django.utils.safestring import SafeString, mark_safe

from collagen_coach.core.measures import MIN_WEEKS, direction_words, follows_light, measure_of
from collagen_coach.core.progress import (
    CAUSATION_NOTE,
    SELF_RATING_NOTE,
    SPLIT_FACE_NOTE,
    ConcernResult,
    how_we_judge,
)
from collagen_coach.core.techniques import EVIDENCE_LEVEL_MEANING, load_library
from collagen_coach.core.words import VERDICT_WORDS, VERDICTS, Verdict
from collagen_coach.reports.build import (
    NO_CHANGE_MEANS,
    OnOffSection,
    Report,
    SeriesSection,
    number,
    signed,
)
from collagen_coach.reports.chart_look import BAND_WORDS, BASELINE_WORDS, RANGE_WORDS
from collagen_coach.reports.charts import series_chart
from collagen_coach.reports.series import (
    KIND_CAVEATS,
    VERDICT_CAVEATS,
    Interval,
    count_verdicts,
    verdict_glossary,
    verdicts_summary,
)

TEMPLATES = Path(__file__).with_name("templates")


@functools.cache
def _engine() -> Engine:
    return Engine(dirs=[str(TEMPLATES)], autoescape=True)


def render_html(report: Report, *, inline_charts: bool = True) -> str:
    """Give the report as one HTML page that needs nothing else: no files, no network (charts as
    inline SVG, or, not ``inline_charts``, as SVG images)."""
    template = _engine().get_template("report.html")
    context = report_context(report, inline_charts=inline_charts)
    return template.render(Context(context, autoescape=True))


def pdf_bytes(report: Report) -> bytes:
    """Give the report as an A4 PDF, printed by WeasyPrint from the report's HTML."""
    from weasyprint import HTML

    pdf = HTML(string=render_html(report, inline_charts=False)).write_pdf()
    assert pdf is not None  # write_pdf gives bytes when no target is given
    return bytes(pdf)


def render_pdf(report: Report, path: Path) -> None:
    """Write the report as a PDF to ``path``; a crash leaves the old file or the new one."""
    data = pdf_bytes(report)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------
# What the template receives: text, lists and mappings of text, and yes/no flags.


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"  # "7 September 2026" (%-d is not portable)


def _short_day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def report_context(report: Report, *, inline_charts: bool = True) -> dict[str, Any]:
    """Give everything the template shows, already in words and formatted numbers."""
    period = None
    if report.period is not None:
        start, end = report.period
        weeks = report.weeks_covered or 0
        period = f"{_day(start)} to {_day(end)} ({weeks} week{'' if weeks == 1 else 's'})"
    counts = report.verdict_counts()
    chart = functools.partial(_series, inline_chart=inline_charts)
    split_charted = [s for s in report.split_face if s.kind != "photo"]
    split_photos = [s for s in report.split_face if s.kind == "photo"]
    return {
        "who": report.who,
        "who_css": css_string_content(report.who),
        "made_on": _day(report.made_on),
        "source": report.source,
        "period": period,
        "sessions_done": None
        if report.adherence is None
        else _sessions_done_words(report.adherence),
        "concerns": [_concern(c) for c in report.concerns],
        "how_we_judge": how_we_judge() if report.concerns else [],
        "summary": report.summary(),
        "counts": [
            {"verdict": v, "words": VERDICT_WORDS[v], "count": str(counts[v])} for v in VERDICTS
        ],
        # Each charted series' verdict is with its chart: the summary names those that moved.
        "headlines": [_headline(s) for s in (*report.charted, *split_charted) if _moved(s)],
        "photo_summary": _photo_summary(report.photo_series),
        "judged": report.judged,
        "missing": [
            {
                "title": m.title,
                "weeks": _weeks_words(m.weeks),
                "by": _day(m.verdict_on),
                "reason": m.reason,
            }
            for m in report.missing()
        ],
        "no_change_means": NO_CHANGE_MEANS,
        "band_words": BAND_WORDS,
        "baseline_words": BASELINE_WORDS,
        "range_words": RANGE_WORDS,
        "too_early": report.too_early(),
        "judge_after_weeks": str(MIN_WEEKS),
        "judge_evidence": _evidence_label(report, "judge_after_8_weeks"),
        "adherence": _adherence(report),
        # A split-face trial's untreated side is drawn faintly in its treated side's chart.
        "series": [chart(s) for s in report.charted if s.role != "untreated"],
        "kind_caveats": [
            KIND_CAVEATS[kind]
            for kind in ("self_rating", "instrument")
            if any(s.kind == kind for s in report.charted)
        ],
        "zone_table": _zone_table(report.photo_series),
        "comparisons": bool(report.split_face or report.on_off or report.adherence_response),
        "split_face": [chart(s) for s in split_charted],
        "split_photos": _photo_summary(split_photos),
        "treated_side": report.treated_side,
        "untreated_side": {"left": "right", "right": "left"}.get(report.treated_side or ""),
        "on_off": [_on_off(c) for c in report.on_off],
        "adherence_response": None
        if report.adherence_response is None
        else {
            "in_words": report.adherence_response.in_words,
            "caveat": report.adherence_response.caveat,
        },
        "photos": _photos(report),
        "verdict_glossary": verdict_glossary(),
        "evidence": [
            {
                "claim": e.claim,
                "level": e.level,
                "meaning": EVIDENCE_LEVEL_MEANING[e.level],
                "label": e.label,
                "caveat": e.caveat,
                "citation": e.citation,
            }
            for e in report.evidence
        ],
        "levels": [{"level": k, "meaning": v} for k, v in EVIDENCE_LEVEL_MEANING.items()],
        "notes": grouped_notes(_notes_not_said(report)),
    }


def _notes_not_said(report: Report) -> list[str]:
    """Give the statistics' notes the report does not already say in its own place: the limits
    of one person's data (in the methods), the self-ratings' bias (above their charts) and what a
    split-face trial cancels (above its charts)."""
    said = {CAUSATION_NOTE}
    if report.judged:
        if any(s.kind == "self_rating" for s in report.charted):
            said.add(SELF_RATING_NOTE)
        if report.split_face:
            said.add(SPLIT_FACE_NOTE)
    return [note for note in report.notes if note not in said]


_NOTE_ABOUT = re.compile(r"^(?P<what>[^\s:]+) \((?P<where>[^)]*)\): (?P<said>.+)$")


def grouped_notes(notes: Sequence[str]) -> list[str]:
    """Give the statistics' notes with the ones that say the same of several series as one:
    "redness (cheeks/left): …" for 22 zones and sides becomes "Redness (22 places): …"."""
    grouped: dict[tuple[str, str], list[str]] = {}
    order: list[tuple[str, str] | str] = []
    for note in notes:
        found = _NOTE_ABOUT.match(note)
        if found is None:
            order.append(note)
            continue
        key = (found["what"], found["said"])
        if key not in grouped:
            grouped[key] = []
            order.append(key)
        grouped[key].append(found["where"])
    said = []
    for item in order:
        if isinstance(item, str):
            said.append(item)
            continue
        where = grouped[item]
        measure = measure_of(item[0])
        what = measure.title if measure else item[0]
        places = where[0].replace("_", " ") if len(where) == 1 else f"{len(where)} places"
        said.append(f"{what} ({places}): {item[1]}")
    return said


def _weeks_words(weeks: int) -> str:
    return f"{weeks} week{'' if weeks == 1 else 's'}"


def _concern(result: ConcernResult) -> dict[str, str]:
    """Give one concern in the words of its card on the dashboard (``core.progress.concerns``
    owns them)."""
    return {
        "name": result.concern.name,
        "title": result.concern.title,
        "verdict": result.verdict,
        "short_words": result.short_words(),
        "verdict_words": result.verdict_words(),
        "based_on": result.based_on(),
        "rating_words": result.rating_words(),
        "missing": result.missing_words(),
    }


def _moved(section: SeriesSection) -> bool:
    """Whether a series moved beyond its usual wobble (improving, worsening or not judged)."""
    return section.verdict not in ("no_change_detected", "not_enough_data")


def _headline(section: SeriesSection) -> dict[str, str]:
    return {"verdict": section.verdict, "words": section.verdict_words, "text": section.headline()}


# The photo table's mark for each verdict; the legend under the table says what each means.
VERDICT_MARKS: dict[Verdict, str] = {
    "improving": "▲",
    "worsening": "▼",
    "not_judged": "◆",
    "no_change_detected": "–",
    "not_enough_data": "…",
}
SIDE_LETTERS = {"left": "L", "right": "R"}
NOTABLE: list[Verdict] = [
    "worsening",
    "improving",
    "not_judged",
    "not_enough_data",
    "no_change_detected",
]


def _photo_summary(sections: Sequence[SeriesSection]) -> dict[str, Any] | None:
    """Give the photo measures' verdicts counted, and the ones beyond the noise by name."""
    if not sections:
        return None
    counted = count_verdicts(s.verdict for s in sections)
    return {
        "in_words": verdicts_summary(counted),
        "moved": [_headline(s) for s in sections if _moved(s)],
    }


def _zone_table(sections: Sequence[SeriesSection]) -> dict[str, Any] | None:
    """Give every photo measure's verdict as one table: a row per measure, a column per zone,
    a mark per side in each cell."""
    if not sections:
        return None
    library_zones = load_library().zones
    zones = [z for z in library_zones if any(s.zone == z for s in sections)]
    zones += sorted({s.zone for s in sections if s.zone and s.zone not in library_zones})
    found: dict[tuple[str, str | None], list[SeriesSection]] = {}
    names: dict[str, tuple[str, str]] = {}
    for s in sections:
        found.setdefault((s.metric, s.zone), []).append(s)
        names.setdefault(s.metric, (s.name, short_unit(s.unit)))
    rows = []
    for metric, (name, unit) in names.items():
        cells = []
        for zone in zones:
            here = sorted(found.get((metric, zone), []), key=lambda s: s.side or "")
            marks = [
                {"side": SIDE_LETTERS.get(s.side or "", ""), "mark": VERDICT_MARKS[s.verdict]}
                for s in here
            ]
            # The cell takes the colour of its most notable verdict; its title says each side's.
            shown = min((s.verdict for s in here), key=NOTABLE.index, default="")
            title = " ".join(s.headline() for s in here)
            cells.append({"marks": marks, "verdict": shown, "title": title})
        rows.append({"name": name, "unit": unit, "cells": cells})
    light = sorted({s.name for s in sections if follows_light(s.metric)})
    return {
        "zones": [library_zones[z].name if z in library_zones else z for z in zones],
        "rows": rows,
        "photo_caveat": KIND_CAVEATS["photo"],
        "follow_light": ", ".join(light),
        "legend": [{"mark": VERDICT_MARKS[v], "words": VERDICT_WORDS[v]} for v in VERDICTS],
    }


def css_string_content(text: str) -> SafeString:
    """Give ``text`` escaped to sit inside a double-quoted CSS string in a ``<style>`` element:
    every character but letters, digits and spaces as a CSS hex escape."""
    return mark_safe(
        "".join(c if (c.isalnum() and c.isascii()) or c == " " else f"\\{ord(c):x} " for c in text)
    )


def _evidence_label(report: Report, evidence_id: str) -> str:
    found = next((e for e in report.evidence if e.id == evidence_id), None)
    return found.label if found else ""


def _sessions_done_words(adherence: Any) -> str:
    text = f"{adherence.done} of {adherence.planned} planned sessions"
    if adherence.percent is not None:
        text += f" ({adherence.percent:.0f} %)"
    if adherence.extra:
        text += f", and {adherence.extra} extra"
    return text


def _adherence(report: Report) -> dict[str, Any] | None:
    a = report.adherence
    if a is None:
        return None
    return {
        "done_words": _sessions_done_words(a),
        "current_streak": str(a.current_streak),
        "longest_streak": str(a.longest_streak),
        "habit_strength": f"{a.habit_strength:.0f}",
        "today_pending": a.today_pending,
        "weeks": [
            {
                "week_of": _short_day(w.week_start),
                "planned": str(w.planned),
                "done": str(w.done),
                "extra": str(w.extra) if w.extra else "",
                "percent": "—" if w.percent is None else f"{w.percent:.0f} %",
                "bar": "0" if w.percent is None else f"{w.percent:.0f}",
            }
            for w in a.weeks
        ],
    }


def _interval_words(value: Interval | None, unit: str, decimals: int) -> str:
    if value is None:
        return "—"
    lo, est, hi = value
    unit = f" {unit}" if unit else ""
    return (
        f"{signed(est, decimals)}{unit} (likely between {signed(lo, decimals)} and "
        f"{signed(hi, decimals)})"
    )


def _series(section: SeriesSection, *, inline_chart: bool = True) -> dict[str, Any]:
    d = section.decimals
    unit = section.unit
    judged = section.verdict != "not_enough_data"
    role = {"treated": "the massaged side", "untreated": "the side left alone (control)"}
    return {
        "key": section.key,
        "title": section.title,
        "verdict": section.verdict,
        "verdict_words": section.verdict_words,
        "reason": section.reason,
        "explanation": section.explanation if judged else "",  # else it repeats the reason
        "better": direction_words(section.higher_is_better),
        "role": role.get(section.role or "", ""),
        "n": str(section.n),
        "mdc": "—" if section.mdc is None else f"±{number(section.mdc, d)} {unit}".rstrip(),
        "chart": _chart(section, inline=inline_chart),
    }


def _chart(section: SeriesSection, *, inline: bool) -> str:
    """Give the series' chart: inline SVG, or an ``<img>`` of the same SVG (for WeasyPrint)."""
    svg = series_chart(section)
    if inline or not svg:
        return svg
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    alt = html.escape(f"Chart: {section.title}")
    return f'<img class="chart" alt="{alt}" src="data:image/svg+xml;base64,{data}">'


def short_unit(unit: str) -> str:
    """Give a unit without its explanation in brackets: "points (0–10)" → "points"."""
    return re.sub(r"\s*\(.*\)$", "", unit)


def _on_off(section: OnOffSection) -> dict[str, Any]:
    d = section.decimals
    return {
        "title": section.title,
        "verdict": section.verdict,
        "verdict_words": section.verdict_words,
        "reason": section.reason,
        "blocks": section.blocks,
        "mdc": "—" if section.mdc is None else f"±{number(section.mdc, d)} {section.unit}".rstrip(),
        "difference": _interval_words(section.difference, section.unit, d),
        "caveat": VERDICT_CAVEATS[section.verdict],
    }


def _data_uri(jpeg: bytes | None) -> str:
    if jpeg is None:
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(jpeg).decode("ascii")


def _photos(report: Report) -> dict[str, Any] | None:
    pair = report.photos
    if pair is None:
        return None
    error = pair.alignment_error_ipd
    return {
        "before_name": Path(pair.before_name).name,
        "after_name": Path(pair.after_name).name,
        "comparable": pair.comparable and pair.before_jpeg is not None,
        "reasons": list(pair.reasons),
        "before_src": _data_uri(pair.before_jpeg),
        "after_src": _data_uri(pair.after_jpeg),
        "alignment": "" if error is None else f"{100 * error:.1f} %",
    }
