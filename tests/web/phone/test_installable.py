"""The app can be installed on a phone: a valid manifest with reachable icons, a service worker
for the whole site, an offline page, and only today's own pages marked to be kept."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse
from PIL import Image

from collagen_coach.web.lib.dates import today
from collagen_coach.web.lib.offline import KEEP_OFFLINE_HEADER
from collagen_coach.web.plans.services import save_program
from web.builders import program

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def fetched(web: WebClient, url: str) -> bytes:
    answer = web.get(url)
    assert answer.status_code == 200, url
    return b"".join(answer.streaming_content) if answer.streaming else answer.content


def test_the_manifest_is_valid_json_with_reachable_icons_of_the_sizes_it_names() -> None:
    web = WebClient()
    answer = web.get(reverse("phone:manifest"))

    assert answer["Content-Type"] == "application/manifest+json"
    manifest = json.loads(answer.content)
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == "/"
    assert manifest["scope"] == "/"
    assert manifest["theme_color"] == "#0b5563"
    assert manifest["background_color"] == "#fdfcfa"
    assert len(manifest["short_name"]) <= 12
    sizes = set()
    for icon in manifest["icons"]:
        image = Image.open(io.BytesIO(fetched(web, icon["src"])))
        width, height = (int(n) for n in icon["sizes"].split("x"))
        assert image.size == (width, height), icon["src"]
        assert image.format == "PNG"
        sizes.add((icon["sizes"], icon.get("purpose", "any")))
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_the_service_worker_serves_the_whole_site_and_every_file_it_keeps_is_there() -> None:
    web = WebClient()
    answer = web.get("/service-worker.js")

    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/javascript; charset=utf-8"
    assert answer["Service-Worker-Allowed"] == "/"
    config = json.loads(re.search(r"var CONFIG = (\{.*?\n\});", answer.text, re.S).group(1))
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])
    assert config["keep_header"] == KEEP_OFFLINE_HEADER
    for url in [*config["shell"], config["offline_url"], config["outbox_script"]]:
        fetched(web, url)


def test_the_offline_page_is_the_same_for_everyone_and_names_no_one(
    browser_of: Callable[..., Any],
) -> None:
    web, _ = browser_of("ann")

    signed_in = web.get(reverse("phone:offline"))
    signed_out = WebClient().get(reverse("phone:offline"))

    assert signed_in.status_code == signed_out.status_code == 200
    assert "You are offline" in signed_in.text
    assert "data-person" not in signed_in.text
    assert "Sign out" not in signed_in.text


def test_every_page_links_the_manifest_the_icon_and_the_theme_colour(
    browser_of: Callable[..., Any],
) -> None:
    web, person = browser_of("ann")

    page = web.get(reverse("journal:index")).text

    assert f'href="{reverse("phone:manifest")}"' in page
    assert 'rel="apple-touch-icon"' in page
    assert '<meta name="theme-color" content="#0b5563">' in page
    assert f'data-person="{person.account.pk}"' in page
    assert "data-signed-out" in WebClient().get(reverse("accounts:login")).text


def test_only_todays_own_pages_may_be_kept_on_the_phone(
    browser_of: Callable[..., Any],
) -> None:
    web, person = browser_of("ann")
    save_program(person, program(dates=[today()]))

    assert web.get(reverse("guide:today"))[KEEP_OFFLINE_HEADER] == "yes"
    assert web.get(reverse("guide:play"))[KEEP_OFFLINE_HEADER] == "yes"
    for name in ("home", "journal:index", "progress:dashboard", "my_data:index"):
        assert KEEP_OFFLINE_HEADER not in web.get(reverse(name)), name
