"""Taking a photo with the live coach, in Chromium, with a camera that plays a film.

The film (``camera_film``) shows a real face too small, then turned, then lit from one side, then
right and held. The page must say what the coach advises for each scene, in that order, take
exactly one photo by itself once the face is right, and send it through the upload: stored at the
camera's full 1280 × 720 and analysed by the worker. Screenshots in out/screenshots/take-*.png.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse
from PIL import Image

from web.browser.camera_film import SIZE, Scene, scenes, write_film
from web.browser.conftest import CHROMIUM_ARGS, PASSWORD
from web.browser.live_server import RunningServer
from web.browser.pages import PageWatch, screenshot, sign_in
from web.browser.readability import readability_problems

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

FRAME_WIDTH_PX = 640  # as the page sends it
FILM_TIMEOUT_MS = 120_000  # the film lasts 17 s; the coach answers a frame in well under 1 s
ANALYSIS_TIMEOUT_MS = 120_000
# Hands the page's log (its root element's data attributes) to the test whenever it changes, so
# that what it said before leaving for the photo's page is kept.
WATCH_THE_LOG = """
document.addEventListener("DOMContentLoaded", () => {
  const root = document.querySelector("[data-take]");
  if (root) {
    new MutationObserver(() => window.noteTake({ ...root.dataset })).observe(
      root, { attributes: true });
  }
});
"""


@pytest.fixture(scope="module")
def film_scenes() -> list[Scene]:
    return scenes()


@pytest.fixture(scope="module")
def camera_playing(
    browser: Browser, chromium_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[list[Scene]], Browser]]:
    """Give a maker of Chromiums whose camera plays a film (the camera allowed without asking):
    ``camera_playing(scenes)``."""
    launched: list[Browser] = []

    def launch(film_scenes: list[Scene]) -> Browser:
        film = write_film(tmp_path_factory.mktemp("camera") / "film.y4m", film_scenes)
        with_camera = browser.browser_type.launch(
            executable_path=str(chromium_path),
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={film}",
            ],
        )
        launched.append(with_camera)
        return with_camera

    yield launch
    for with_camera in launched:
        with_camera.close()


@dataclass
class Filmed:
    """A page of a Chromium whose camera plays a film, signed in, and what it said."""

    page: Page
    notes: list[dict[str, str]] = field(default_factory=list)
    uploads: list[str] = field(default_factory=list)

    def said(self, key: str) -> list[str]:
        """Give the page's last log of ``key`` ("checks" or "instructions")."""
        text = self.notes[-1].get(key) if self.notes else None
        return list(json.loads(text)) if text else []


def filmed_page(camera: Browser, served_app: RunningServer, username: str) -> Filmed:
    """Give a page of ``camera`` signed in as a new person, its log and uploads watched."""
    served_app.sign_up(username, PASSWORD)
    context = camera.new_context(
        base_url=served_app.url.rstrip("/"), viewport={"width": 1280, "height": 800}
    )
    context.set_default_timeout(15_000)
    filmed = Filmed(context.new_page())
    context.expose_function("noteTake", lambda data: filmed.notes.append(data))
    context.add_init_script(WATCH_THE_LOG)
    filmed.page.on(
        "request",
        lambda r: (
            filmed.uploads.append(r.url)
            if r.method == "POST" and r.url.endswith(reverse("photos:upload"))
            else None
        ),
    )
    sign_in(filmed.page, username, PASSWORD)
    return filmed


def advice_for(scene: Scene) -> dict[str, Any]:
    """Give what the coach advises for a scene's picture, sent as the page sends it."""
    from collagen_coach.vision.live import advise_frame

    width, height = SIZE
    small = Image.fromarray(scene.rgb).resize(
        (FRAME_WIDTH_PX, round(height * FRAME_WIDTH_PX / width))
    )
    out = io.BytesIO()
    small.save(out, format="JPEG", quality=80)
    return advise_frame(out.getvalue(), camera_size=SIZE).as_json()


def in_order(wanted: list[str], said: list[str]) -> bool:
    """Say whether ``wanted`` appears in ``said`` in that order (other entries between)."""
    rest = iter(said)
    return all(any(entry == item for entry in rest) for item in wanted)


def _shoot(page: Page, name: str) -> None:
    assert screenshot(page, name).stat().st_size > 10_000, f"the screenshot {name} is nearly empty"


