"""The sign-up form: a name to sign in with, an optional email, and a password twice."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm


class SignUpForm(UserCreationForm):  # type: ignore[type-arg]
    """Sign up with a username, an optional email (for password resets) and a password."""

    email = forms.EmailField(
        required=False,
        label="Email (optional)",
        help_text="Only used to send you a link if you forget your password.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Username"
        self.fields[
            "username"
        ].help_text = "The name you sign in with: letters, digits and @ . + - _ only, no spaces."
        self.fields["username"].widget.attrs["autocomplete"] = "username"
        self.fields["password1"].label = "Password"
        self.fields["password1"].help_text = (
            "At least 10 characters, not a common password, not all digits and not like your "
            "username. A short sentence is easy to remember."
        )
        self.fields["password2"].label = "Password again"
        self.fields["password2"].help_text = "Type the same password, to be sure it is right."
