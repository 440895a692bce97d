"""The journal's forms: the period to list, peptides, self-rating, readings file, calendar."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings

from collagen_coach.core import measures
from collagen_coach.core.calendar import MAX_REMINDER_MINUTES
from collagen_coach.core.measures import EARLIEST_DAY
from collagen_coach.core.words import day_in_words
from collagen_coach.web.journal import checks
from collagen_coach.web.journal.models import PEPTIDE_MAX_GRAMS
from collagen_coach.web.journal.readings import HEADER_HELP
from collagen_coach.web.journal.services import PRODUCT_MAX_CHARS, UNIT_MAX_CHARS
from collagen_coach.web.lib.dates import today as computer_today

DEFAULT_PERIOD_DAYS = 30
PEPTIDE_MIN_GRAMS = Decimal("0.5")
READINGS_MAX_BYTES = 1024 * 1024


class ScaleField(forms.TypedChoiceField):
    """A self-rating as a row of eleven buttons, the worse end on the left and the better end on
    the right for every scale (``core.measures.scale_worse_to_better``); none chosen at first,
    so a scale left alone is "not rated", never 0."""

    def __init__(self, scale: str) -> None:
        self.worse, self.better = measures.scale_worse_to_better(scale)
        worse, better = self.worse, self.better
        step = 1 if better.score > worse.score else -1
        allowed = (
            f"choose a number from {worse.score} ({worse.words}) to {better.score} "
            f"({better.words})."
        )
        super().__init__(
            label=measures.MEASURES[scale].short_title,
            coerce=int,
            choices=[
                (score, str(score)) for score in range(worse.score, better.score + step, step)
            ],
            help_text=f"{worse.score} = {worse.words}, {better.score} = {better.words}.",
            widget=forms.RadioSelect,
            error_messages={
                "required": f"Not rated yet: {allowed}",
                "invalid_choice": f"%(value)s is not on the scale: {allowed}",
            },
        )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _not_future(day: dt.date) -> dt.date:
    if day > computer_today():
        raise forms.ValidationError(
            f"{day_in_words(day, year=True)} is in the future: choose today or earlier."
        )
    if day < EARLIEST_DAY:
        raise forms.ValidationError(
            f"{day.isoformat()} is too long ago: "
            f"choose a day from {day_in_words(EARLIEST_DAY, year=True)} on."
        )
    return day


class PeriodForm(forms.Form):
    """The days to list: from ``start`` to ``end``, both included (default: the last 30 days)."""

    start = forms.DateField(label="From", widget=DateInput(), required=False)
    end = forms.DateField(label="To", widget=DateInput(), required=False)

    def period(self) -> tuple[dt.date, dt.date]:
        """Give the chosen period, or the last 30 days where a day is not given or not valid."""
        end = computer_today()
        start = end - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        if not self.is_bound or not self.is_valid():
            return start, end
        end = self.cleaned_data.get("end") or end
        start = self.cleaned_data.get("start") or end - dt.timedelta(days=DEFAULT_PERIOD_DAYS - 1)
        return start, end

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error(
                "end",
                f"The end, {day_in_words(end, year=True)}, is before the start: "
                "choose a later day.",
            )
        return data


class PeptidesForm(forms.Form):
    """One dose of collagen peptides."""

    date = forms.DateField(label="Day taken", widget=DateInput(), help_text="Today or earlier.")
    grams = forms.DecimalField(
        label="Amount in grams",
        min_value=PEPTIDE_MIN_GRAMS,
        max_value=PEPTIDE_MAX_GRAMS,
        max_digits=4,
        decimal_places=2,
        help_text=f"From {PEPTIDE_MIN_GRAMS} to {PEPTIDE_MAX_GRAMS} g, e.g. 2.5 or 10.",
        error_messages={
            "min_value": f"Enter at least {PEPTIDE_MIN_GRAMS} g.",
            "max_value": f"Enter at most {PEPTIDE_MAX_GRAMS} g.",
            "max_decimal_places": "Use at most two decimals, e.g. 2.5.",
            "invalid": f"Enter a number of grams from {PEPTIDE_MIN_GRAMS} to {PEPTIDE_MAX_GRAMS}.",
        },
    )
    product = forms.CharField(
        label="Product (optional)",
        max_length=PRODUCT_MAX_CHARS,
        required=False,
        help_text=f"The brand or product name, up to {PRODUCT_MAX_CHARS} characters.",
    )

    def clean_date(self) -> dt.date:
        return _not_future(self.cleaned_data["date"])


class ReadingForm(forms.Form):
    """One instrument reading as corrected by hand: its day, value and unit."""

    date = forms.DateField(label="Day measured", widget=DateInput(), help_text="Today or earlier.")
    value = forms.FloatField(
        label="Value",
        help_text="A number the instrument can give, e.g. 0.71.",
        error_messages={"invalid": "Enter a number, e.g. 0.71."},
    )
    unit = forms.CharField(label="Unit (optional)", max_length=UNIT_MAX_CHARS, required=False)

    def clean_date(self) -> dt.date:
        return _not_future(self.cleaned_data["date"])


class RatingForm(forms.Form):
    """How the skin looks and feels today, five scales from 0 to 10."""

    date = forms.DateField(label="Day", widget=DateInput(), help_text="Today or earlier.")
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=checks.NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=f"Anything you noticed, up to {checks.NOTE_MAX_CHARS} characters.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scales: dict[str, forms.Field] = {}
        for scale in measures.SELF_RATINGS:
            scales[scale] = ScaleField(scale)
        # The scales first, then the note: the order a person fills them in.
        note = self.fields.pop("note")
        self.fields.update(scales)
        self.fields["note"] = note

    def clean_date(self) -> dt.date:
        return _not_future(self.cleaned_data["date"])

    def scale_fields(self) -> list[forms.BoundField]:
        return [self[scale] for scale in measures.SELF_RATINGS]


class ReadingsForm(forms.Form):
    """A CSV file of instrument readings."""

    file = forms.FileField(
        label="Readings file (.csv)",
        help_text=f"A CSV file with the header {HEADER_HELP}, one reading a line.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError(f"{upload.name} is not a .csv file: choose a CSV file.")
        if upload.size > READINGS_MAX_BYTES:
            raise forms.ValidationError(
                "The file is larger than 1 MB: split it into smaller files."
            )
        return upload


def _time_zones() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class CalendarForm(forms.Form):
    """Options of the calendar file: start time, reminder and time zone."""

    at = forms.TimeField(
        label="Session time",
        initial=dt.time(8, 0),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="When you mean to do your session, e.g. 08:00.",
        error_messages={"invalid": "Enter a time such as 08:00."},
    )
    reminder = forms.IntegerField(
        label="Reminder, minutes before",
        initial=15,
        min_value=0,
        max_value=MAX_REMINDER_MINUTES,
        help_text=f"From 0 (at the time) to {MAX_REMINDER_MINUTES} (a day before).",
        error_messages={
            "invalid": f"Enter whole minutes from 0 to {MAX_REMINDER_MINUTES}.",
            "min_value": f"Enter whole minutes from 0 to {MAX_REMINDER_MINUTES}.",
            "max_value": f"Enter whole minutes from 0 to {MAX_REMINDER_MINUTES}.",
        },
    )
    tz = forms.ChoiceField(
        label="Time zone",
        choices=_time_zones,
        error_messages={
            "invalid_choice": "%(value)s is not a time zone this computer knows: choose one "
            "from the list, e.g. Europe/London or America/New York."
        },
        # The page fills in the browser's own zone (js/time-zone.js) when it is in the list.
        widget=forms.Select(attrs={"data-browser-time-zone": ""}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Without the browser's zone (no JavaScript), the server's: the self-carer's own computer.
        self.fields["tz"].initial = settings.TIME_ZONE
        self.fields["tz"].help_text = (
            "Where you will do your sessions, so an 08:00 session is at 08:00 on your clock "
            "all year."
        )

    @property
    def zone_source(self) -> str:
        """Give where the time zone shown first comes from (the page's script says so anew when
        it fills in the browser's)."""
        return (
            f"Set to {settings.TIME_ZONE.replace('_', ' ')}, this computer's time zone: choose "
            "yours from the list if it is different."
        )
