"""Photos on the command line: measure them per zone after a quality check, or compare two."""

from __future__ import annotations

import io
import multiprocessing
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich import box
from rich.table import Table

from collagen_coach.cli.inputs import JsonFlag
from collagen_coach.cli.output import (
    bullets,
    console,
    err_console,
    print_json,
    say,
    write_atomically,
)
from collagen_coach.core.errors import UserError
from collagen_coach.core.measures import is_exploratory
from collagen_coach.core.words import EXPLORATORY_WORDS


def _analyse_one(path: str) -> dict[str, Any]:
    """Analyse one photo in a worker process; give its JSON report."""
    from collagen_coach.vision.analysis import analyse_photo

    return analyse_photo(Path(path)).as_json()


def _analyse_with_overlay(job: tuple[str, str]) -> dict[str, Any]:
    """Analyse one photo and write its annotated image to the given file, if it shows a face."""
    from collagen_coach.vision.analysis import analyse_photo_in_detail
    from collagen_coach.vision.overlay import annotated_image

    path, out = job
    report, measured = analyse_photo_in_detail(Path(path))
    data = report.as_json()
    if measured is not None:
        buffer = io.BytesIO()
        annotated_image(measured).save(buffer, format="PNG")
        write_atomically(Path(out), buffer.getvalue())
        data["overlay"] = out
    return data


def overlay_paths(photos: list[Path], folder: Path) -> list[Path]:
    """Give each photo's overlay file in ``folder``: ``NAME.overlay.png``, numbered ``NAME-2…``
    where photos from different folders or of different types share a name."""
    taken: set[str] = set()
    paths = []
    for photo in photos:
        name, number = photo.stem, 1
        while name.lower() in taken:
            number += 1
            name = f"{photo.stem}-{number}"
        taken.add(name.lower())
        paths.append(folder / f"{name}.overlay.png")
    return paths


def analyse_command(
    photos: Annotated[list[Path], typer.Argument(help="Photos: JPEG, PNG or HEIC.")],
    as_json: JsonFlag = False,
    overlay: Annotated[
        Path | None, typer.Option("--overlay", help="Write annotated images into this folder.")
    ] = None,
    workers: Annotated[
        int, typer.Option("--workers", min=1, max=64, help="Parallel worker processes.")
    ] = max(1, min(4, os.cpu_count() or 1)),
) -> None:
    """Measure progress photos per facial zone, after a quality check of each."""
    from concurrent.futures import ProcessPoolExecutor

    from rich.progress import Progress

    missing = [p for p in photos if not p.is_file()]
    if missing:
        raise UserError(str(missing[0]), "file not found", "paths of photo files")
    if overlay is not None and not overlay.is_dir():
        raise UserError(
            "--overlay", f"folder {str(overlay)!r} does not exist", "an existing folder"
        )
    jobs: list[Any] = (
        [str(p) for p in photos]
        if overlay is None
        else [
            (str(p), str(out))
            for p, out in zip(photos, overlay_paths(photos, overlay), strict=True)
        ]
    )
    work = _analyse_one if overlay is None else _analyse_with_overlay
    reports: list[dict[str, Any]] = []
    with Progress(console=err_console, transient=True, disable=len(photos) < 2) as progress:
        task = progress.add_task("Analysing photos", total=len(photos))
        if workers == 1 or len(photos) == 1:
            for job in jobs:
                reports.append(work(job))
                progress.advance(task)
        else:
            # Spawned, not forked: a fork of a process that runs the face model can deadlock.
            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(min(workers, len(photos)), mp_context=spawn) as pool:
                for report in pool.map(work, jobs):
                    reports.append(report)
                    progress.advance(task)
    if as_json:
        print_json(reports)
        return
    for index, report in enumerate(reports):
        if index:
            console.print()
        _show_photo_report(report)


# What the plain-text output shows per zone: (metric, heading, unit), at the photo page's
# decimals. Every metric, and each side apart, is in --json.
_ZONE_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("wrinkle_index", "wrinkles", "%"),
    ("texture_roughness", "texture", "%"),
    ("line_length_cm_per_cm2", "lines", "cm/cm²"),
    ("radiance", "radiance", "L*"),
    ("evenness_l_iqr", "evenness", "L* IQR"),
    ("redness", "redness", "a*"),
)
_ZONE_UNITS = (
    "%: lightness contrast · L*: lightness 0-100, follows the light too · a*: redness\n"
    "Lower is better, but for radiance (higher) and redness (neither).\n"
    f"*: {EXPLORATORY_WORDS}.\n"
    "Every measure, each side apart: --json."
)


def _zone_table(
    title: str, values: dict[str, dict[str, float]], names: dict[str, str], *, signed: bool
) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    from collagen_coach.vision.words import ZONE_DECIMALS, number

    table.add_column("zone", no_wrap=True)
    for metric, heading, unit in _ZONE_COLUMNS:
        table.add_column(f"{heading}{_star(is_exploratory(metric))}\n{unit}", justify="right")
    for zone, metrics in values.items():
        table.add_row(
            names.get(zone, zone),
            *[number(metrics.get(m), ZONE_DECIMALS[m], signed=signed) for m, _, _ in _ZONE_COLUMNS],
        )
    return table


