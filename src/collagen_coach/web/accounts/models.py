"""An account's recovery codes: single-use codes that set a new password without an email."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RecoveryCode(models.Model):
    """One recovery code of an account, kept only as a password hash (Django's hashers), so a
    copy of the database does not give the codes away."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recovery_codes"
    )
    code_hash = models.CharField(max_length=256)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "used_at"], name="recoverycode_user_unused")]

    def __str__(self) -> str:
        return f"recovery code of {self.user_id}" + (" (used)" if self.used_at else "")
