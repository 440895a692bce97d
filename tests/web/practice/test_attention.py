"""Who needs attention in a practice, and why: each signal's rule on a day the test chooses,
and the practitioner's home that shows them (today's clients first, her own routine apart)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from web.browser.live_server import Clock

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DAY = dt.date(2031, 3, 12)  # a Wednesday: "today" in these tests


def _plan(client: Any, days: list[dt.date]) -> Any:
    from collagen_coach.web.plans.services import save_program
    from web import builders

    return save_program(client, builders.program(start=min(days), dates=sorted(days)))


def _log(
    client: Any,
    day: dt.date,
    *,
    status: str = "completed",
    pain: bool | None = False,
    redness: bool | None = False,
    place: str = "home",
) -> Any:
    from collagen_coach.web.journal.models import SessionLog

    start = dt.datetime.combine(day, dt.time(8), tzinfo=dt.UTC)
    return SessionLog.objects.create(
        client=client,
        planned_date=day,
        started_at=start,
        finished_at=start + dt.timedelta(minutes=10) if status == "completed" else None,
        status=status,
        pain=pain,
        redness=redness,
        place=place,
    )


def _day_of(client: Any, today: dt.date = DAY) -> Any:
    from collagen_coach.web.practice.attention import practice_day

    return practice_day(client.practice, today)[client.pk]


@pytest.fixture
def clock(tmp_path: Path) -> Iterator[Clock]:
    """The app's today is DAY (moved by the test through the clock file)."""
    moved = Clock(tmp_path / "clock.txt")
    moved.set(DAY)
    with override_settings(CLOCK_FILE=str(moved.path)):
        yield moved


# ---------------------------------------------------------------------------------------------
# Each signal's rule


@pytest.mark.parametrize(
    ("done_of_six", "missed"),
    [(6, False), (5, False), (4, True), (0, True)],
    ids=["all-done", "one-missed", "two-missed", "none-done"],
)
def test_two_planned_sessions_missed_in_the_last_seven_days_need_attention(
    done_of_six: int, missed: bool, studio: dict[str, Any]
) -> None:
    days = [DAY - dt.timedelta(days=n) for n in range(6, 0, -1)]
    _plan(studio["dan"], [*days, DAY])
    for day in days[:done_of_six]:
        _log(studio["dan"], day)

    day = _day_of(studio["dan"])

    assert day.has("missed") is missed
    assert day.planned_today
    assert not day.done_today
    if missed:
        assert day.reasons[0].words.startswith(f"missed {6 - done_of_six} of 6 planned sessions")


def test_missed_sessions_leave_the_window_as_the_days_go_by(studio: dict[str, Any]) -> None:
    _plan(studio["dan"], [DAY - dt.timedelta(days=3), DAY - dt.timedelta(days=2)])

    assert _day_of(studio["dan"], DAY).has("missed")
    assert _day_of(studio["dan"], DAY + dt.timedelta(days=4)).has("missed")  # 7 and 6 days ago
    assert not _day_of(studio["dan"], DAY + dt.timedelta(days=5)).has("missed")


def test_sessions_her_safety_check_paused_are_not_missed(studio: dict[str, Any]) -> None:
    from collagen_coach.core.screening import Intake, screen
    from collagen_coach.web.clients.services import save_intake

    days = [DAY - dt.timedelta(days=n) for n in range(6, 0, -1)]
    _plan(studio["dan"], [*days, DAY])
    fever = Intake(age=58, conditions=["fever"], as_of=days[4])  # no massage for 3 days
    save_intake(studio["dan"], fever, screen(fever, today=days[4]))
    for day in days[:2]:
        _log(studio["dan"], day)
    # Days 3 and 4 of the six were missed, 5 and 6 paused (the 3 days from day 5): two missed.
    (reason,) = [r for r in _day_of(studio["dan"]).reasons if r.signal == "missed"]
    assert reason.words.startswith("missed 2 of 4 planned sessions")
    _log(studio["dan"], days[2])
    assert not _day_of(studio["dan"]).has("missed")  # one missed, three paused


def test_a_started_but_unfinished_session_is_still_missed(studio: dict[str, Any]) -> None:
    days = [DAY - dt.timedelta(days=2), DAY - dt.timedelta(days=1)]
    _plan(studio["dan"], days)
    _log(studio["dan"], days[0], status="abandoned")

    assert _day_of(studio["dan"]).has("missed")


@pytest.mark.parametrize(
    ("pain", "redness", "days_ago", "words"),
    [
        (True, False, 0, "reported pain at the session of Wed 12 Mar"),
        (False, True, 3, "reported lasting redness at the session of Sun 9 Mar"),
        (True, True, 7, "reported pain and lasting redness at the session of Wed 5 Mar"),
        (True, True, 8, None),
        (False, False, 1, None),
    ],
    ids=["pain-today", "redness", "both-a-week-ago", "too-long-ago", "neither"],
)
def test_pain_or_redness_reported_in_the_last_week_needs_attention(
    pain: bool, redness: bool, days_ago: int, words: str | None, studio: dict[str, Any]
) -> None:
    _log(studio["dan"], DAY - dt.timedelta(days=days_ago), pain=pain, redness=redness)

    reasons = [r.words for r in _day_of(studio["dan"]).reasons if r.signal == "pain"]

    assert reasons == ([words] if words else [])


