"""A client's progress and report, for the members of her practice: the dashboard she sees, the
report to download as PDF or HTML, each viewing in the practice's audit log; 404 for anyone else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse

from collagen_coach.web.practice.models import AuditEvent
from web.clinic.conftest import Practice
from web.clinic.records import TODAY
from web.history import make_history

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_the_practitioner_sees_the_clients_progress_with_her_report_links(
    studio: Practice,
) -> None:
    cora = studio.client
    make_history(cora, today=TODAY, days=21, photos=0)
    page = studio.browser(studio.practitioner).get(reverse("clinic:progress", args=[cora.pk]))
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("private, no-store")
    text = page.content.decode()
    report = reverse("clinic:report", args=[cora.pk])
    assert f'href="{report}?format=pdf"' in text
    assert f'href="{report}?format=html"' in text
    assert f'href="{reverse("progress:report")}' not in text  # not the practitioner's own
    assert "Firmness (your rating)" in text
    assert AuditEvent.objects.filter(client=cora, action="view", what="progress").exists()


@pytest.mark.parametrize("wanted", ["html", "pdf"])
def test_the_practitioner_downloads_the_clients_report(studio: Practice, wanted: str) -> None:
    cora = studio.client
    make_history(cora, today=TODAY, days=21, photos=0)
    web = studio.browser(studio.owner)
    answer = web.get(reverse("clinic:report", args=[cora.pk]), {"format": wanted})
    assert answer.status_code == 200
    assert answer["Content-Disposition"].endswith(f'.{wanted}"')
    if wanted == "pdf":
        assert answer.content.startswith(b"%PDF")
    else:
        assert "Cora" in answer.content.decode()
    assert AuditEvent.objects.filter(
        client=cora, action="view", what=f"progress report ({wanted})"
    ).exists()


def test_another_practices_member_gets_404_and_nothing_is_logged(
    studio: Practice, make_practice: Callable[..., Any]
) -> None:
    cora = studio.client
    _, stranger = make_practice("Other Studio", owner="otto")
    web = studio.browser(stranger)
    for name in ("clinic:progress", "clinic:report"):
        assert web.get(reverse(name, args=[cora.pk]), {"format": "html"}).status_code == 404
    assert not AuditEvent.objects.filter(client=cora, what__startswith="progress").exists()