def test_the_coach_follows_the_film_and_takes_one_photo_at_full_resolution(
    camera_playing: Callable[[list[Scene]], Browser],
    served_app: RunningServer,
    film_scenes: list[Scene],
    watch_page: Callable[[Page], PageWatch],
) -> None:
    advice = [advice_for(scene) for scene in film_scenes]
    checks = [a["check"] for a in advice]
    assert [a["ready"] for a in advice] == [False, False, False, True], checks
    assert len(set(checks)) == len(checks), f"each scene should need something else: {checks}"
    filmed = filmed_page(camera_playing(film_scenes), served_app, "fiona")
    page = filmed.page
    watched = watch_page(page)

    page.goto(reverse("photos:index"))
    page.get_by_role("link", name="Take my photo").click()
    page.wait_for_url("**" + reverse("photos:take"))
    _shoot(page, "take-1-start-laptop")
    page.get_by_role("button", name="Start the camera").click()
    page.wait_for_selector("[data-take][data-checks]")
    _shoot(page, "take-2-coaching-laptop")
    page.set_viewport_size({"width": 390, "height": 844})
    page.wait_for_selector(f'[data-take][data-checks*="{checks[1]}"]')
    _shoot(page, "take-3-coaching-phone")
    assert readability_problems(page) == []
    page.wait_for_selector('[data-take][data-state="countdown"]', timeout=FILM_TIMEOUT_MS)
    _shoot(page, "take-4-countdown-phone")
    page.wait_for_url(re.compile(r"/photos/\d+/$"), timeout=FILM_TIMEOUT_MS)

    said_checks, said = filmed.said("checks"), filmed.said("instructions")
    assert in_order(checks, said_checks), f"wanted {checks} in order, the page said {said_checks}"
    wanted = [a["instruction"] for a in advice]
    assert in_order(wanted, said), f"wanted {wanted} in order, the page said {said}"
    assert filmed.notes[-1].get("captures") == "1"
    assert len(filmed.uploads) == 1, filmed.uploads

    # Stored at the camera's full resolution, and analysed by the worker.
    pk = int(page.url.rstrip("/").rsplit("/", 1)[-1])
    image = page.request.get(reverse("photos:image", args=[pk]))
    assert Image.open(io.BytesIO(image.body())).size == SIZE
    _shoot(page, "take-5-photo-queued-phone")
    # The page reloads itself once the worker has analysed the photo.
    page.wait_for_selector(".photo-summary, .notice-bad", timeout=ANALYSIS_TIMEOUT_MS)
    _shoot(page, "take-6-photo-analysed-phone")
    assert page.locator(".notice-bad").count() == 0, page.inner_text("main")[:500]
    # The frames the coach judged ready make a photo the quality gate passes.
    assert "Passed the quality check" in page.inner_text("main"), page.inner_text("main")[:500]
    page.goto(reverse("photos:index"))
    assert page.locator(".photo-card").count() == 1
    assert watched.script_errors == []
    assert watched.csp_violations == []
    page.context.close()


def test_the_countdown_stops_when_the_face_is_no_longer_ready_and_starts_again(
    camera_playing: Callable[[list[Scene]], Browser], served_app: RunningServer
) -> None:
    good, side_lit = (next(s for s in scenes() if s.name == name) for name in ("good", "side_lit"))
    # Right for 2.5 s: the countdown (after 1 s ready) is at 2 or 1 when the light changes.
    film = [replace(good, seconds=2.5), side_lit, good]
    filmed = filmed_page(camera_playing(film), served_app, "hazel")
    page = filmed.page
    page.goto(reverse("photos:take"))

    page.get_by_role("button", name="Start the camera").click()
    page.wait_for_url(re.compile(r"/photos/\d+/$"), timeout=FILM_TIMEOUT_MS)

    said = filmed.said("instructions")
    counting, shaded = "Hold still: 3", advice_for(side_lit)["instruction"]
    assert counting in said, said
    stopped = said.index(counting) + said[said.index(counting) :].index(shaded)
    assert "Photo taken. Saving it…" not in said[:stopped], said
    assert said[stopped:].count(counting) == 1, (
        f"counted down again once the face was right: {said}"
    )
    assert filmed.notes[-1].get("captures") == "1"
    assert len(filmed.uploads) == 1, filmed.uploads
    page.context.close()


def test_without_a_camera_the_page_says_so_and_offers_the_upload_form(
    signed_in_page: Callable[[str], Page],
) -> None:
    page = signed_in_page("gwen")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("photos:take"))

    page.get_by_role("button", name="Start the camera").click()

    problem = page.locator("[data-take-problem]")
    problem.wait_for(state="visible")
    assert "upload a photo instead" in problem.inner_text().lower()
    link = page.get_by_role("link", name="Upload a photo instead")
    assert link.count() == 1, "offered once, in the notice"
    assert problem.locator("a").get_attribute("href") == reverse("photos:upload")
    assert page.locator("[data-take-stage]").is_hidden()
    _shoot(page, "take-7-no-camera-phone")
    assert readability_problems(page) == []
