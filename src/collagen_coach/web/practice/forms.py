"""Forms of the practice pages: naming a practice, adding a colleague or a client, and the
password a client gives to leave their practice."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.http import HttpRequest

from collagen_coach.core.screening import MAX_AGE, MIN_AGE
from collagen_coach.web.clients.models import AgeBand, ContactWay
from collagen_coach.web.clients.services import CLIENT_NAME_MAX_CHARS, ContactDetails
from collagen_coach.web.lib.dates import today as computer_today
from collagen_coach.web.practice.models import Practice
from collagen_coach.web.practice.services import PRACTICE_NAME_MAX_CHARS

CONTACT_NOTES_MAX_CHARS = 1000
# A phone number as people write it: 7 to 15 digits (E.164 allows at most 15), with these marks.
PHONE_DIGITS = (7, 15)
PHONE_MARKS = " +()-."


def years_between(born: dt.date, day: dt.date) -> int:
    """Give a person's age in whole years on ``day``."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


class _PlainForm(forms.Form):
    """A form whose labels have no trailing colon, as on every other page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class StartPracticeForm(_PlainForm):
    """Name the practice you are starting."""

    name = forms.CharField(
        label="Your practice's name",
        max_length=PRACTICE_NAME_MAX_CHARS,
        help_text="As your clients know it, e.g. Skin Studio. You can have one practice.",
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
        error_messages={"required": "Type your practice's name, e.g. Skin Studio."},
    )


class AddPractitionerForm(_PlainForm):
    """The username of the colleague whose account to make."""

    username = forms.CharField(
        label="Your colleague's username",
        max_length=150,
        validators=[UnicodeUsernameValidator()],
        help_text="The name they will sign in with: letters, digits and @ . + - _ only, no spaces.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
        error_messages={"required": "Type a username for your colleague, e.g. pat.smith."},
    )

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"])
        if get_user_model()._default_manager.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                f"The username {username} is taken already: choose another one.", code="taken"
            )
        return username


class AddClientForm(_PlainForm):
    """A new client's name and, optionally, the practitioner who cares for them."""

    name = forms.CharField(
        label="Client's name",
        max_length=CLIENT_NAME_MAX_CHARS,
        help_text="As you call them, e.g. Cora Smith.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Type the client's name, e.g. Cora Smith."},
    )
    practitioner = forms.ModelChoiceField(
        label="Their practitioner (optional)",
        queryset=get_user_model()._default_manager.none(),
        required=False,
        empty_label="Nobody in particular",
        help_text="Whoever in the practice looks after them. Everyone in the practice can see "
        "every client.",
        error_messages={"invalid_choice": "Choose one of the practice's practitioners."},
    )

    email = forms.EmailField(
        label="Email (optional)",
        required=False,
        max_length=254,
        help_text="For sending the invitation, e.g. cora@example.org.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={"invalid": "Give an email address such as cora@example.org."},
    )
    phone = forms.CharField(
        label="Phone (optional)",
        required=False,
        max_length=30,
        help_text="Digits, spaces and + ( ) - only, e.g. +44 20 7946 0958.",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        error_messages={"max_length": "Give a phone number of at most 30 characters."},
    )
    birth_date = forms.DateField(
        label="Date of birth (optional)",
        required=False,
        help_text="Or leave it empty and choose an age band below.",
        widget=forms.DateInput(attrs={"type": "date", "class": "short-input"}, format="%Y-%m-%d"),
        error_messages={
            "invalid": "Give the date of birth as a day on the calendar, e.g. 1962-04-17."
        },
    )
    age_band = forms.ChoiceField(
        label="Age band (optional)",
        required=False,
        choices=[("", "Not given"), *AgeBand.choices],
        help_text="If you keep no date of birth.",
        error_messages={"invalid_choice": "Choose one of the age bands listed."},
    )
    preferred_contact = forms.ChoiceField(
        label="How they prefer to be reached (optional)",
        required=False,
        choices=[("", "No preference"), *ContactWay.choices],
        error_messages={"invalid_choice": "Choose email, a phone call or a text message."},
    )
    contact_notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        max_length=CONTACT_NOTES_MAX_CHARS,
        help_text="Practical notes such as “prefers mornings”. Health matters belong in the "
        "safety check and the session notes.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": f"Keep the notes to at most {CONTACT_NOTES_MAX_CHARS} characters."
        },
    )

    def __init__(
        self, practice: Practice, *args: Any, today: dt.date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.today = today or computer_today()
        self.fields["birth_date"].widget.attrs["max"] = self.today.isoformat()
        field = self.fields["practitioner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            get_user_model()
            ._default_manager.filter(membership__practice=practice)
            .order_by("username")
        )

    def clean_phone(self) -> str:
        phone = " ".join(str(self.cleaned_data.get("phone") or "").split())
        if not phone:
            return ""
        digits = sum(ch.isdigit() for ch in phone)
        if any(not (ch.isdigit() or ch in PHONE_MARKS) for ch in phone):
            raise forms.ValidationError(
                f"{phone} is not a phone number: use digits, spaces and + ( ) - only."
            )
        if not PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]:
            raise forms.ValidationError(
                f"{phone} has {digits} digits: a phone number has {PHONE_DIGITS[0]} to "
                f"{PHONE_DIGITS[1]}."
            )
        return phone

    def clean_birth_date(self) -> dt.date | None:
        born: dt.date | None = self.cleaned_data.get("birth_date")
        if born is None:
            return None
        age = years_between(born, self.today)
        if born > self.today:
            raise forms.ValidationError("The date of birth is after today: check the year.")
        if age < MIN_AGE:
            raise forms.ValidationError(
                f"That makes the client {age}: collagen-coach is for adults ({MIN_AGE} or over)."
            )
        if age > MAX_AGE:
            raise forms.ValidationError(
                f"That makes the client {age}: check the year (at most {MAX_AGE})."
            )
        return born

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("birth_date") and data.get("age_band"):
            self.add_error(
                "age_band",
                "Give a date of birth or an age band, not both: clear one of them.",
            )
        way = data.get("preferred_contact")
        if way == ContactWay.EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", "Give an email address, or choose another way to reach them.")
        if (
            way in (ContactWay.PHONE, ContactWay.TEXT)
            and not data.get("phone")
            and ("phone" not in self.errors)
        ):
            self.add_error("phone", "Give a phone number, or choose another way to reach them.")
        return data

    def contact(self) -> ContactDetails:
        """Give the contact details given (after validation)."""
        data = self.cleaned_data
        return ContactDetails(
            email=data.get("email") or "",
            phone=data.get("phone") or "",
            birth_date=data.get("birth_date"),
            age_band=data.get("age_band") or "",
            preferred_contact=data.get("preferred_contact") or "",
            contact_notes=(data.get("contact_notes") or "").strip(),
        )


class InviteByEmailForm(_PlainForm):
    """The address to send a client's invitation link to."""

    email = forms.EmailField(
        label="Their email address",
        max_length=254,
        help_text="The link goes to this address only; it works once.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Type the client's email address, e.g. cora@example.org, or copy the "
            "link instead.",
            "invalid": "Give an email address such as cora@example.org.",
        },
    )


class SearchForm(forms.Form):
    """Search the client list by name."""

    q = forms.CharField(
        label="Search by name",
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class LeavePracticeForm(_PlainForm):
    """Your password, to be sure it is you who leaves the practice."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="The one you sign in with.",
        error_messages={"required": "Type your password to leave. Nothing has changed."},
    )

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        # Through authenticate(), so django-axes counts wrong passwords here as at sign-in.
        user = authenticate(
            self.request, username=self.request.user.get_username(), password=password
        )
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError(
                "That is not your password. Nothing has changed.", code="wrong_password"
            )
        return password