def test_several_sessions_with_redness_make_one_reason_naming_the_latest(
    studio: dict[str, Any],
) -> None:
    for days_ago in (5, 2):
        _log(studio["dan"], DAY - dt.timedelta(days=days_ago), redness=True)

    reasons = [r for r in _day_of(studio["dan"]).reasons if r.signal == "pain"]

    assert [r.words for r in reasons] == [
        "reported lasting redness at 2 sessions in the last 7 days (the latest on Mon 10 Mar)"
    ]
    assert reasons[0].short == "lasting redness 10 Mar"


@pytest.mark.parametrize(
    ("days_after_check", "ending"),
    [(-1, False), (0, True), (7, True), (8, False)],
    ids=["a-day-too-early", "screened-today", "lifts-today", "lifted-yesterday"],
)
def test_a_pause_ending_within_a_week_needs_attention(
    days_after_check: int, ending: bool, studio: dict[str, Any]
) -> None:
    from collagen_coach.core.screening import Intake, screen
    from collagen_coach.web.clients.services import save_intake

    flare = Intake(age=60, conditions=["rosacea_flare"], as_of=DAY)
    decision = screen(flare, today=DAY)
    assert decision.decision == "defer"
    assert decision.resume_on == DAY + dt.timedelta(days=7)
    save_intake(studio["dan"], flare, decision)

    day = _day_of(studio["dan"], DAY + dt.timedelta(days=days_after_check))

    assert day.has("restriction") is ending
    if ending:
        words = next(r.words for r in day.reasons if r.signal == "restriction")
        assert words.startswith("pause lifts on Wed 19 Mar") or words.startswith(
            "pause lifted today"
        )


def test_a_go_decision_has_no_restriction_to_end(studio: dict[str, Any]) -> None:
    from collagen_coach.core.screening import Intake, screen
    from collagen_coach.web.clients.services import save_intake

    answers = Intake(age=58, as_of=DAY)
    save_intake(studio["dan"], answers, screen(answers, today=DAY))

    assert not _day_of(studio["dan"]).has("restriction")


@pytest.mark.parametrize(
    ("days_ago", "new"), [(2, True), (6, True), (8, False)], ids=["2-days", "6-days", "8-days"]
)
def test_a_verdict_changed_in_the_last_week_is_a_reason_naming_it(
    days_ago: int, new: bool, studio: dict[str, Any]
) -> None:
    from collagen_coach.web.progress.models import ProgressPage

    ProgressPage.objects.create(
        client=studio["dan"],
        made_for="x",
        body="",
        verdicts=b"",
        verdicts_changed_at=timezone.now() - dt.timedelta(days=days_ago),
        verdict_changes=[["Glow", "no_change_detected", "worsening"]],
    )

    day = _day_of(studio["dan"], dt.date.today())
    assert day.has("verdict") is new
    if new:
        assert "glow now worsening (was no change detected)" in day.reasons[0].words


