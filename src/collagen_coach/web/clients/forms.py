"""The safety intake in plain words: age, health, medicines, recent treatments and consent.

The ids behind each answer are those of ``core.screening``; every condition, medication and
procedure kind it knows has a question here (checked by the tests).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError

from collagen_coach.core.screening import MAX_AGE, MIN_AGE, Intake, Procedure
from collagen_coach.core.techniques import ZONE_IDS, load_library
from collagen_coach.core.words import day_in_words
from collagen_coach.web.lib.dates import today as computer_today
from collagen_coach.web.lib.voice import OWN, Said, Voice, choices_in_voice, in_voice, word_fields

CONSENT_TEXT = (
    "I understand that collagen-coach gives general guidance on facial self-massage; it is not "
    "medical advice, diagnosis or treatment. My answers are true as far as I know, and I will do "
    "this safety check again whenever my health, my medicines or my skin treatments change. I "
    "will stop and ask a clinician if anything hurts, swells, bruises or changes colour. I know "
    "that the evidence that facial massage or collagen peptides change the skin is limited, and "
    "that the app shows how strong it is beside each claim. My answers are kept with my records, "
    "which only I can see."
)

# The questions, grouped as a person would think of them: (field, legend, help, [(id, words)]),
# each in the person's own words and in her practitioner's where they differ.
Words = str | Said
CONDITION_GROUPS: list[tuple[str, Words, Words, list[tuple[str, Words]]]] = [
    (
        "skin_now",
        Said("Your skin right now", "The client's skin right now"),
        "Tick everything that is true today.",
        [
            ("rosacea_flare", "A rosacea flare (redness, burning or flushing that has flared up)"),
            ("active_acne", "Inflamed spots or acne"),
            ("skin_infection", "A skin infection on the face, such as impetigo or a fungal rash"),
            ("cold_sore", "A cold sore"),
            ("open_wound", "A cut, graze, broken skin or a fresh scar on the face or neck"),
            ("sunburn", "Sunburn on the face or neck"),
            ("eczema_flare", "An eczema, psoriasis or rash flare on the face"),
            ("fragile_skin", "Thin, fragile skin that tears or bruises easily"),
            ("broken_capillaries", "Broken veins: small red thread veins on the face"),
        ],
    ),
    (
        "health",
        Said("Your health", "The client's health"),
        Said(
            "Tick everything that is true for you now.",
            "Tick everything that is true for them now.",
        ),
        [
            ("fever", "A fever, or feeling ill today"),
            ("unexplained_lump", "A new or unexplained lump on the face or neck"),
            ("swollen_lymph_nodes", "Swollen glands in the neck or under the jaw"),
            ("pregnancy", Said("I am pregnant", "Pregnant")),
            ("trigeminal_neuralgia", "Trigeminal neuralgia (sudden, stabbing pain in the face)"),
            ("bell_palsy", "Bell's palsy, or other weakness of the face"),
            ("uncontrolled_hypertension", "High blood pressure that is not under control"),
        ],
    ),
    (
        "circulation",
        "Blood and blood vessels",
        Said(
            "Tick any that a doctor has told you about.",
            "Tick any that a doctor has told the client about.",
        ),
        [
            (
                "bleeding_disorder",
                Said(
                    "A bleeding disorder, or I bruise very easily",
                    "A bleeding disorder, or bruises very easily",
                ),
            ),
            ("recent_stroke", "A stroke or mini-stroke (TIA) in the last 6 months"),
            (
                "carotid_disease",
                Said(
                    "Narrowed or diseased neck arteries (carotid disease), or a doctor heard a "
                    "murmur (bruit) in my neck",
                    "Narrowed or diseased neck arteries (carotid disease), or a doctor heard a "
                    "murmur (bruit) in the client's neck",
                ),
            ),
        ],
    ),
    (
        "treatment_history",
        "Cancer and surgery",
        "Tick any that apply, now or in the past as it says.",
        [
            ("skin_cancer_history", "Skin cancer, now or in the past"),
            ("cancer_treatment", "Cancer treatment now (such as chemotherapy or immunotherapy)"),
            ("head_neck_radiation", "Radiation treatment to the head or neck, now or in the past"),
            ("recent_facial_surgery", "Surgery on the face or neck that is still healing"),
        ],
    ),
]

MEDICATION_CHOICES: list[tuple[str, str]] = [
    (
        "anticoagulant",
        "Blood thinners, such as warfarin, apixaban, rivaroxaban, clopidogrel or daily aspirin",
    ),
    ("isotretinoin", "Isotretinoin tablets (such as Roaccutane), now or in the last 6 months"),
    (
        "topical_retinoid",
        "A retinoid cream or serum on the face, such as tretinoin, adapalene or retinol",
    ),
    ("corticosteroid", "Steroid tablets for a long time, or a steroid cream on the face"),
]

PROCEDURE_CHOICES: list[tuple[str, str]] = [
    ("botulinum_toxin", "Anti-wrinkle injections (botulinum toxin, such as Botox)"),
    ("dermal_filler", "Filler injections (such as hyaluronic acid filler)"),
    ("chemical_peel", "A chemical peel"),
    ("laser", "Laser or intense-light treatment"),
    ("microneedling", "Microneedling"),
    ("thread_lift", "A thread lift"),
    ("surgery", "Surgery on the face or neck"),
]


def condition_words(voice: Voice = OWN) -> dict[str, str]:
    """Give the words for every condition id in ``voice``, in screening's order of questions."""
    return {
        cid: in_voice(words, voice) for *_, choices in CONDITION_GROUPS for cid, words in choices
    }


