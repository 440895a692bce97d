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


class RecoverForm(forms.Form):
    """A new password set with a recovery code: the username, one code and the password twice."""

    username = forms.CharField(
        label="Username",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    code = forms.CharField(
        label="Recovery code",
        max_length=40,
        help_text="One of the codes you printed or wrote down, e.g. 7kq2m-x9bdp. Each works once.",
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )
    password1 = forms.CharField(
        label="New password",
        strip=False,
        help_text="At least 10 characters, not a common password, not all digits and not like "
        "your username. A short sentence is easy to remember.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label="New password again",
        strip=False,
        help_text="Type the same password, to be sure it is right.",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ: type the same one twice.")
        return data


class PasswordCheckForm(forms.Form):
    """The account's current password, asked before making new recovery codes."""

    password = forms.CharField(
        label="Your password",
        strip=False,
        help_text="To be sure it is you: new codes replace every code you had.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, user: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = str(self.cleaned_data["password"])
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password: check it and try again.")
        return password
