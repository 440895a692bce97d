"""Who a form speaks to: the person about herself, or a practitioner about a client.

A self-carer reads "I am new to facial massage"; her practitioner, filling in the same form for
her, reads "The client is new to facial massage". Each such pair is written once, side by side
(:class:`Said`), where the form defines the question; a sentence the same in both voices stays a
plain string.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Voice = Literal["own", "client"]
OWN: Voice = "own"
CLIENT: Voice = "client"


@dataclass(frozen=True)
class Said:
    """One sentence as a person says it of herself (``own``) and as her practitioner says it of
    her (``client``)."""

    own: str
    client: str


def in_voice(words: str | Said, voice: Voice) -> str:
    """Give ``words`` as said in ``voice`` (a plain string is the same in both)."""
    if isinstance(words, Said):
        return words.client if voice == CLIENT else words.own
    return words


def choices_in_voice(choices: list[tuple[str, str | Said]], voice: Voice) -> list[tuple[str, str]]:
    """Give form choices ``(id, words)`` with their words said in ``voice``."""
    return [(value, in_voice(words, voice)) for value, words in choices]


def word_fields(fields: Any, voiced: list[tuple[str, str, Said]], voice: Voice) -> None:
    """Set the form ``fields``' words said in ``voice``: each row of ``voiced`` names a field, the
    part (``label``, ``help_text``, or ``required`` for the message of a missing answer) and the
    pair of sentences."""
    for name, part, words in voiced:
        field = fields[name]
        if part == "required":
            field.error_messages["required"] = in_voice(words, voice)
        else:
            setattr(field, part, in_voice(words, voice))
