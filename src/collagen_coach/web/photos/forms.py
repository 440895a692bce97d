"""The photo forms: upload one progress photo; choose two photos to compare."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from collagen_coach.vision.load import TAKEN_FORMATS_TEXT
from collagen_coach.web.lib.dates import today
from collagen_coach.web.photos.models import Photo

# What the file chooser offers: every image (phones label HEIC as image/heic, some as nothing,
# hence the endings too).
ACCEPT = "image/*,.heic,.heif"


class UploadForm(forms.Form):
    """A progress photo and the day it was taken (today unless said otherwise)."""

    photo = forms.FileField(
        label="Your photo",
        help_text=(
            f"A {TAKEN_FORMATS_TEXT} photo, as your phone or camera saved it. On a phone this "
            "opens the camera; take the photo as the capture guidance shows."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT, "capture": "user"}),
        error_messages={"required": "Choose a photo to upload.", "empty": "This file is empty."},
    )
    taken_on = forms.DateField(
        label="Date taken",
        help_text="The day you took the photo. Today unless you are adding an older photo.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Write the date as year-month-day, e.g. 2026-03-01."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["taken_on"].initial = today()
        self.fields["taken_on"].widget.attrs["max"] = today().isoformat()

    def clean_taken_on(self) -> dt.date:
        taken_on: dt.date = self.cleaned_data["taken_on"]
        if taken_on > today():
            raise ValidationError(
                f"{taken_on:%-d %B %Y} is in the future: give today's date or an earlier one."
            )
        return taken_on


class PhotoChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Photo) -> str:
        verdict = {True: "passed", False: "not passed", None: "not analysed"}[obj.passed]
        return f"{obj.taken_on:%-d %B %Y} — {obj.original_name} ({verdict})"


class CompareForm(forms.Form):
    """Two of the person's analysed photos: an earlier one and a later one."""

    before = PhotoChoiceField(
        queryset=Photo.objects.none(),
        label="Before",
        help_text="Usually one of your baseline photos, taken before your first session.",
        empty_label="Choose a photo",
    )
    after = PhotoChoiceField(
        queryset=Photo.objects.none(),
        label="After",
        help_text="A later photo, taken the same way.",
        empty_label="Choose a photo",
    )

    def __init__(self, *args: Any, photos: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("before", "after"):
            field = self.fields[name]
            assert isinstance(field, PhotoChoiceField)
            field.queryset = photos

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        before, after = cleaned.get("before"), cleaned.get("after")
        if before is not None and after is not None and before.pk == after.pk:
            raise ValidationError("Choose two different photos.")
        return cleaned