# Words for every id, for the decision page and anywhere an answer is shown back.
CONDITION_WORDS: dict[str, str] = condition_words()
MEDICATION_WORDS: dict[str, str] = dict(MEDICATION_CHOICES)
PROCEDURE_WORDS: dict[str, str] = dict(PROCEDURE_CHOICES)

# Procedures older than this make no difference to screening (the longest rule lasts 6 weeks),
# but a person may give any past date.
PROCEDURE_WEEKS_ASKED = 6


def zone_choices() -> list[tuple[str, str]]:
    """Give the face's zones as (id, name), from the forehead down to the neck."""
    zones = load_library().zones
    return [(zid, zones[zid].name) for zid in ZONE_IDS]


class ChoiceList(forms.CheckboxSelectMultiple):
    """Checkboxes laid out as a list of large, tappable choices."""

    def __init__(self) -> None:
        super().__init__(attrs={"class": "choice-list"})


class IntakeForm(forms.Form):
    """Age, conditions, medicines and consent (recent treatments are a formset beside it).

    ``voice`` says who fills it in: the person herself (``own``, the default) or her
    practitioner on her behalf (``client``); every question is then worded for that reader.
    """

    # Labels and messages that differ by voice, each pair written once: (field, part, words).
    VOICED: ClassVar[list[tuple[str, str, Said]]] = [
        ("age", "label", Said("Your age", "The client's age")),
        ("medications", "label", Said("Medicines you take", "Medicines the client takes")),
        ("medications", "help_text", Said("Tick any you take now.", "Tick any they take now.")),
        (
            "consent",
            "label",
            Said(
                "I have read this and I agree",
                "The client has read this text, or I have read it to them, and they agree",
            ),
        ),
        (
            "consent",
            "required",
            Said(
                "Tick the box to say you have read and agree to the text above; "
                "without it nothing is saved.",
                "Tick the box to confirm the client agreed to the text above; without it "
                "nothing is saved.",
            ),
        ),
    ]

    age = forms.IntegerField(
        label="Your age",
        help_text=f"In whole years. collagen-coach is for adults ({MIN_AGE} or over).",
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short-input"}),
        error_messages={
            "required": f"Give your age in whole years, {MIN_AGE} to {MAX_AGE}.",
            "invalid": f"Give your age as a whole number of years, {MIN_AGE} to {MAX_AGE}.",
        },
    )
    medications = forms.MultipleChoiceField(
        label="Medicines you take",
        help_text="Tick any you take now.",
        choices=MEDICATION_CHOICES,
        required=False,
        widget=ChoiceList(),
        error_messages={"invalid_choice": "Tick only the medicines listed."},
    )
    consent = forms.BooleanField(
        label="I have read this and I agree",
        error_messages={
            "required": "Tick the box to say you have read and agree to the text above; "
            "without it nothing is saved."
        },
    )

    def __init__(self, *args: Any, voice: Voice = OWN, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.voice = voice
        word_fields(self.fields, self.VOICED, voice)
        # One list of checkboxes per group of conditions, placed after the age.
        for name, legend, help_text, choices in reversed(CONDITION_GROUPS):
            self.fields[name] = forms.MultipleChoiceField(
                label=in_voice(legend, voice),
                help_text=in_voice(help_text, voice),
                choices=choices_in_voice(choices, voice),
                required=False,
                widget=ChoiceList(),
                error_messages={"invalid_choice": "Tick only the answers listed."},
            )
        order = ["age", *(g[0] for g in CONDITION_GROUPS), "medications", "consent"]
        self.order_fields(order)

    def clean_age(self) -> int:
        age: int = self.cleaned_data["age"]
        if age < MIN_AGE:
            raise ValidationError(
                f"collagen-coach is for adults only: give an age of {MIN_AGE} or over."
            )
        if age > MAX_AGE:
            raise ValidationError(f"{age} is not a plausible age: give {MIN_AGE} to {MAX_AGE}.")
        return age

    def conditions(self) -> list[str]:
        """Give the ticked conditions, in screening's order (after validation)."""
        ticked = {c for group in CONDITION_GROUPS for c in self.cleaned_data.get(group[0], [])}
        return [c for c in CONDITION_WORDS if c in ticked]

    @staticmethod
    def initial_from(intake: Intake) -> dict[str, Any]:
        """Give the form's initial values from earlier answers (consent is asked afresh)."""
        initial: dict[str, Any] = {"age": intake.age, "medications": list(intake.medications)}
        for name, _, _, choices in CONDITION_GROUPS:
            ids = {cid for cid, _ in choices}
            initial[name] = [c for c in intake.conditions if c in ids]
        return initial


class ProcedureForm(forms.Form):
    """One recent treatment on the face or neck: what, where and when."""

    kind = forms.ChoiceField(
        label="Treatment",
        choices=[("", "None (choose a treatment)"), *PROCEDURE_CHOICES],
        required=False,
        error_messages={"invalid_choice": "Choose a treatment from the list."},
    )
    zones = forms.MultipleChoiceField(
        label="Where on the face or neck",
        help_text="Tick every area treated. If you are not sure, leave them all unticked: "
        "then the whole face and neck are left alone for a while.",
        choices=zone_choices,
        required=False,
        widget=ChoiceList(),
        error_messages={"invalid_choice": "Tick only the areas listed."},
    )
    date = forms.DateField(
        label="Date of the treatment",
        help_text="The day it was done; a guess to within a few days is fine.",
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "class": "short-input"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Give the date as a day on the calendar, e.g. 2026-11-20."},
    )

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.today = today or computer_today()
        self.fields["date"].widget.attrs["max"] = self.today.isoformat()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        kind, zones, date = data.get("kind"), data.get("zones"), data.get("date")
        if not kind and (zones or date) and "kind" not in self.errors:
            self.add_error("kind", "Choose which treatment this was, or clear the date and areas.")
        if kind and date is None and "date" not in self.errors:
            self.add_error("date", "Give the date of this treatment.")
        if date is not None and date > self.today:
            self.add_error(
                "date",
                f"{day_in_words(date, year=True)} is after today: "
                "give the date the treatment was done.",
            )
        return data

    def procedure(self) -> Procedure | None:
        """Give the treatment described, or None for a row left empty (after validation)."""
        kind = self.cleaned_data.get("kind")
        if not kind:
            return None
        zones = set(self.cleaned_data.get("zones") or [])
        return Procedure(
            kind=kind,
            zones=[z for z in ZONE_IDS if z in zones],
            date=self.cleaned_data["date"],
        )


class BaseProcedureFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """Several recent treatments; rows left empty are ignored."""

    def __init__(self, *args: Any, today: dt.date | None = None, **kwargs: Any) -> None:
        self.today = today
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "today": self.today}

    def procedures(self) -> list[Procedure]:
        """Give the treatments described in the filled-in rows (after validation)."""
        found = (form.procedure() for form in self.forms)
        return [p for p in found if p is not None]


