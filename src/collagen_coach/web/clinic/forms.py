"""Forms a practitioner fills in for a client: the intake on their behalf, the profile a plan is
made for, plan steps, and a SOAP note with the session given in the clinic."""

from __future__ import annotations

from typing import Any

from django import forms

from collagen_coach.core.plan_checks import STEP_MAX_S, STEP_MIN_S, place_step
from collagen_coach.core.planning import Step
from collagen_coach.core.techniques import ZONE_IDS, load_library
from collagen_coach.core.words import pressure_choice
from collagen_coach.web.clients.forms import CONSENT_TEXT, IntakeForm
from collagen_coach.web.clinic.services import hand_step
from collagen_coach.web.lib.voice import CLIENT
from collagen_coach.web.plans.forms import ProfileForm


def clinic_consent_text(practice_name: str) -> str:
    """Give the consent a client of ``practice_name`` agrees to, word for word."""
    own = "My answers are kept with my records, which only I can see."
    assert own in CONSENT_TEXT  # the self-carer's text, with who sees the records changed
    return CONSENT_TEXT.replace(
        own,
        f"My answers are kept with my records, which I and the practitioners of "
        f"{practice_name} can see. My practitioner entered them with me.",
    )


class ClinicIntakeForm(IntakeForm):
    """The self-carer's safety questions, asked by the practitioner about the client; the
    practitioner confirms that the client agreed to the consent text."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, voice=CLIENT, **kwargs)


class ClinicProfileForm(ProfileForm):
    """The profile a plan is made for, worded for the practitioner."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, voice=CLIENT, **kwargs)
        self.fields[
            "schedule"
        ].label = "Every week, or on and off (weeks without massage as a comparison)?"


def _technique_choices() -> list[tuple[str, str]]:
    techniques = [(t.id, t.name) for t in load_library().techniques.values()]
    return [("", "Choose…"), *techniques]


def _zone_choices() -> list[tuple[str, str]]:
    zones = load_library().zones
    return [("", "Choose…"), *((z, zones[z].name) for z in ZONE_IDS)]


PRESSURE_CHOICES = [(str(n), pressure_choice(n)) for n in range(1, 6)]
SIDE_CHOICES = [("both", "Both"), ("left", "Left only"), ("right", "Right only")]


class StepForm(forms.Form):
    """One step of a session: technique, zone, side, how long and how firm."""

    technique = forms.ChoiceField(
        label="Technique",
        choices=_technique_choices,
        error_messages={
            "required": "Choose a technique.",
            "invalid_choice": "Choose a technique from the list.",
        },
    )
    zone = forms.ChoiceField(
        label="Zone",
        choices=_zone_choices,
        error_messages={
            "required": "Choose a zone.",
            "invalid_choice": "Choose a zone from the list.",
        },
    )
    side = forms.ChoiceField(
        label="Side",
        choices=SIDE_CHOICES,
        initial="both",
        error_messages={"invalid_choice": "Choose both sides, left or right."},
    )
    duration_s = forms.IntegerField(
        label="Seconds",
        min_value=STEP_MIN_S,
        max_value=STEP_MAX_S,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "class": "short-input"}),
        error_messages=dict.fromkeys(
            ("required", "invalid", "min_value", "max_value"),
            f"Give the length in whole seconds, {STEP_MIN_S} to {STEP_MAX_S}.",
        ),
    )
    pressure = forms.TypedChoiceField(
        label="Pressure",
        choices=PRESSURE_CHOICES,
        coerce=int,
        initial="1",
        error_messages={"invalid_choice": "Choose a pressure from 1 to 5."},
    )
    why = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    @staticmethod
    def initial_from(step: Step) -> dict[str, Any]:
        """Give the form's values for a planned step."""
        return {
            "technique": step.technique,
            "zone": step.zone,
            "side": step.side,
            "duration_s": step.duration_s,
            "pressure": str(step.pressure),
            "why": step.why,
        }

    # The session's steps as (technique, zone, side, seconds, pressure, reason), set by
    # step_formset: a row that is one of them, moved or not, keeps that step's reason.
    known: frozenset[tuple[Any, ...]] = frozenset()

    def step(self) -> Step:
        """Give the step described (after validation); an unchanged step keeps its reason, in
        its own row or moved to another."""
        data = self.cleaned_data
        same = (
            data["technique"],
            data["zone"],
            data["side"],
            data["duration_s"],
            data["pressure"],
            data.get("why", ""),
        )
        keep_why = not (set(self.changed_data) - {"why", "DELETE"}) or same in self.known
        return hand_step(
            data["technique"],
            data["zone"],
            data["side"],
            data["duration_s"],
            data["pressure"],
            why=data.get("why", "") if keep_why else "",
        )


class BaseStepFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """The steps of a session in order; rows left empty or ticked "remove" are left out, and
    steps added in the empty rows go where they belong in the session."""

    def _kept(self, form: Any) -> bool:
        if not form.cleaned_data:  # an extra row left empty
            return False
        return not (self.can_delete and form.cleaned_data.get("DELETE"))

    def steps(self) -> list[Step]:
        """Give the steps kept (after validation): the session's own in their order, and each
        new one placed where it belongs (core.plan_checks.place_step: a main step before the
        finishing strokes)."""
        library = load_library()
        existing = self.forms[: self.initial_form_count()]
        kept = [form.step() for form in existing if self._kept(form)]
        for form in self.forms[self.initial_form_count() :]:
            if self._kept(form):
                kept = place_step(kept, form.step(), library)
        return kept

    def kept_index(self, row: int) -> int | None:
        """Give the place in :meth:`steps` of the session's step shown in ``row`` (0-based), or
        None when that row is not one of the session's steps or is ticked to be removed."""
        existing = self.forms[: self.initial_form_count()]
        if not 0 <= row < len(existing) or not self._kept(existing[row]):
            return None
        return sum(1 for form in existing[:row] if self._kept(form))


MOST_STEPS = 16
EXTRA_STEP_ROWS = 2


def step_formset(
    data: Any = None, steps: list[Step] | None = None, techniques: list[str] | None = None
) -> BaseStepFormSet:
    """Give the steps formset: bound to ``data``, or filled with ``steps`` and two empty rows.

    With ``techniques`` (the ids the client's screening allows), the lists offer only those; a
    row whose step has another keeps it, marked, so that saving refuses it with the reason.
    """
    formset_class: Any = forms.formset_factory(
        StepForm,
        formset=BaseStepFormSet,
        extra=EXTRA_STEP_ROWS,
        can_delete=True,
        max_num=MOST_STEPS,
        validate_max=True,
    )
    initial = [StepForm.initial_from(s) for s in steps or []]
    formset: BaseStepFormSet = formset_class(data, initial=initial or None, prefix="steps")
    library = load_library()
    known = frozenset(
        (s.technique, s.zone, s.side, s.duration_s, s.pressure, s.why) for s in steps or []
    )
    for form in formset.forms:
        form.known = known
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = "Remove"
        if techniques is None:
            continue
        offered = [("", "Choose…"), *((t, library.techniques[t].name) for t in techniques)]
        current = (form.initial or {}).get("technique")
        if current and current not in techniques and current in library.techniques:
            offered.append((current, f"{library.techniques[current].name} (left out by screening)"))
        # Only what is offered changes: any library technique still validates, so a step
        # screening leaves out is refused on saving with its reason, not as an unknown choice.
        form.fields["technique"].widget.choices = offered
    return formset


SESSION_CHOICES = [
    ("none", "No session: a note only"),
    ("planned", "Today's planned session, given in full"),
    ("chosen", "The steps below, given in full"),
]


class NoteForm(forms.Form):
    """A SOAP note, whether the client sees it, and (for a new note) the session it is about."""

    subjective = forms.CharField(
        label="Subjective",
        help_text="What the client says: how their skin feels, what they noticed.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    objective = forms.CharField(
        label="Objective",
        help_text="What you see and measure.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    assessment = forms.CharField(
        label="Assessment",
        help_text="What you make of it.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    plan = forms.CharField(
        label="Plan",
        help_text="What happens next.",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )
    shared_with_client = forms.BooleanField(
        label="Share this note with the client",
        help_text="The client then sees it with their own records.",
        required=False,
    )
    session = forms.ChoiceField(
        label="Session in the clinic today",
        choices=SESSION_CHOICES,
        initial="none",
        widget=forms.RadioSelect(attrs={"class": "choice-list"}),
        help_text="A session given now is recorded as done, in the clinic, on today's date.",
        error_messages={"invalid_choice": "Choose one of the three."},
    )

    SOAP = ("subjective", "objective", "assessment", "plan")

    def __init__(self, *args: Any, with_session: bool = True, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        if not with_session:
            del self.fields["session"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any((data.get(name) or "").strip() for name in self.SOAP) and not self.errors:
            raise forms.ValidationError(
                "Write something in at least one of Subjective, Objective, Assessment or Plan."
            )
        return data
