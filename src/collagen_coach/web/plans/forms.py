"""The profile a plan is made for: what bothers you, how much time you have, how you start."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from pydantic import ValidationError as PydanticValidationError

from collagen_coach.core.baseline import SKIP_COST
from collagen_coach.core.planning import (
    START_AHEAD_DAYS,
    START_BACK_DAYS,
    load_concerns,
    validation_to_user_error,
)
from collagen_coach.core.planning import Profile as PlanProfile
from collagen_coach.core.screening import Intake
from collagen_coach.core.techniques import CONCERNS, load_library
from collagen_coach.core.trials import (
    BLOCK_WEEKS,
    DRAW_WHY,
    SideDraw,
    settle_side,
    side_answer,
    trial_problem,
)
from collagen_coach.core.words import day_in_words
from collagen_coach.web.lib.dates import today as computer_today
from collagen_coach.web.lib.voice import OWN, Said, Voice, choices_in_voice, word_fields

# Each choice in the person's own words and, where they differ, in her practitioner's.
EXPERIENCE_CHOICES: list[tuple[str, str | Said]] = [
    ("new", Said("I am new to facial massage", "The client is new to facial massage")),
    ("some", Said("I have tried it a few times", "The client has tried it a few times")),
    (
        "practised",
        Said(
            "I do it regularly and know the strokes",
            "The client does it regularly and knows the strokes",
        ),
    ),
]
SENSITIVITY_CHOICES: list[tuple[str, str | Said]] = [
    ("low", Said("My skin rarely reacts", "The client's skin rarely reacts")),
    ("normal", "Normal"),
    (
        "high",
        Said(
            "My skin reddens, stings or marks easily",
            "The client's skin reddens, stings or marks easily",
        ),
    ),
]
PEPTIDE_CHOICES: list[tuple[str, str | Said]] = [
    ("no", "No, thank you"),
    ("yes", Said("Yes, add them to my daily items", "Yes, add them to the client's daily items")),
]
SIDE_CHOICES: list[tuple[str, str | Said]] = [
    ("both", "Both sides (the usual way)"),
    (
        "draw",
        Said(
            "One side, as a split-face trial: draw the side for me (recommended)",
            "One side, as a split-face trial: draw the side (recommended)",
        ),
    ),
    (
        "left",
        Said(
            "One side, as a split-face trial: my left side, chosen by me",
            "One side, as a split-face trial: the client's left side, chosen by you",
        ),
    ),
    (
        "right",
        Said(
            "One side, as a split-face trial: my right side, chosen by me",
            "One side, as a split-face trial: the client's right side, chosen by you",
        ),
    ),
]
SCHEDULE_CHOICES = [
    ("steady", "Every week (the usual way)"),
    (
        "on_off",
        f"On and off, as a trial: {BLOCK_WEEKS} weeks with massage, then {BLOCK_WEEKS} weeks "
        "without, in turn",
    ),
]


def concern_choices() -> list[tuple[str, str]]:
    """Give the concerns a person can name, in plain words: (id, "Name: what it means")."""
    # The concerns' names and meanings are data (core/data/concerns.yaml), read by the planner.
    concerns = load_concerns()
    return [(c, f"{concerns[c].name}: {concerns[c].means}") for c in CONCERNS]


def _peptide_help() -> str:
    evidence = load_library().evidence["collagen_peptides"]
    return f"{evidence.claim} ({evidence.label}) {evidence.caveat}"


def _weeks_help() -> str:
    evidence = load_library().evidence["judge_after_8_weeks"]
    return f"{evidence.claim} ({evidence.label})"


def _bounded(label: str, low: int, high: int, help_text: str, unit: str) -> forms.IntegerField:
    message = f"Give a whole number of {unit} from {low} to {high}."
    return forms.IntegerField(
        label=label,
        help_text=help_text,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short-input"}),
        error_messages={
            "required": message,
            "invalid": message,
            "min_value": message,
            "max_value": message,
        },
        min_value=low,
        max_value=high,
    )


class ChoiceList(forms.RadioSelect):
    """Radio buttons laid out as a list of large, tappable choices."""

    def __init__(self) -> None:
        super().__init__(attrs={"class": "choice-list"})


class ProfileForm(forms.Form):
    """The answers the planner needs, with the limits it accepts.

    ``voice`` says who fills it in: the person herself (``own``, the default) or her
    practitioner for her (``client``); every question is then worded for that reader.
    """

    # Labels, help and messages that differ by voice, each pair written once.
    VOICED: ClassVar[list[tuple[str, str, Said]]] = [
        ("age", "label", Said("Your age", "The client's age")),
        (
            "concerns",
            "label",
            Said(
                "What would you most like to improve?",
                "What would the client most like to improve?",
            ),
        ),
        (
            "experience",
            "label",
            Said(
                "Your experience with facial massage",
                "The client's experience with facial massage",
            ),
        ),
        (
            "experience",
            "required",
            Said(
                "Choose how much facial massage you have done before.",
                "Choose how much facial massage the client has done before.",
            ),
        ),
        (
            "sensitivity",
            "label",
            Said("How sensitive is your skin?", "How sensitive is the client's skin?"),
        ),
        (
            "sensitivity",
            "required",
            Said(
                "Choose how sensitive your skin is.",
                "Choose how sensitive the client's skin is.",
            ),
        ),
        (
            "start_date",
            "help_text",
            Said(
                "With a baseline week, this is your first measurement day.",
                "With a baseline week, this is the client's first measurement day. Take the "
                "baseline photos before the sessions start, so there is something to compare.",
            ),
        ),
        (
            "start_date",
            "required",
            Said("Give the day your plan starts.", "Give the day the client's plan starts."),
        ),
        (
            "baseline_week",
            "help_text",
            Said(
                "A photo and a rating on day 1, day 3 and day 5 from the first day of the "
                f"plan; your sessions start on day 6. {SKIP_COST}",
                "A photo and a rating on day 1, day 3 and day 5 from the first day of the "
                f"plan; the client's sessions start on day 6. {SKIP_COST}",
            ),
        ),
        (
            "treated_side",
            "label",
            Said("Which side of your face?", "Which side of the client's face?"),
        ),
        (
            "treated_side",
            "help_text",
            Said(
                "A split-face trial means massaging one side only and leaving the other as "
                "a comparison, so your photos can show whether the massage itself made a "
                f"difference. {DRAW_WHY}",
                "A split-face trial means massaging one side only and leaving the other as "
                "a comparison, so the client's photos can show whether the massage itself "
                "made a difference. Drawing the side at random takes away the pull to massage "
                "the side either of you expects to improve, so a difference between the "
                "client's sides says more about the massage itself.",
            ),
        ),
    ]

    age = _bounded("Your age", 18, 110, "In whole years.", "years")
    concerns = forms.MultipleChoiceField(
        label="What would you most like to improve?",
        help_text="Tick any; the plan gives those areas more time. None ticked: an even routine.",
        choices=concern_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "choice-list"}),
        error_messages={"invalid_choice": "Tick only the concerns listed."},
    )
    experience = forms.ChoiceField(
        label="Your experience with facial massage",
        help_text="Beginners start with gentle strokes; firmer techniques come later.",
        choices=choices_in_voice(EXPERIENCE_CHOICES, OWN),
        widget=ChoiceList(),
        error_messages={"required": "Choose how much facial massage you have done before."},
    )
    minutes_per_day = _bounded(
        "Minutes per session", 3, 60, "Most people start with 5 to 10 minutes.", "minutes"
    )
    days_per_week = _bounded("Sessions per week", 1, 7, "Five days a week works well.", "days")
    sensitivity = forms.ChoiceField(
        label="How sensitive is your skin?",
        help_text="Sensitive skin gets one level less pressure.",
        choices=choices_in_voice(SENSITIVITY_CHOICES, OWN),
        widget=ChoiceList(),
        error_messages={"required": "Choose how sensitive your skin is."},
    )
    wants_peptides = forms.ChoiceField(
        label="Include collagen peptides?",
        choices=choices_in_voice(PEPTIDE_CHOICES, OWN),
        widget=ChoiceList(),
        error_messages={"required": "Choose yes or no for collagen peptides."},
    )
    start_date = forms.DateField(
        label="First day of the plan",
        help_text="With a baseline week, this is your first measurement day.",
        widget=forms.DateInput(attrs={"type": "date", "class": "short-input"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Give the day your plan starts.",
            "invalid": "Give the start as a day on the calendar, e.g. 2026-12-01.",
        },
    )
    baseline_week = forms.BooleanField(
        label="Start with a baseline week (recommended)",
        help_text=f"A photo and a rating on day 1, day 3 and day 5 from the first day of the "
        f"plan; your sessions start on day 6. {SKIP_COST}",
        required=False,
        widget=forms.CheckboxInput(attrs={"aria-describedby": "id_baseline_week_helptext"}),
    )
    weeks = _bounded("Length of the plan in weeks", 4, 52, "", "weeks")
    treated_side = forms.ChoiceField(
        label="Which side of your face?",
        help_text="A split-face trial means massaging one side only and leaving the other as "
        "a comparison, so your photos can show whether the massage itself made a difference. "
        + DRAW_WHY,
        choices=choices_in_voice(SIDE_CHOICES, OWN),
        widget=ChoiceList(),
        error_messages={
            "required": "Choose both sides, or how to settle the one side to massage.",
            "invalid_choice": "Choose both sides, or how to settle the one side to massage.",
        },
    )
    schedule = forms.ChoiceField(
        label="Every week, or on and off?",
        help_text="Weeks without massage, measured as usual, are a comparison for the weeks "
        "with it.",
        choices=SCHEDULE_CHOICES,
        widget=ChoiceList(),
        required=False,  # unanswered: every week, as plans were before the choice existed
        error_messages={"invalid_choice": "Choose every week, or on and off."},
    )

    def __init__(
        self,
        *args: Any,
        today: dt.date | None = None,
        now: dt.datetime | None = None,
        previous_draw: SideDraw | None = None,
        voice: Voice = OWN,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.voice = voice
        word_fields(self.fields, self.VOICED, voice)
        for name, choices in (
            ("experience", EXPERIENCE_CHOICES),
            ("sensitivity", SENSITIVITY_CHOICES),
            ("wants_peptides", PEPTIDE_CHOICES),
            ("treated_side", SIDE_CHOICES),
        ):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices_in_voice(choices, voice)
        self.today = today or computer_today()
        self.now = now or dt.datetime.now(dt.UTC)
        self.previous_draw = previous_draw
        self.side: tuple[str, SideDraw | None] | None = None
        self.fields["wants_peptides"].help_text = _peptide_help()
        self.fields["weeks"].help_text = _weeks_help()

    def clean_start_date(self) -> dt.date:
        start: dt.date = self.cleaned_data["start_date"]
        latest = self.today + dt.timedelta(days=START_AHEAD_DAYS)
        earliest = self.today - dt.timedelta(days=START_BACK_DAYS)
        if start > latest:
            raise ValidationError(
                f"Start within {START_AHEAD_DAYS} days: "
                f"on or before {day_in_words(latest, year=True)}."
            )
        if start < earliest:
            raise ValidationError(
                f"Start no earlier than a year ago ({day_in_words(earliest, year=True)})."
            )
        return start

    def profile(self, intake: Intake | None) -> PlanProfile:
        """Give the planner's Profile from the answers (after validation), with ``intake``."""
        data = self.cleaned_data
        if self.side is None:  # settled once, so a side is drawn once per answer
            self.side = settle_side(data["treated_side"], self.previous_draw, self.now)
        side, draw = self.side
        try:
            return PlanProfile(
                age=data["age"],
                concerns=data["concerns"],
                experience=data["experience"],
                minutes_per_day=data["minutes_per_day"],
                days_per_week=data["days_per_week"],
                sensitivity=data["sensitivity"],
                wants_peptides=data["wants_peptides"] == "yes",
                start_date=data["start_date"],
                weeks=data["weeks"],
                treated_side=side,
                side_draw=draw,
                schedule=data["schedule"],
                intake=intake,
                baseline_week=data["baseline_week"],
            )
        except PydanticValidationError as exc:  # the fields above check the same limits
            raise ValidationError(validation_to_user_error(exc).message) from exc

    def clean_schedule(self) -> str:
        return str(self.cleaned_data.get("schedule") or "steady")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if "schedule" in data and "weeks" in data:
            problem = trial_problem(data["schedule"], data["weeks"], "both", None)
            if problem is not None:
                self.add_error("schedule", f"{problem[0].upper()}{problem[1:]}.")
        if not self.errors:
            self.profile(None)
        return self.cleaned_data

    @staticmethod
    def initial_from(profile: PlanProfile | None, age: int, today: dt.date) -> dict[str, Any]:
        """Give the form's starting values: the saved profile, or gentle defaults."""
        if profile is None:
            return {
                "age": age,
                "concerns": [],
                "experience": "new",
                "minutes_per_day": 10,
                "days_per_week": 5,
                "sensitivity": "normal",
                "wants_peptides": "no",
                "start_date": today,
                "weeks": 12,
                "treated_side": "both",
                "schedule": "steady",
                "baseline_week": True,
            }
        return {
            "age": age,
            "concerns": list(profile.concerns),
            "experience": profile.experience,
            "minutes_per_day": profile.minutes_per_day,
            "days_per_week": profile.days_per_week,
            "sensitivity": profile.sensitivity,
            "wants_peptides": "yes" if profile.wants_peptides else "no",
            "start_date": profile.start_date,
            "weeks": profile.weeks,
            "treated_side": side_answer(profile.treated_side, profile.side_draw),
            "schedule": profile.schedule,
            "baseline_week": profile.baseline_week,
        }
