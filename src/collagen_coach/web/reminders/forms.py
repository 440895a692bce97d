"""The Reminders page's form: when, where, how and which reminders, and the switch for all."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms

from collagen_coach.core.reminders import WEEKDAYS
from collagen_coach.web.reminders.models import ReminderSettings


def _zones() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class ReminderForm(forms.ModelForm[ReminderSettings]):
    """A person's reminder settings."""

    at = forms.TimeField(
        label="At what time?",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="Your reminder comes at this time, on your days only.",
        error_messages={"invalid": "Enter a time such as 08:00."},
    )
    time_zone = forms.ChoiceField(
        label="Your time zone",
        choices=_zones,
        widget=forms.Select(attrs={"data-browser-time-zone": ""}),
        help_text="So 08:00 is 08:00 on your clock, in summer and in winter.",
        error_messages={
            "invalid_choice": "%(value)s is not a time zone this computer knows: choose one "
            "from the list, e.g. Europe/London or America/New York."
        },
    )
    by_push = forms.BooleanField(
        label="As a notification on my devices",
        required=False,
        help_text="Turn notifications on below, on each phone or computer you want them on.",
    )
    by_email = forms.BooleanField(label="By email", required=False)
    email = forms.EmailField(
        label="Email address",
        required=False,
        help_text="Where your reminder emails go.",
        error_messages={"invalid": "Enter an email address such as ann@example.org."},
    )
    nudge = forms.BooleanField(
        label="After a missed session, a gentle nudge the next planned day",
        required=False,
        help_text="Only once after a missed day, never two in a row.",
    )
    weekly = forms.BooleanField(label="A summary of my week", required=False)
    summary_weekday = forms.TypedChoiceField(
        label="On",
        coerce=int,
        choices=list(enumerate(WEEKDAYS)),
        error_messages={"invalid_choice": "Choose a day of the week, Monday to Sunday."},
    )

    class Meta:
        model = ReminderSettings
        fields: tuple[str, ...] = (
            "at",
            "time_zone",
            "by_push",
            "by_email",
            "email",
            "nudge",
            "weekly",
            "summary_weekday",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # Her saved zone stays as it is on another device; before that, the page fills in
            # the browser's own (js/time-zone.js), or this computer's without JavaScript.
            self.fields["time_zone"].widget.attrs.pop("data-browser-time-zone", None)

    def clean_at(self) -> dt.time:
        at: dt.time = self.cleaned_data["at"]
        return at.replace(second=0, microsecond=0)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("by_email") and not cleaned.get("email"):
            self.add_error("email", "Enter the email address your reminders should go to.")
        return cleaned


class ClientReminderForm(ReminderForm):
    """A practice client's reminder emails, set by a member of her practice for a client who
    has no account of her own (so no device to notify, and no Reminders page to sign in to)."""

    agreed = forms.BooleanField(
        required=False,
        label="The client agreed to get these emails at this address",
        help_text="Each email has a link that stops them all, without signing in.",
    )

    class Meta(ReminderForm.Meta):
        fields: tuple[str, ...] = (
            "at",
            "time_zone",
            "by_email",
            "email",
            "nudge",
            "weekly",
            "summary_weekday",
        )

    def __init__(self, *args: Any, name: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        del fields["by_push"]  # she has no device of her own signed in to notify
        fields["at"].label = f"At what time, on {name}'s clock?"
        fields["at"].help_text = f"The email comes at this time, on {name}'s planned days only."
        fields["time_zone"].label = f"{name}'s time zone"
        fields["time_zone"].help_text = f"So 08:00 is 08:00 on {name}'s clock, all year round."
        fields["by_email"].label = f"Send {name} reminders by email"
        fields["email"].label = f"{name}'s email address"
        fields["email"].help_text = "Where the reminder emails go."
        fields["weekly"].label = f"A summary of {name}'s week"
        # Her agreement was given when her emails were first saved.
        fields["agreed"].initial = self.instance.pk is not None and self.instance.by_email

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("by_email") and not cleaned.get("agreed"):
            self.add_error(
                "agreed",
                "Tick this once the client has agreed to get reminder emails at this address.",
            )
        return cleaned
