"""Recovery codes: a person without an email who forgets the password sets a new one with one
of the codes given at sign-up (or made anew in the account's settings).

Ten codes, each used once. Each is 10 characters drawn by ``django.utils.crypto.get_random_string``
(the operating system's random source) from 31 letters and digits that cannot be mistaken for
one another on paper (no 0/O, 1/l/I): about 49 bits, out of reach of guessing through the throttled
form (``accounts.views.recover``: 5 wrong tries per name and 20 per address in 15 minutes).
A code is stored only as a salted Argon2id hash, by Django's own ``Argon2PasswordHasher`` with a
lighter cost than a password's (``RecoveryCodeHasher``), and checked by it; making new codes
deletes the old ones.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from collagen_coach.web.accounts.models import RecoveryCode
from collagen_coach.web.accounts.services import revoke_api_tokens

CODES_PER_ACCOUNT = 10
CODE_ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"  # no 0, 1, i, l, o: nothing to misread
CODE_CHARS = 10


class RecoveryCodeHasher(Argon2PasswordHasher):
    """Django's Argon2id at a lighter cost (8 MiB, one pass): a password needs the full cost to
    slow down guessing a few words a person chose, while a code is 49 random bits, far beyond
    guessing either way; so signing up (ten hashes) and checking a code (up to ten) stay quick.
    Argon2 writes its cost into each hash, so a hash made at this cost is checked at it."""

    time_cost = 1
    memory_cost = 8 * 1024  # KiB
    parallelism = 1


HASHER = RecoveryCodeHasher()


def new_recovery_codes(user: Any) -> list[str]:
    """Give ten new recovery codes for ``user``, written as ``abcde-fghjk``; the old ones stop
    working. Only their hashes are kept: these are shown once, now."""
    codes = [get_random_string(CODE_CHARS, CODE_ALPHABET) for _ in range(CODES_PER_ACCOUNT)]
    with transaction.atomic():
        RecoveryCode.objects.filter(user=user).delete()
        RecoveryCode.objects.bulk_create(
            RecoveryCode(user=user, code_hash=make_password(code, hasher=HASHER)) for code in codes
        )
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def codes_left(user: Any) -> int:
    """Give how many of ``user``'s recovery codes are still unused."""
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def typed_code(text: str) -> str:
    """Give a code as typed, without spaces and dashes and in lower case, as it is stored."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def matching_code(username: str, code: str) -> RecoveryCode | None:
    """Give the unused recovery code of the account ``username`` that ``code`` is, or None
    (no such account, no such code, or a used one). Nothing is changed."""
    user = get_user_model()._default_manager.filter(username=username, is_active=True).first()
    clean = typed_code(code)
    unused = list(RecoveryCode.objects.filter(user=user, used_at__isnull=True)) if user else []
    if not unused:
        make_password(clean, hasher=HASHER)  # as long as a check: the time tells nothing
        return None
    for stored in unused:
        if HASHER.verify(clean, stored.code_hash):
            return stored
    return None


def reset_with_code(stored: RecoveryCode, new_password: str) -> bool:
    """Use the code ``stored`` to give its account ``new_password``; give False (and change
    nothing) where the code was used meanwhile. The account's API tokens are revoked, as
    after any new password."""
    with transaction.atomic():
        taken = RecoveryCode.objects.filter(pk=stored.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not taken:
            return False
        user = stored.user
        user.set_password(new_password)
        user.save(update_fields=["password"])
        revoke_api_tokens(user)
    return True
