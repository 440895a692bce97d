"""Forms of the practice pages: naming a practice, adding a colleague or a client, and the
password a client gives to leave their practice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.http import HttpRequest

from collagen_coach.web.clients.services import CLIENT_NAME_MAX_CHARS
from collagen_coach.web.practice.models import Practice
from collagen_coach.web.practice.services import PRACTICE_NAME_MAX_CHARS


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

    def __init__(self, practice: Practice, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["practitioner"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            get_user_model()
            ._default_manager.filter(membership__practice=practice)
            .order_by("username")
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
