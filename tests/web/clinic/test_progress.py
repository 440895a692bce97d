"""A client's progress and report, for the members of her practice: the dashboard she sees, the
report to download as PDF or HTML, each viewing in the practice's audit log; 404 for anyone else."""

from __future__ import annotations

import json
import re
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


# The person's own pages, which a practitioner's view of her progress never links to (the
# site's menu links to the practitioner's own).
OWN_PAGES = ("guide:today", "plans:plan", "journal:index", "photos:index", "progress:dashboard")


def main_of(page: str) -> str:
    """Give the page's own content, without the site's menu."""
    return page.split('<main id="main"', 1)[1].split("</main>", 1)[0]


def test_the_page_says_whose_progress_it_is_and_links_only_inside_her_record(
    studio: Practice,
) -> None:
    cora = studio.client
    make_history(cora, today=TODAY, days=21, photos=0)
    web = studio.browser(studio.practitioner)
    text = web.get(reverse("clinic:progress", args=[cora.pk])).content.decode()
    assert "<h1>Cora's progress</h1>" in text
    assert "Cora's own page, as Cora sees it: “you” and “your” on it mean Cora." in text
    assert "Your progress" not in text
    for name in OWN_PAGES:
        assert f'href="{reverse(name)}"' not in main_of(text)
    # A chart chosen on the page comes from her record, not the practitioner's own.
    found = re.search(r'<script id="progress-data" type="application/json">(.*?)</script>', text)
    assert found is not None
    series_url = json.loads(found.group(1))["series_url"]
    record = reverse("clinic:timeline", args=[cora.pk])
    assert series_url.startswith(record)
    chart = web.get(series_url.replace("series-key", "firmness"))
    assert chart.status_code == 200
    assert chart.json()["title"] == "Firmness (your rating)"
    assert AuditEvent.objects.filter(client=cora, what="progress chart (firmness)").exists()


def test_without_a_plan_or_measurements_it_links_to_her_plan_and_to_nothing_of_hers_elsewhere(
    studio: Practice,
) -> None:
    cora = studio.client
    text = studio.browser(studio.practitioner).get(reverse("clinic:progress", args=[cora.pk]))
    page = text.content.decode()
    assert "There is no plan yet" in page
    assert f'<a href="{reverse("clinic:plan", args=[cora.pk])}">Make Cora\'s plan</a>' in page
    assert "Nothing is measured yet. Rate your skin in the journal or add a progress photo" in (
        " ".join(page.split())
    )
    for name in OWN_PAGES:
        assert f'href="{reverse(name)}"' not in main_of(page)


def test_her_own_page_keeps_its_own_words_and_links(studio: Practice) -> None:
    page = studio.browser(studio.client.owner).get(reverse("progress:dashboard")).content.decode()
    assert "<h1>Your progress</h1>" in page
    assert "as Cora sees it" not in page
    assert f'href="{reverse("plans:plan")}"' in main_of(page)


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