def _star(exploratory: bool) -> str:
    """Give the mark of a measure not yet repeatable enough to judge (said under the tables)."""
    return "*" if exploratory else ""


def _shape_table(
    title: str, by_side: dict[str, dict[str, dict[str, float]]], *, signed: bool
) -> Table:
    table = Table(
        title=title,
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        collapse_padding=True,
    )
    for heading in ("measure", "your left", "your right", "unit", "better"):
        table.add_column(heading, justify="right" if heading.startswith("your") else "left")
    # The photo page's rows: the same names, units and decimals.
    from collagen_coach.vision.words import shape_rows

    for row in shape_rows(by_side, signed=signed):
        name = f"{row.title.lower()}{_star(row.exploratory)}"
        table.add_row(name, row.left, row.right, row.unit, row.better)
    return table


def _show_photo_report(report: dict[str, Any]) -> None:
    from collagen_coach.vision.words import number, pose_in_words, zone_names

    verdict = "[green]ok[/green]" if report["ok"] else "[red]not usable as it is[/red]"
    console.print(f"[bold]{report['file']}[/bold]: {verdict}", highlight=False)
    lines = []
    for problem in report["problem_details"]:
        measured = ""
        if problem["value"] is not None and problem["threshold"] is not None:
            measured = (
                f" (measured {number(problem['value'])}, limit {number(problem['threshold'])})"
            )
        lines.append(f"{problem['id']}: {problem['hint']}{measured}")
    if lines:
        bullets(lines)
    if report["pose"]:
        say(f"Head: {pose_in_words(report['pose'])}")
    if not report["metrics"]:
        return
    if not report["ok"]:
        say(
            "Measured despite the problems: do not compare these numbers with your other "
            "photos until a retake passes."
        )
    names = zone_names()
    console.print()
    console.print(
        _zone_table(
            f"Each zone, both sides together ({report['algorithm']})",
            report["metrics"],
            names,
            signed=False,
        )
    )
    console.print(_shape_table("Face shape", report["metrics_by_side"], signed=False))
    console.print(f"[dim]{_ZONE_UNITS}[/dim]")
    if report.get("overlay"):
        console.print(f"Annotated image: {report['overlay']}", highlight=False)


def compare_command(
    before: Annotated[Path, typer.Argument(help="The earlier photo.")],
    after: Annotated[Path, typer.Argument(help="The later photo.")],
    as_json: JsonFlag = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Write the aligned pair: .png side by side, .gif blink, .html slider."
        ),
    ] = None,
) -> None:
    """Compare two photos of the same person zone by zone, or say why they are not comparable."""
    for path in (before, after):
        if not path.is_file():
            raise UserError(str(path), "file not found", "paths of two photo files")
    if out is not None:
        if out.suffix.lower() not in (".png", ".gif", ".html"):
            raise UserError("--out", f"{out.name!r} has an unknown ending", ".png, .gif or .html")
        if not out.parent.is_dir():
            raise UserError(
                "--out", f"folder {str(out.parent)!r} does not exist", "an existing folder"
            )
    from collagen_coach.vision.compare import blink_gif, compare_photos, side_by_side, slider_html

    comparison, images = compare_photos(before, after, names=(str(before), str(after)))
    if out is not None and images is not None:
        suffix = out.suffix.lower()
        if suffix == ".png":
            buffer = io.BytesIO()
            side_by_side(images).save(buffer, format="PNG")
            write_atomically(out, buffer.getvalue())
        elif suffix == ".gif":
            write_atomically(out, blink_gif(images))
        else:
            write_atomically(out, slider_html(images).encode())
    if as_json:
        print_json(comparison.as_json() | {"out": str(out) if out and images else None})
        return
    _show_comparison(comparison, out=out, written=images is not None)


def _show_comparison(comparison: Any, *, out: Path | None, written: bool) -> None:
    from collagen_coach.vision.words import zone_names

    console.print(
        f"Before: {comparison.before.file}\nAfter:  {comparison.after.file}", highlight=False
    )
    if comparison.comparable:
        console.print(
            "[green]Comparable[/green]: taken alike (pose, light and distance within limits), "
            f"lined up to {comparison.alignment_error_ipd:.3f} of the eye distance."
        )
        names = zone_names()
        both = {zone: sides.get("both", {}) for zone, sides in comparison.deltas.items()}
        console.print()
        console.print(
            _zone_table(
                "Change per zone, after − before, both sides together", both, names, signed=True
            )
        )
        console.print(_shape_table("Change in face shape", comparison.deltas, signed=True))
        console.print(
            f"[dim]{_ZONE_UNITS}\nWhether a change is more than measurement noise: "
            "`collagen-coach progress`, over several photos.[/dim]"
        )
    else:
        console.print(
            "[red]Not comparable[/red]: differences would come from how the photos were taken, "
            "not from the skin."
        )
        bullets(comparison.reasons)
        console.print(
            "No changes are shown (--json has the numbers anyway). Retake and compare again."
        )
    if out is not None:
        if written:
            console.print(f"Wrote the two faces aligned: {out}", highlight=False)
        else:
            console.print(
                f"Nothing written to {out}: both photos must show a face to be aligned.",
                highlight=False,
            )
