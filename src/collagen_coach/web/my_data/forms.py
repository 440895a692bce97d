"""The confirmation asked before deleting everything."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import authenticate

from collagen_coach.web.clients.access import SignedInRequest
from collagen_coach.web.my_data.services import why_account_must_stay

DELETE_WORD = "delete"


class DeleteEverythingForm(forms.Form):
    """Type your user name (or the word "delete") and your password to delete everything."""

    confirm = forms.CharField(
        label="Type your user name, or the word delete",
        max_length=150,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="The one you sign in with.",
    )

    def __init__(self, request: SignedInRequest, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        self.username = request.user.get_username()
        self.fields[
            "confirm"
        ].help_text = f"Your user name is {self.username}. Anything else deletes nothing."

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        held = why_account_must_stay(self.request.user)
        if held:
            raise forms.ValidationError(held + " Nothing was deleted.", code="account_needed")
        return cleaned

    def clean_confirm(self) -> str:
        typed = str(self.cleaned_data["confirm"])
        if typed != self.username and typed.lower() != DELETE_WORD:
            raise forms.ValidationError(
                f"“{typed}” is neither your user name nor the word delete: type {self.username} "
                "or delete. Nothing was deleted.",
                code="mismatch",
            )
        return typed

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        # Through authenticate(), so django-axes counts wrong passwords here as at sign-in.
        user = authenticate(self.request, username=self.username, password=password)
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError(
                "That is not your password. Nothing was deleted.", code="wrong_password"
            )
        return password
