"""Progress as the web app and the command line show it: the journal's measurements analysed,
adherence to the plan, the dashboard's figures and charts, and the progress report.

Everything is read with a fixed number of queries whatever the length of the history (the
plan, the sessions done, the self-ratings, the readings and the photo measurements, each once)
and analysed in one pass over the measurements.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Literal

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, Min, OuterRef, Subquery, Sum
from django.urls import reverse
from django.utils.html import json_script
from django.utils.safestring import SafeString

from collagen_coach.core.adherence import Adherence, WeekAdherence, measure_adherence, week_start
from collagen_coach.core.baseline import verdict_sentence
from collagen_coach.core.measures import MIN_WEEKS, follows_light, weeks_measured
from collagen_coach.core.planning import Program
from collagen_coach.core.progress import (
    SPLIT_SIDE,
    ConcernResult,
    Observation,
    ProgressResult,
    SeriesResult,
    analyse_progress,
    counts,
    in_bounds,
)
from collagen_coach.core.progress.analysis import combine_parts
from collagen_coach.core.techniques import Evidence, load_library
from collagen_coach.core.words import Verdict
from collagen_coach.reports.build import (
    REPORT_EVIDENCE_IDS,
    PhotoPair,
    Report,
    build_report,
    photo_pair_of,
)
from collagen_coach.reports.chart_look import (
    KEY_WORDS,
    LOOK,
)
from collagen_coach.reports.series import (
    FOLLOWS_LIGHT_CAVEAT,
    count_verdicts,
    verdicts_summary,
)
from collagen_coach.web.clients.models import Client
from collagen_coach.web.journal.models import (
    InstrumentReading,
    PhotoMeasurement,
    SelfRating,
    SessionLog,
)
from collagen_coach.web.journal.services import done_session_dates, progress_observations
from collagen_coach.web.photos import services as photo_services
from collagen_coach.web.photos.models import Photo, PhotoStatus
from collagen_coach.web.plans.models import StoredProgram
from collagen_coach.web.plans.services import asked_days, current_program
from collagen_coach.web.progress.series_chart import SeriesChart, day_words
from collagen_coach.web.progress.store import current_parts

__all__ = [
    "Dashboard",
    "JournalProgress",
    "SeriesChart",
    "journal_progress",
    "journal_progress_inputs",
    "journal_report",
    "journal_stamp",
    "make_dashboard",
    "progress_dashboard",
    "report_photos",
]

# In the address of a chosen series' data, the place dashboard.js writes the series' key in.
SERIES_KEY_SLOT = "series-key"
RECENT_WEEKS = 4  # "the last four weeks" on the dashboard, this week included
# The cache key holds the day and the data's stamp, so this only frees the memory of old entries.
DASHBOARD_CACHE_S = 24 * 3600


# ---------------------------------------------------------------------------------------------
# The analysis, shared by `collagen-coach progress`, `collagen-coach report` and the web app


def journal_progress_inputs(
    client: Client, today: dt.date, treated_side: str | None, program: Program | None
) -> tuple[str | None, Adherence | None, dict[dt.date, int] | None]:
    """Give what the journal adds to its measurements under ``program`` (the client's current
    one): the side a split-face trial treats (the plan's, unless given), the adherence to the
    plan and the sessions done per week since the first planned one (None for both without a
    plan)."""
    if program is None or not program.sessions:
        return treated_side, None, None
    if treated_side is None and program.profile.treated_side in ("left", "right"):
        treated_side = program.profile.treated_side
    done = done_session_dates(client)
    adherence = measure_adherence(asked_days(client, program), done, today=today)
    weekly: dict[dt.date, int] = {}
    week = week_start(program.sessions[0].date)
    while week <= today:
        weekly[week] = 0
        week += dt.timedelta(days=7)
    for day in done:
        if week_start(day) in weekly:
            weekly[week_start(day)] += 1
    return treated_side, adherence, weekly


@dataclass(frozen=True)
class JournalProgress:
    """The journal's measurements, their analysis, and the adherence that goes with them."""

    observations: list[Observation]
    result: ProgressResult
    treated_side: str | None
    adherence: Adherence | None
    program: Program | None = None
    # The first and last day of the measurements that count (None without any).
    period: tuple[dt.date, dt.date] | None = None


def journal_progress(
    client: Client, today: dt.date, treated_side: str | None = None
) -> JournalProgress:
    """Give the analysis of the client's journal as of ``today``: the same one that
    ``collagen-coach progress``, the report and the dashboard show.

    A stored value or day that its measure cannot have (written before the journal checked it,
    or straight into the database) is left out, with a note, so it cannot lock a person out of
    their progress; ``observations`` holds only the ones that can be shown.
    """
    stored = progress_observations(client)
    program = current_program(client)
    side, adherence, weekly = journal_progress_inputs(client, today, treated_side, program)
    result = analyse_progress(stored, treated_side=side, weekly_sessions=weekly, today=today)
    shown = [o for o in stored if in_bounds(o, today)]
    usable = [o.date for o in shown if counts(o)]
    period = (min(usable), max(usable)) if usable else None
    return JournalProgress(shown, result, side, adherence, program, period)


def stored_journal_progress(client: Client, today: dt.date) -> JournalProgress:
    """Give the same analysis as :func:`journal_progress` (for the plan's split-face side) from
    the stored analysis (``store``), without reading the measurements; its ``observations`` are
    left empty (the analysis' series carry the ones they were judged on)."""
    program = current_program(client)
    side, adherence, weekly = journal_progress_inputs(client, today, None, program)
    parts, period = current_parts(client, today, program, side)
    result = combine_parts(parts, weekly_sessions=weekly)
    return JournalProgress([], result, side, adherence, program, period)


def journal_report(
    client: Client,
    today: dt.date,
    *,
    treated_side: str | None = None,
    photos: PhotoPair | None = None,
) -> Report:
    """Give the client's progress report as of ``today`` (``reports.build``), made from the
    journal exactly as ``collagen-coach report`` makes it."""
    progress = journal_progress(client, today, treated_side)
    return build_report(
        progress.result,
        progress.observations,
        who=str(client),
        made_on=today,
        source="your journal",
        treated_side=progress.treated_side,
        adherence=progress.adherence,
        photos=photos,
    )


def report_photos(
    client: Client, before_id: int | None = None, after_id: int | None = None
) -> PhotoPair | None:
    """Give the report's before/after photos: the two of the client's analysed photos chosen
    (on the photos' compare page), or else the first photo that passed the quality check (the
    baseline's) and the latest that did; None with fewer than two.

    Aligning the pair decodes both photos and finds their landmarks (about a second). A chosen
    id that is not one of the client's analysed photos raises ``Photo.DoesNotExist``.
    """
    analysed = (
        Photo.objects.filter(client=client, status=PhotoStatus.DONE)
        .select_related("measurement")
        .order_by("taken_on", "created_at")
    )
    if before_id is not None and after_id is not None:
        before, after = analysed.get(pk=before_id), analysed.get(pk=after_id)
        if (before.taken_on, before.created_at) > (after.taken_on, after.created_at):
            before, after = after, before
    else:
        passed = [p for p in analysed if p.measurement is not None and p.measurement.ok]
        if len(passed) < 2:
            return None
        before, after = passed[0], passed[-1]
    pair = photo_services.compare(before, after)
    return photo_pair_of(pair.comparison, pair.before_jpeg, pair.after_jpeg)


# ---------------------------------------------------------------------------------------------
# The dashboard


@dataclass(frozen=True)
class SplitFaceTrial:
    """A split-face trial as its plan declares it: from the first session for ``weeks`` weeks."""

    start: dt.date
    weeks: int
    today: dt.date

    @property
    def end(self) -> dt.date:
        return self.start + dt.timedelta(weeks=self.weeks, days=-1)

    @property
    def week(self) -> int:
        """Give the week of the trial that ``today`` is in (1 for the first), or 0 before it."""
        return 0 if self.today < self.start else (self.today - self.start).days // 7 + 1

    @property
    def in_progress(self) -> bool:
        return self.start <= self.today <= self.end

    def words(self) -> str:
        """Give where the trial is in one sentence, e.g. "Week 11 of a 12-week trial, …"."""
        span = f"{self.weeks}-week trial, {day_words(self.start)} to {day_words(self.end)}"
        if self.today < self.start:
            return f"A {span}: it starts on {day_words(self.start)}."
        if self.today > self.end:
            return f"A {span}: it ended on {day_words(self.end)}."
        return f"Week {self.week} of a {span}."


def split_face_trial(client: Client, today: dt.date) -> SplitFaceTrial | None:
    """Give the split-face trial the client's plan declares (one side massaged), or None."""
    program = current_program(client)
    if program is None or program.profile.treated_side not in ("left", "right"):
        return None
    first = program.first_session_on
    return None if first is None else SplitFaceTrial(first, program.profile.weeks, today)


@dataclass(frozen=True)
class EvidenceLink:
    """One measured series behind a concern's verdict, linked to its card or table row."""

    title: str
    verdict: Verdict
    verdict_words: str
    anchor: str


@dataclass(frozen=True)
class ConcernGroup:
    """One measure of a concern in words, with links to the series worth a look."""

    words: str
    links: tuple[EvidenceLink, ...]


@dataclass(frozen=True)
class ConcernCard:
    """One concern as the dashboard's card shows it: the words of ``core.progress.concerns``
    (the same as the API's and the command line's), without the series themselves, so the
    cached dashboard stays small."""

    name: str
    title: str
    verdict: Verdict
    basis: str
    verdict_words: str
    short_words: str
    headline: str
    based_on: str
    rating_words: str
    missing: str
    groups: tuple[ConcernGroup, ...]
    notes: tuple[str, ...]
    rating_link: EvidenceLink | None = None
    in_table: bool = False  # some of its photo series are listed only in the photo table

    LINKED_ALL = 4  # a measure with more series than this links only those that moved

    @classmethod
    def of(cls, result: ConcernResult, charts: dict[tuple[Any, ...], SeriesChart]) -> ConcernCard:
        """Give the card of one concern, its measures linked to their charts (``charts`` by
        metric, zone and side)."""

        def link(series: SeriesResult) -> EvidenceLink | None:
            chart = charts.get((series.metric, series.zone, series.side))
            if chart is None:
                return None
            where = "measure" if chart.kind == "photo" else "series"
            return EvidenceLink(
                chart.title, chart.verdict, chart.verdict_words, f"{where}-{chart.key}"
            )

        groups = []
        in_table = False
        for group in result.groups():
            shown = [
                s
                for s in group.series
                if len(group.series) <= cls.LINKED_ALL or s.verdict in ("improving", "worsening")
            ]
            links = tuple(one for one in map(link, shown) if one is not None)
            in_table = in_table or len(links) < len(group.series)
            groups.append(ConcernGroup(group.words(), links))
        return cls(
            name=result.concern.name,
            title=result.concern.title,
            verdict=result.verdict,
            basis=result.basis,
            verdict_words=result.verdict_words(),
            short_words=result.short_words(),
            headline=result.headline(),
            based_on=result.based_on(),
            rating_words=result.rating_words(),
            missing=result.missing_words(),
            groups=tuple(groups),
            notes=tuple(result.notes()),
            rating_link=None if result.rating is None else link(result.rating),
            in_table=in_table,
        )


@dataclass(frozen=True)
class Dashboard:
    """Everything the progress dashboard shows, as data."""

    today: dt.date
    adherence: Adherence | None
    this_week: WeekAdherence | None
    recent_planned: int
    recent_done: int
    ratings: tuple[SeriesChart, ...]
    photos: tuple[SeriesChart, ...]
    instruments: tuple[SeriesChart, ...]
    split_face: tuple[SeriesChart, ...]
    treated_side: str | None
    notes: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    period: tuple[dt.date, dt.date] | None
    verdict_counts: dict[Verdict, int] = field(default_factory=dict)
    trial: SplitFaceTrial | None = None
    verdict_words: str = ""  # when a verdict first becomes possible (core.baseline)
    concerns: tuple[ConcernCard, ...] = ()  # one verdict per concern, first on the page

    @property
    def recent_percent(self) -> float | None:
        """Give the share of the last four weeks' planned sessions that were done, in %."""
        return 100 * self.recent_done / self.recent_planned if self.recent_planned else None

    @property
    def series(self) -> tuple[SeriesChart, ...]:
        return self.ratings + self.photos + self.instruments

    @property
    def weeks_covered(self) -> int:
        return 0 if self.period is None else weeks_measured(*self.period)

    @property
    def too_early(self) -> bool:
        """Whether the measurements cover less than the 8 weeks to wait before judging."""
        return self.weeks_covered < MIN_WEEKS

    def summary(self) -> str:
        """Give all verdicts in one sentence."""
        return verdicts_summary(self.verdict_counts)

    @property
    def chart_origin(self) -> dt.date:
        """Give the day the charts count their days from: the first measured, else today."""
        return self.period[0] if self.period else self.today

    def chart_data(self) -> dict[str, Any]:
        """Give the data of the charts the page shows at first, for dashboard.js: every
        self-rating's and instrument's, and the first of each chooser's (whose card's words
        travel with it); another series' comes when it is chosen (:meth:`series_data`)."""
        origin = self.chart_origin
        series = {s.key: s.chart_data(origin) for s in self.ratings + self.instruments}
        for first in (self.photos[:1], self.split_face[:1]):
            series |= {s.key: s.chart_data(origin, with_words=True) for s in first}
        # The series measured on the same days (the self-ratings of one journal) share one
        # list of days: a long history's page is then smaller.
        days: dict[tuple[int, ...], int] = {}
        for one in series.values():
            one["days"] = days.setdefault(tuple(one["days"]), len(days))
        return {
            "origin": origin.isoformat(),
            "look": LOOK,
            "key_words": KEY_WORDS,
            "series_url": reverse("progress:series", kwargs={"key": SERIES_KEY_SLOT}),
            "days": list(days),
            "series": series,
        }

    def series_data(self, key: str) -> dict[str, Any] | None:
        """Give one series' chart data with its card's words (a chooser's photo measure or
        split-face difference, or any other), days counted from the page's origin, or None
        when no such series is measured."""
        chosen = next((s for s in self.series + self.split_face if s.key == key), None)
        return None if chosen is None else chosen.chart_data(self.chart_origin, with_words=True)

    @functools.cached_property
    def chart_script(self) -> SafeString:
        """Give the charts' data as a ``<script type="application/json" id="progress-data">``,
        made once and kept with the dashboard in the cache."""
        return json_script(self.chart_data(), "progress-data")

    def evidence_for(self, evidence_id: str) -> Evidence | None:
        return next((e for e in self.evidence if e.id == evidence_id), None)


def progress_dashboard(client: Client, today: dt.date, stamp: str | None = None) -> Dashboard:
    """Give the client's progress dashboard as of ``today``: adherence, streaks and habit
    strength, and every measured series with its verdict, noise band and points.

    It is made from the stored analysis (``store``), kept current as entries arrive, and kept
    in this process under a stamp of everything it is made from (one query tells whether
    anything changed since), so a later visit neither builds nor decodes it again. The shared
    cache gets its verdicts (its charts without their points) for the practice's client list.
    ``stamp`` is the journal's (:func:`journal_stamp`) when the caller has just read it.
    """
    key = dashboard_cache_key(client.pk, today, stamp or journal_stamp(client))
    with _recent_lock:
        board = _recent_boards.get(key)
        if board is not None:
            _recent_boards.move_to_end(key)
    if board is None:
        board = make_dashboard(client, today)
        board.chart_script  # noqa: B018 (made now, so that it is kept with the dashboard)
        with _recent_lock:
            _recent_boards[key] = board
            while len(_recent_boards) > RECENT_BOARDS:
                _recent_boards.popitem(last=False)
        cache.set(key, verdicts_only(board), DASHBOARD_CACHE_S)
    return board


# The dashboards last shown, whole, in this process (the server is one process; a board of five
# years is some megabytes, so only a few are kept).
RECENT_BOARDS = 8
_recent_boards: OrderedDict[str, Dashboard] = OrderedDict()
_recent_lock = threading.Lock()


def forget_recent_boards() -> None:
    """Forget the dashboards kept in this process (as clearing the cache forgets the shared)."""
    with _recent_lock:
        _recent_boards.clear()


def verdicts_only(board: Dashboard) -> Dashboard:
    """Give the dashboard with its charts' points left out: what the client list reads."""

    def slim(charts: tuple[SeriesChart, ...]) -> tuple[SeriesChart, ...]:
        return tuple(dataclasses.replace(c, points=(), control_points=()) for c in charts)

    return dataclasses.replace(
        board,
        ratings=slim(board.ratings),
        photos=slim(board.photos),
        instruments=slim(board.instruments),
        split_face=slim(board.split_face),
    )


def dashboard_cache_key(client_pk: int, today: dt.date, stamp: str) -> str:
    """Give the key of a client's dashboard as of ``today`` for the journal's ``stamp``: in
    this process (the whole dashboard) and in the shared cache (its verdicts)."""
    return f"progress-dashboard:{client_pk}:{today.isoformat()}:{stamp}"


def journal_stamp_fields() -> dict[str, Subquery]:
    """Give the annotations of a Client queryset whose values make the journal's stamp (see
    :func:`journal_stamp`), so a page of clients gets every stamp in its one query."""
    stamps: dict[str, Subquery] = {}
    for name, model, changed in (
        ("programs", StoredProgram, "pk"),
        ("sessions", SessionLog, "updated_at"),
        ("ratings", SelfRating, "updated_at"),
        ("readings", InstrumentReading, "pk"),
        ("photos", PhotoMeasurement, "pk"),
    ):
        rows = model._default_manager.filter(client=OuterRef("pk")).order_by().values("client")
        stamps[f"{name}_n"] = Subquery(rows.annotate(v=Count("pk")).values("v"))
        stamps[f"{name}_last"] = Subquery(rows.annotate(v=Max(changed)).values("v"))
    # A corrected reading keeps its id and has no time of change: its value, repeat number and
    # day show the correction.
    rows = InstrumentReading.objects.filter(client=OuterRef("pk")).order_by().values("client")
    for name, aggregate in (
        ("values", Sum("value")),
        ("repeats", Sum("repeat")),
        ("first_day", Min("date")),
        ("last_day", Max("date")),
    ):
        stamps[f"readings_{name}"] = Subquery(rows.annotate(v=aggregate).values("v"))
    return stamps


@functools.cache
def _stamp_names() -> tuple[str, ...]:
    return tuple(sorted(journal_stamp_fields()))


def stamp_of(values: dict[str, Any]) -> str:
    """Give the stamp made of the values of :func:`journal_stamp_fields` (other keys ignored)."""
    text = "|".join(f"{k}={values[k]}" for k in _stamp_names())
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def journal_stamp(client: Client) -> str:
    """Give a short fingerprint of what the dashboard is made from (the plan, sessions,
    self-ratings, readings and photo measurements): it changes when any of them does. One query,
    made once per process (building it took longer than running it)."""
    compiler, names, sql, params, at = _stamp_query(connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, (*params[:at], client.pk, *params[at + 1 :]))
        row = cursor.fetchone()
    if row is None:
        raise Client.DoesNotExist(f"no client {client.pk}")
    # The values as the ORM gives them (a client list's annotations make the same stamp).
    values = next(iter(compiler.results_iter(results=[[row]])))
    return stamp_of(dict(zip(names, values, strict=True)))


_ANY_CLIENT = -7_654_321  # stands for the client's id while the stamp's query is made


@functools.cache
def _stamp_query(alias: str) -> tuple[Any, tuple[str, ...], str, tuple[Any, ...], int]:
    """Give the stamp's query made for the database ``alias``: its compiler, the names of its
    columns in order, its SQL and parameters, and where the client's id goes among them."""
    rows = Client.objects.using(alias).filter(pk=_ANY_CLIENT)
    query = rows.annotate(**journal_stamp_fields()).values(*_stamp_names()).query
    compiler = query.get_compiler(using=alias)
    sql, params = compiler.as_sql()
    names = tuple(alias for _, _, alias in compiler.select)  # in the order the query gives
    return compiler, names, sql, tuple(params), list(params).index(_ANY_CLIENT)


def make_dashboard(client: Client, today: dt.date) -> Dashboard:
    """Give the client's progress dashboard as of ``today``, analysed afresh."""
    progress = stored_journal_progress(client, today)
    charts, split = dashboard_charts(progress)
    adherence = progress.adherence
    this_week = None
    recent: list[WeekAdherence] = []
    if adherence is not None:
        recent = [
            w
            for w in adherence.weeks
            if w.week_start > week_start(today) - dt.timedelta(weeks=RECENT_WEEKS)
        ]
        if recent and recent[-1].week_start == week_start(today):
            this_week = recent[-1]
    by_series = {(c.metric, c.zone, c.side): c for c in charts}
    library = load_library()
    program = progress.program
    return Dashboard(
        today=today,
        adherence=adherence,
        this_week=this_week,
        recent_planned=sum(w.planned for w in recent),
        recent_done=sum(w.done for w in recent),
        ratings=tuple(c for c in charts if c.kind == "self_rating"),
        photos=tuple(c for c in charts if c.kind == "photo"),
        instruments=tuple(c for c in charts if c.kind == "instrument"),
        split_face=split,
        treated_side=progress.treated_side if split else None,
        notes=tuple(progress.result.notes),
        evidence=tuple(library.evidence[i] for i in REPORT_EVIDENCE_IDS if i in library.evidence),
        period=progress.period,
        verdict_counts=count_verdicts(c.verdict for c in charts),
        trial=split_face_trial(client, today) if split else None,
        verdict_words=verdict_sentence(program, today) if program else "",
        concerns=tuple(ConcernCard.of(c, by_series) for c in progress.result.concerns),
    )


def dashboard_charts(
    progress: JournalProgress,
) -> tuple[tuple[SeriesChart, ...], tuple[SeriesChart, ...]]:
    """Give one chart per analysed series and per split-face difference (massaged side minus
    the other), each made from the points its analysis was judged on."""
    charts, split = SeriesChart.all_of(progress.result, progress.treated_side)
    # The dashboard's split-face cards keep the light caveat of a photo measure, which the
    # report leaves out since the difference cancels the light.
    split = tuple(
        dataclasses.replace(c, caveats=(*c.caveats, FOLLOWS_LIGHT_CAVEAT))
        if c.kind == "photo" and follows_light(c.metric) and c.side == SPLIT_SIDE
        else c
        for c in split
    )
    return charts, split


ReportFormat = Literal["pdf", "html"]
REPORT_FORMATS: tuple[ReportFormat, ...] = ("pdf", "html")