def test_verdicts_change_when_a_concern_reads_otherwise_not_when_worked_out_again(
    studio: dict[str, Any],
) -> None:
    from collagen_coach.web.journal.services import rate
    from collagen_coach.web.progress.models import ProgressPage
    from collagen_coach.web.progress.stored_page import follow_change

    cora, today = studio["cora"], dt.date.today()

    def rated(days: int, firmness: Callable[[int], int]) -> None:
        for n in range(days):
            scores = {"elasticity": 5, "fine_lines": 4, "glow": 6, "sagging": 3}
            rate(cora, today - dt.timedelta(days=n), firmness=firmness(n), **scores)
        follow_change(cora, today, ["ratings"])  # what the worker does after a rating

    def changes() -> tuple[Any, list[Any]]:
        return ProgressPage.objects.values_list("verdicts_changed_at", "verdict_changes").get()

    rated(14, lambda n: 5)  # two weeks: not enough data to judge, the first page stored
    assert changes() == (None, [])
    assert not _day_of(cora, today).has("verdict")
    rated(70, lambda n: max(1, 9 - n // 8))  # ten weeks, firmness rising to this week
    changed_at, changed = changes()
    assert changed[0] == ["Firmness", "not_enough_data", "improving"]
    reason = next(r for r in _day_of(cora, today).reasons if r.signal == "verdict")
    assert "firmness now improving (was not enough data yet), and " in reason.words
    follow_change(cora, today, ["ratings"])  # worked out again, nothing new: nothing changed
    assert changes() == (changed_at, changed)


@pytest.mark.parametrize(
    ("place", "days_ago", "noted", "to_write"),
    [
        ("clinic", 3, False, True),
        ("clinic", 3, True, False),
        ("home", 3, False, False),
        ("clinic", 15, False, False),
    ],
    ids=["clinic-no-note", "clinic-with-note", "at-home", "too-long-ago"],
)
def test_a_session_in_the_clinic_without_a_note_is_a_note_to_write(
    place: str, days_ago: int, noted: bool, to_write: bool, studio: dict[str, Any]
) -> None:
    from collagen_coach.web.practice.models import SessionNote

    log = _log(studio["dan"], DAY - dt.timedelta(days=days_ago), place=place)
    if noted:
        SessionNote.objects.create(client=studio["dan"], session_log=log, author=studio["pat"])

    assert _day_of(studio["dan"]).has("note") is to_write


def test_reasons_come_in_the_order_a_practitioner_reads_them(studio: dict[str, Any]) -> None:
    days = [DAY - dt.timedelta(days=n) for n in (4, 3, 2)]
    _plan(studio["dan"], days)
    _log(studio["dan"], days[0], place="clinic", redness=True)

    signals = [r.signal for r in _day_of(studio["dan"]).reasons]

    assert signals == ["missed", "pain", "note"]


# ---------------------------------------------------------------------------------------------
# The practitioner's home


def _busy_studio(studio: dict[str, Any]) -> None:
    """Cora is planned today; Dan missed two sessions and reported redness; Gail (another
    practice) missed sessions and had pain too."""
    _plan(studio["cora"], [DAY])
    days = [DAY - dt.timedelta(days=2), DAY - dt.timedelta(days=1)]
    _plan(studio["dan"], days)
    _log(studio["dan"], DAY - dt.timedelta(days=5), redness=True)
    _plan(studio["gail"], [*days, DAY])
    _log(studio["gail"], DAY - dt.timedelta(days=1), status="abandoned", pain=True)


def test_the_home_of_a_practitioner_shows_todays_clients_and_who_needs_attention(
    clock: Clock, studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    _busy_studio(studio)

    answer = browser(studio["pat"]).get(reverse("home"))

    assert answer.status_code == 200
    page = answer.content.decode()
    assert [name for _, name, _ in answer.context["planned_today"]] == ["Cora"]
    assert [name for _, name, _ in answer.context["needing"]] == ["Dan"]
    assert "Today at Skin Studio" in page
    assert "Missed 2 of 2 planned sessions in the last 7 days" in page
    assert "Reported lasting redness at the session of Fri 7 Mar" in page
    assert reverse("clinic:timeline", kwargs={"client_id": studio["dan"].pk}) in page
    assert "Gail" not in page  # another practice's client, whatever her signals


def test_the_home_follows_the_clock(
    clock: Clock, studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    _busy_studio(studio)
    web = browser(studio["pat"])

    clock.advance(8)  # Dan's missed sessions and redness are more than a week old
    answer = web.get(reverse("home"))

    assert answer.context["needing"] == []
    assert answer.context["planned_today"] == []
    assert "Nobody needs attention" in answer.content.decode()


def test_a_practitioner_is_not_asked_for_her_own_safety_check_at_home(
    studio: dict[str, Any], browser: Callable[..., Any]
) -> None:
    web = browser(studio["pat"])  # pat has records of her own, without a safety check

    home = web.get(reverse("home")).content.decode()
    own = web.get(reverse("my_routine"))

    main = home.split('id="main"')[1]
    assert "safety check" not in main.split('id="own-routine"')[0].lower()
    assert reverse("my_routine") in home
    assert own.status_code == 200
    assert own.context["step"] == "intake"  # her own routine starts with her own check
    assert "My own routine" in own.content.decode()


def test_a_self_carer_keeps_her_today_and_has_no_separate_routine(
    browser_of: Callable[..., Any],
) -> None:
    web, _ = browser_of("ann")

    home = web.get(reverse("home"))

    assert home.status_code == 200
    assert home.context["step"] == "intake"
    assert "My own routine" not in home.content.decode()
    assert web.get(reverse("my_routine"))["Location"] == reverse("home")


def test_the_home_takes_as_many_queries_for_30_clients_as_for_3(
    clock: Clock,
    make_practice: Callable[..., Any],
    make_practice_client: Callable[..., Any],
    browser: Callable[..., Any],
) -> None:
    practice, olive = make_practice()
    web = browser(olive)

    from collagen_coach.web.practice.models import ClientAttention

    def grow(first: int, last: int) -> None:
        for n in range(first, last):
            client = make_practice_client(practice, f"Client {n:02}")
            _plan(client, [DAY - dt.timedelta(days=2), DAY - dt.timedelta(days=1), DAY])
            _log(client, DAY - dt.timedelta(days=3), place="clinic", pain=True)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert web.get(reverse("home")).status_code == 200
        return len(captured)

    grow(0, 3)
    web.get(reverse("home"))
    ClientAttention.objects.update(computed_on=None)  # a new day: every kept day worked out
    new_day_for_3 = queries()
    for_3 = queries()
    grow(3, 30)
    with_27_new = queries()
    for_30 = queries()

    assert for_30 == for_3
    assert with_27_new == new_day_for_3
    home = web.get(reverse("home"))
    assert home.context["needing_total"] == 30
    assert len(home.context["needing"]) == 20  # the rest: the list's "needs attention"
    assert "30 clients need attention: see them all" in home.content.decode()
