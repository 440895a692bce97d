"""The journal's pages: the listing, peptides, self-rating, readings import and calendar."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as WebClient
from django.urls import reverse

from collagen_coach.web.journal import services as journal
from collagen_coach.web.journal.models import InstrumentReading, PeptideIntake, SelfRating
from collagen_coach.web.plans.services import save_program
from web.builders import program

pytestmark = pytest.mark.postgres

TODAY = dt.date.today()
GOOD_CSV = (
    "date,instrument,parameter,zone,side,value,unit\n"
    f"{TODAY - dt.timedelta(days=3)},cutometer,R2,cheeks,left,0.71,\n"
    f"{TODAY - dt.timedelta(days=3)},cutometer,R2,cheeks,right,0.69,\n"
)
SCORES = {"firmness": 6, "elasticity": 5, "fine_lines": 4, "glow": 6, "sagging": 5}


def csv_upload(text: str, name: str = "cutometer.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_the_journal_lists_the_last_30_days_newest_first(browser_of):
    web, ann = browser_of("ann")
    journal.log_peptides(ann, TODAY, "5", "Verisol")
    journal.rate(ann, TODAY - dt.timedelta(days=2), **SCORES)
    journal.log_peptides(ann, TODAY - dt.timedelta(days=31), "2.5")  # outside the period

    page = web.get(reverse("journal:index")).content.decode()

    assert page.index("Collagen peptides: 5 g (Verisol)") < page.index("Self-rating: firmness 6")
    assert "2.5 g" not in page


def test_the_journal_shows_a_chosen_period(browser_of):
    web, ann = browser_of("ann")
    journal.log_peptides(ann, TODAY - dt.timedelta(days=40), "2.5")

    day = TODAY - dt.timedelta(days=40)
    page = web.get(reverse("journal:index"), {"start": day, "end": day}).content.decode()

    assert "Collagen peptides: 2.5 g" in page


def test_a_period_ending_before_it_starts_is_named(browser_of):
    web, _ = browser_of("ann")

    page = web.get(
        reverse("journal:index"), {"start": TODAY, "end": TODAY - dt.timedelta(days=1)}
    ).content.decode()

    assert "is before the start" in page


def test_sessions_show_their_steps_done_and_skipped(browser_of):
    web, ann = browser_of("ann")
    save_program(ann, program(dates=[TODAY]))
    log = journal.start_session_log(ann, TODAY)
    journal.record_step(log, 0, 60)
    journal.record_step(log, 1, 10, skipped=True)
    journal.abandon_session_log(log)

    page = web.get(reverse("journal:index")).content.decode()

    assert "Session stopped early" in page
    assert "1 of 4 steps done, 1 skipped or cut short" in page


def test_logging_peptides_saves_the_dose_and_shows_the_evidence(browser_of):
    web, ann = browser_of("ann")

    form = web.get(reverse("journal:peptides")).content.decode()
    response = web.post(
        reverse("journal:peptides"), {"date": TODAY, "grams": "5", "product": "Verisol"}
    )

    assert "evidence: MA (meta-analysis" in form
    assert "evidence: NONE (no study found)" in form
    assert response.status_code == 302
    dose = PeptideIntake.objects.get(client=ann)
    assert (dose.grams, dose.product) == (Decimal("5.00"), "Verisol")


@pytest.mark.parametrize(
    ("given", "message"),
    [
        pytest.param({"grams": "0.2"}, "Enter at least 0.5 g.", id="too-little"),
        pytest.param({"grams": "31"}, "Enter at most 30 g.", id="too-much"),
        pytest.param({"grams": "lots"}, "Enter a number of grams", id="not-a-number"),
        pytest.param({"date": "2099-01-01"}, "is in the future", id="future-day"),
        pytest.param({"product": "x" * 201}, "at most 200 characters", id="long-product"),
    ],
)
def test_a_bad_dose_is_named_and_nothing_is_saved(browser_of, given, message):
    web, _ = browser_of("ann")

    response = web.post(reverse("journal:peptides"), {"date": TODAY, "grams": "5", **given})

    assert response.status_code == 200
    assert message in response.content.decode()
    assert PeptideIntake.objects.count() == 0


def test_rating_twice_the_same_day_updates_the_rating_and_says_so(browser_of):
    web, ann = browser_of("ann")
    web.post(reverse("journal:rating"), {"date": TODAY, **SCORES})

    form = web.get(reverse("journal:rating")).content.decode()
    response = web.post(
        reverse("journal:rating"), {"date": TODAY, **SCORES, "glow": 8}, follow=True
    )

    assert "saving again replaces it" in form
    assert "replaced the earlier one" in response.content.decode()
    assert SelfRating.objects.get(client=ann).glow == 8


def test_the_rating_form_says_what_each_end_of_a_scale_means(browser_of):
    web, _ = browser_of("ann")

    page = web.get(reverse("journal:rating")).content.decode()

    # Better is on the right on every scale: firmness runs up, fine lines run down.
    assert re.search(r"0 = slack</span>\s*<span class=\"scale-better\">10 = very firm", page)
    assert re.search(r"10 = many</span>\s*<span class=\"scale-better\">0 = none", page)


def test_a_bad_rating_names_each_bad_field_and_saves_nothing(browser_of):
    web, _ = browser_of("ann")

    page = web.post(
        reverse("journal:rating"), {"date": TODAY, **SCORES, "glow": 11, "sagging": ""}
    ).content.decode()

    assert "11 is not on the scale: choose a number from 0 (dull) to 10 (radiant)." in page
    assert "Not rated yet: choose a number from 10 (marked) to 0 (none)." in page
    assert SelfRating.objects.count() == 0


def test_importing_readings_says_how_many_were_added_and_already_there(browser_of):
    web, ann = browser_of("ann")

    first = web.post(reverse("journal:readings"), {"file": csv_upload(GOOD_CSV)})
    again = web.post(reverse("journal:readings"), {"file": csv_upload(GOOD_CSV)})

    assert "2 readings added,\n    0 already there" in first.content.decode()
    assert "0 readings added,\n    2 already there" in again.content.decode()
    assert InstrumentReading.objects.filter(client=ann).count() == 2


def test_a_readings_file_with_bad_lines_names_every_one_and_imports_nothing(browser_of):
    web, _ = browser_of("ann")
    text = GOOD_CSV + (
        f"{TODAY},cutometer,R2,chekes,left,0.7,\n"
        f"{TODAY},cutometer,R2,cheeks,left,abc,\n"
        "2099-01-01,cutometer,R2,cheeks,left,0.7,\n"
    )

    page = web.post(reverse("journal:readings"), {"file": csv_upload(text)}).content.decode()

    assert "Nothing was imported." in page
    assert "cutometer.csv line 4, zone: &#x27;chekes&#x27; is not a zone" in page
    assert "cutometer.csv line 5, value: &#x27;abc&#x27; is not a number" in page
    assert "cutometer.csv line 6, date: 2099-01-01 is in the future" in page
    assert InstrumentReading.objects.count() == 0


def test_a_file_that_is_not_csv_is_refused(browser_of):
    web, _ = browser_of("ann")

    page = web.post(
        reverse("journal:readings"), {"file": csv_upload("hello", name="notes.txt")}
    ).content.decode()

    assert "notes.txt is not a .csv file" in page


def test_the_calendar_downloads_the_planned_sessions_with_the_reminder(browser_of):
    web, ann = browser_of("ann")
    save_program(ann, program(sessions=3))

    response = web.get(
        reverse("journal:calendar"), {"at": "07:30", "reminder": "30", "tz": "Europe/Berlin"}
    )

    assert response["Content-Type"].startswith("text/calendar")
    assert "attachment" in response["Content-Disposition"]
    ics = response.content.decode()
    assert ics.count("BEGIN:VEVENT") == 3
    assert "TRIGGER:-PT30M" in ics
    assert "DTSTART;TZID=Europe/Berlin:20250303T073000" in ics


@pytest.mark.parametrize(
    ("given", "message"),
    [
        pytest.param({"reminder": "2000"}, "from 0 to 1440", id="reminder-too-long"),
        pytest.param({"at": "25:00"}, "Enter a time such as 08:00.", id="bad-time"),
        pytest.param(
            {"tz": "Mars/Olympus"},
            "Mars/Olympus is not a time zone this computer knows: choose one from the list",
            id="bad-zone",
        ),
    ],
)
def test_bad_calendar_options_are_named(browser_of, given, message):
    web, ann = browser_of("ann")
    save_program(ann, program())

    response = web.get(
        reverse("journal:calendar"), {"at": "08:00", "reminder": "15", "tz": "UTC", **given}
    )

    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()


def test_the_calendar_form_names_its_default_zone_and_asks_the_browser_for_its_own(
    browser_of, settings
):
    settings.TIME_ZONE = "America/New_York"
    web, ann = browser_of("ann")
    save_program(ann, program())

    page = web.get(reverse("journal:calendar")).content.decode()

    assert '<option value="America/New_York" selected>' in page
    assert "Set to America/New York, this computer" in page
    assert 'id="id_tz_source"' in page  # where the script says it filled in the browser's
    assert "data-browser-time-zone" in page
    assert "js/time-zone.js" in page


def test_the_calendar_without_a_plan_says_so(browser_of):
    web, _ = browser_of("ann")

    page = web.get(reverse("journal:calendar")).content.decode()

    assert "You have no plan yet" in page


@pytest.mark.parametrize(
    "name",
    ["journal:index", "journal:peptides", "journal:rating", "journal:readings", "journal:calendar"],
)
def test_signed_out_the_journal_pages_lead_to_sign_in(db, name):
    response = WebClient().get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_another_persons_entries_are_not_shown(browser_of):
    _, ann = browser_of("ann")
    journal.log_peptides(ann, TODAY, "7.5", "Ann's own")
    bob, _ = browser_of("bob")

    page = bob.get(reverse("journal:index")).content.decode()

    assert "7.5 g" not in page