# Rows offered for recent treatments: the first is shown, the others behind "add another".
PROCEDURE_ROWS = 3
MOST_PROCEDURES = 12


def procedure_formset(
    data: Any = None, intake: Intake | None = None, today: dt.date | None = None
) -> BaseProcedureFormSet:
    """Give the recent-treatments formset: bound to ``data``, or filled with earlier answers."""
    initial = [
        {"kind": p.kind, "zones": list(p.zones), "date": p.date}
        for p in (intake.procedures if intake else [])
    ]
    formset_class: Any = forms.formset_factory(
        ProcedureForm,
        formset=BaseProcedureFormSet,
        extra=max(1, PROCEDURE_ROWS - len(initial)),
        max_num=MOST_PROCEDURES,
        validate_max=True,
    )
    formset: BaseProcedureFormSet = formset_class(
        data, initial=initial or None, prefix="procedures", today=today
    )
    return formset


def intake_answers(form: IntakeForm, procedures: BaseProcedureFormSet, today: dt.date) -> Intake:
    """Give the screening answers of a valid intake form and its recent-treatments formset."""
    return Intake(
        age=form.cleaned_data["age"],
        conditions=form.conditions(),
        medications=form.cleaned_data["medications"],
        procedures=procedures.procedures(),
        as_of=today,
    )


def procedure_rows(procedures: BaseProcedureFormSet) -> tuple[list[Any], list[Any]]:
    """Give the treatment rows to show open (the first, and any filled in) and the rest, which
    wait behind "Had another treatment?"."""
    rows = list(procedures.forms)
    shown = [
        f for i, f in enumerate(rows) if i == 0 or f.initial or (f.is_bound and f.has_changed())
    ]
    return shown, [f for f in rows if f not in shown]
