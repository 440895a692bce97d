"""Benchmark: the progress report of the demo's person (ten weeks of a split-face trial, one photo
a week measured in 11 zones × 2 sides), as HTML and as PDF, against a floor measured in the same
run.

- **Work**: ``journal_report`` (the analysis and the report's content), ``render_html`` (charts
  and template) and ``pdf_bytes`` (the same, printed by WeasyPrint), each timed alone, with the
  web's default before/after pair (``report_photos``: the first and the latest passing photo,
  aligned; timed alone too, its landmark model loaded); and the PDF's page count (pdfinfo).
  Wall time and the process's CPU time: on a shared computer the CPU time is the steadier.
- **Floor**: WeasyPrint printing a one-page HTML document of a heading and a paragraph with the
  report's fonts: what any PDF costs before it holds anything.

The demo's data are made once in a throwaway folder by ``collagen-coach demo --no-serve``.

Run: .venv/bin/python benchmarks/bench_report.py [--repeat N]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HOME = Path(tempfile.mkdtemp(prefix="collagen-coach-bench-report-"))
os.environ["COLLAGEN_COACH_HOME"] = str(HOME)
os.environ.pop("DATABASE_URL", None)

FLOOR_HTML = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>floor</title>'
    '<style>html { font-family: "DejaVu Sans", sans-serif; }</style></head>'
    "<body><h1>Progress report</h1><p>One paragraph of text.</p></body></html>"
)


def best(work: Callable[[], Any], repeat: int) -> tuple[tuple[float, float], Any]:
    """Give the best wall and CPU times of ``repeat`` runs of ``work`` (seconds) and its last
    result."""
    times: list[tuple[float, float]] = []
    result: Any = None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = work()
        times.append((time.perf_counter() - start, time.process_time() - cpu))
    return (min(t[0] for t in times), min(t[1] for t in times)), result


def pages(pdf: bytes) -> str:
    """Give the PDF's page count as pdfinfo reads it, or "?" without pdfinfo."""
    if shutil.which("pdfinfo") is None:
        return "?"
    path = HOME / "report.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return next(line.split()[-1] for line in info.stdout.splitlines() if line.startswith("Pages"))


def _sum(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return (a[0] + b[0], a[1] + b[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    cli = Path(sys.executable).with_name("collagen-coach")
    subprocess.run(
        [str(cli), "demo", "--no-serve", "--home", str(HOME)], check=True, capture_output=True
    )

    from weasyprint import HTML

    from collagen_coach.cli.inputs import journal_client
    from collagen_coach.reports.render import pdf_bytes, render_html

    client = journal_client(None)  # sets Django up: the imports below need it
    from collagen_coach.web.lib.dates import today
    from collagen_coach.web.progress.services import journal_report, report_photos

    day: dt.date = today()
    report_photos(client)  # loads the landmark model, as the first comparison in a process does
    photos_s, photos = best(lambda: report_photos(client), args.repeat)
    build_s, report = best(lambda: journal_report(client, day, photos=photos), args.repeat)
    html_s, page = best(lambda: render_html(report), args.repeat)
    pdf_s, pdf = best(lambda: pdf_bytes(report), args.repeat)
    floor_s, _ = best(lambda: HTML(string=FLOOR_HTML).write_pdf(), args.repeat)

    print(f"{platform.machine()}, {os.cpu_count()} cores, CPython {platform.python_version()}")
    print(f"best of {args.repeat}; {len(report.series)} measures")
    print("| step | wall | CPU | CPU × floor |")
    print("|---|---|---|---|")
    for name, (wall, cpu) in (
        ("report_photos (align the default pair)", photos_s),
        ("journal_report (analysis + content)", build_s),
        ("render_html", html_s),
        ("pdf_bytes", pdf_s),
        ("report as HTML (journal_report + render_html)", _sum(build_s, html_s)),
        ("report as PDF (journal_report + pdf_bytes)", _sum(build_s, pdf_s)),
        ("floor: one-page PDF", floor_s),
    ):
        print(f"| {name} | {wall:.2f} s | {cpu:.2f} s | {cpu / floor_s[1]:.0f}× |")
    size = f"HTML: {len(page.encode()) / 1024:.0f} KB; PDF: {len(pdf) / 1024:.0f} KB"
    print(f"{size}, {pages(pdf)} pages")
    shutil.rmtree(HOME, ignore_errors=True)


if __name__ == "__main__":
    main()
