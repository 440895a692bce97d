"""The photo pages: the list with live status, one photo's results, the files served only to
their owner and never cached, compare, and who may see what."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client as WebClient
from django.urls import reverse

from collagen_coach.core.words import EXPLORATORY_WORDS
from collagen_coach.web.demo import PHOTO_FOLDER
from collagen_coach.web.photos import services
from collagen_coach.web.photos.models import Photo, PhotoStatus

from .conftest import face_photo

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TODAY = dt.date.today()
PHOTO_URLS = ["detail", "status", "image", "overlay", "delete"]


@pytest.fixture
def analysed(browser_of: Any) -> tuple[WebClient, Photo]:
    """Ann, signed in, with one analysed photo (biden2.jpg: measured, but not passed)."""
    web, client = browser_of("ann")
    photo = services.store_photo(client, face_photo("JPEG"), "biden2.jpg", TODAY)
    services.analyse(photo)
    return web, photo


@pytest.fixture
def detail_page(analysed: tuple[WebClient, Photo]) -> str:
    """The page of Ann's analysed photo (did not pass), its whitespace runs made one space."""
    web, photo = analysed
    return text(web.get(reverse("photos:detail", args=[photo.pk])))


def text(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_list_shows_each_photo_with_date_thumbnail_and_verdict(
    analysed: tuple[WebClient, Photo],
) -> None:
    web, photo = analysed

    page = text(web.get(reverse("photos:index")))

    assert f"{TODAY:%-d %B %Y}" in page
    assert f'src="{reverse("photos:image", args=[photo.pk])}?size=small"' in page
    assert "Retake advised" in page
    assert "hx-trigger" not in page  # nothing pending, nothing polled


def test_a_pending_photo_polls_its_status_until_it_is_done(browser_of: Any) -> None:
    web, client = browser_of("ann")
    photo = services.store_photo(client, face_photo("JPEG"), "face.jpg", TODAY)
    status_url = reverse("photos:status", args=[photo.pk])

    page = text(web.get(reverse("photos:index")))
    assert f'hx-get="{status_url}"' in page
    assert 'hx-trigger="every 2s"' in page
    assert "Waiting to be analysed" in page

    services.analyse(photo)
    fragment = text(web.get(status_url))
    assert "Retake advised" in fragment
    assert "hx-get" not in fragment  # the answer stops the polling
    assert "HX-Refresh" not in web.get(status_url)


def test_the_photos_own_page_reloads_once_its_analysis_is_done(browser_of: Any) -> None:
    web, client = browser_of("ann")
    photo = services.store_photo(client, face_photo("JPEG"), "face.jpg", TODAY)
    page = text(web.get(reverse("photos:detail", args=[photo.pk])))
    assert f'hx-get="{reverse("photos:status", args=[photo.pk])}?page=detail"' in page

    services.analyse(photo)

    answer = web.get(reverse("photos:status", args=[photo.pk]), {"page": "detail"})
    assert answer["HX-Refresh"] == "true"


def test_the_photos_page_gives_the_verdict_each_problem_in_words_and_the_metrics(
    analysed: tuple[WebClient, Photo],
) -> None:
    web, photo = analysed

    page = text(web.get(reverse("photos:detail", args=[photo.pk])))

    assert "did not pass the quality check" in page
    assert "Uneven light" in page
    assert "Face not relaxed" in page
    assert "cheek is in shadow" in page  # the hint
    assert re.search(r"L\* darker than the other .*; at most 8\.0 is allowed", page)
    assert re.search(r"the lips are open 0\.\d\d of the mouth&#x27;s width; at most 0\.10", page)
    assert "Head position:" in page
    assert "turned" in page
    for heading in ("Wrinkles", "Texture", "Radiance", "Redness", "lower is better"):
        assert heading in page
    assert "Forehead" in page
    assert "Jawline sag" in page
    assert f'src="{reverse("photos:overlay", args=[photo.pk])}"' in page
    assert "evidence: EO" in page


def test_a_photo_that_did_not_pass_says_what_to_retake_and_is_not_compared(
    detail_page: str,
) -> None:
    page = detail_page
    summary = page.split("Since your baseline", 1)[1].split("<details", 1)[0]

    assert page.index("What to change next time") < page.index("Since your baseline")
    assert "Because this photo did not pass the quality check, it is not compared" in summary
    assert "this is a single-day reading, not a verdict" in summary
    assert f'href="{reverse("progress:dashboard")}"' in summary
    assert "uneven_light" not in page  # the reasons in words, never their ids


def test_the_numbers_are_behind_details_one_short_table_per_measure_name_and_unit_first(
    detail_page: str,
) -> None:
    page = detail_page
    details = page.split('<details class="photo-details">', 1)[1].split("</details>", 1)[0]
    headings = re.findall(r"<thead><tr>(.*?)</tr></thead>", details)

    assert "<summary>The numbers behind this</summary>" in details
    assert "Skin, measure by measure" in details
    assert len(headings) == 7  # six skin measures, then the face shape
    assert all(h.count("<th") == 2 for h in headings[:6])  # two columns fit a phone
    assert re.search(
        r"<th[^>]*>Zone</th> ?<th[^>]*>Wrinkles<span class=\"unit\">% contrast</span>"
        r"<span class=\"better\">lower is better</span></th>",
        headings[0],
    )
    assert "Redness" in headings[5]
    assert "neither" in headings[5]  # redness has no better direction
    assert re.findall(r"<th[^>]*>([^<]*)</th>", headings[6]) == [
        "Measure",
        "Your left",
        "Your right",
    ]


def test_the_annotated_image_has_a_legend_of_its_colours(detail_page: str) -> None:
    page = detail_page
    legend = page.split('<ul class="overlay-legend"', 1)[1].split("</ul>", 1)[0]

    assert "style=" not in legend  # the page's security policy takes no inline style
    assert re.search(
        r'fill="rgb\(240 228 66\)" fill-opacity="0.55"[^>]*/></svg>Outer eye corners', legend
    )
    assert "Forehead" in legend
    assert legend.rstrip().endswith("Lines the analysis found</li>")


def test_a_first_photo_that_passes_is_baseline_photo_1_of_3(browser_of: Any) -> None:
    web, client = browser_of("ann")
    passes = (PHOTO_FOLDER / "baseline-1.jpg").read_bytes()  # made to pass the quality check
    photo = services.store_photo(client, passes, "baseline-1.jpg", TODAY)
    services.analyse(photo)

    page = text(web.get(reverse("photos:detail", args=[photo.pk])))

    assert "Passed the quality check." in page
    assert "This is baseline photo 1 of 3: there is nothing to compare with yet." in page
    assert "What to change next time" not in page


def test_a_failed_photo_says_why_in_plain_words(browser_of: Any) -> None:
    web, client = browser_of("ann")
    photo = services.store_photo(client, face_photo("JPEG"), "face.jpg", TODAY)
    photo.image.storage.delete(str(photo.image.name))
    services.analyse(photo)

    page = text(web.get(reverse("photos:detail", args=[photo.pk])))

    assert "This photo could not be analysed." in page
    assert "Delete it and upload it again." in page
    assert "Traceback" not in page


@pytest.mark.parametrize(
    ("name", "query", "content_type"),
    [
        ("image", {}, "image/jpeg"),
        ("image", {"size": "small"}, "image/jpeg"),
        ("overlay", {}, "image/jpeg"),
    ],
    ids=["photo", "thumbnail", "overlay"],
)
def test_files_are_served_to_their_owner_and_never_cached(
    analysed: tuple[WebClient, Photo], name: str, query: dict[str, str], content_type: str
) -> None:
    web, photo = analysed

    response = web.get(reverse(f"photos:{name}", args=[photo.pk]), query)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert len(response.content) > 1000


def test_a_thumbnail_is_small(analysed: tuple[WebClient, Photo]) -> None:
    from io import BytesIO

    from PIL import Image

    web, photo = analysed
    response = web.get(reverse("photos:image", args=[photo.pk]), {"size": "small"})

    with Image.open(BytesIO(response.content)) as thumbnail:
        assert max(thumbnail.size) <= services.THUMBNAIL_LONG_SIDE_PX


def test_the_capture_guidance_shows_the_picture_and_every_rule(browser_of: Any) -> None:
    web, _ = browser_of("ann")

    page = text(web.get(reverse("photos:guidance")))

    assert page.count("<svg") >= 2
    assert 'role="img"' in page
    for rule in (
        "Face the light",
        "eye level",
        "an arm's length",
        "A neutral face",
        "Hair off your forehead, no glasses",
        "Same place, same time of day",
    ):
        assert rule in page
    assert "Evidence: EO, expert opinion" in page


def test_comparing_two_photos_not_taken_alike_gives_the_reasons_and_the_aligned_pair(
    browser_of: Any,
) -> None:
    web, client = browser_of("ann")
    first = services.store_photo(client, face_photo("JPEG", face="obama.jpg"), "a.jpg", TODAY)
    second = services.store_photo(client, face_photo("JPEG", face="obama2.jpg"), "b.jpg", TODAY)
    for photo in (first, second):
        services.analyse(photo)

    response = web.get(reverse("photos:compare"), {"before": first.pk, "after": second.pk})

    assert response.status_code == 200
    page = text(response)
    assert "cannot be measured against each other" in page
    assert f"The before photo ({TODAY:%-d %B %Y}): Your face is too small" in page
    assert "before: low_resolution" not in page  # no ids, words
    assert page.count('src="data:image/jpeg;base64,') == 2
    assert 'type="range"' in page
    assert 'id="slider-split"' in page
    assert 'for="slider-split"' in page
    assert "js/slider.js" in page
    assert "Change per zone" not in page  # no numbers for a pair that cannot be compared


def test_compare_offers_only_analysed_photos_and_refuses_the_same_one_twice(
    analysed: tuple[WebClient, Photo],
) -> None:
    web, photo = analysed
    client = photo.client
    pending = services.store_photo(client, face_photo("JPEG"), "pending.jpg", TODAY)
    other = services.store_photo(client, face_photo("JPEG", face="obama.jpg"), "o.jpg", TODAY)
    services.analyse(other)

    form_page = web.get(reverse("photos:compare"))
    choices = {c.value for c, _ in form_page.context["form"].fields["before"].choices if c}
    assert choices == {photo.pk, other.pk}
    assert pending.pk not in choices

    same = web.get(reverse("photos:compare"), {"before": photo.pk, "after": photo.pk})
    assert same.status_code == 400
    assert "Choose two different photos." in text(same)


def test_deleting_asks_first_then_removes_the_photo(analysed: tuple[WebClient, Photo]) -> None:
    web, photo = analysed

    question = web.get(reverse("photos:delete", args=[photo.pk]))
    assert "Yes, delete this photo" in text(question)
    assert Photo.objects.filter(pk=photo.pk).exists()

    answer = web.post(reverse("photos:delete", args=[photo.pk]))
    assert answer.status_code == 302
    assert not Photo.objects.filter(pk=photo.pk).exists()


# --- who may see what ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", PHOTO_URLS)
def test_another_persons_photo_answers_404(
    analysed: tuple[WebClient, Photo], browser_of: Any, name: str
) -> None:
    _, anns_photo = analysed
    bob, _ = browser_of("bob")

    assert bob.get(reverse(f"photos:{name}", args=[anns_photo.pk])).status_code == 404
    if name == "delete":
        assert bob.post(reverse("photos:delete", args=[anns_photo.pk])).status_code == 404
        assert Photo.objects.filter(pk=anns_photo.pk).exists()


def test_another_persons_photo_answers_404_in_compare(
    analysed: tuple[WebClient, Photo], browser_of: Any
) -> None:
    _, anns_photo = analysed
    bob, bobs_client = browser_of("bob")
    bobs = services.store_photo(bobs_client, face_photo("JPEG"), "bob.jpg", TODAY)
    services.analyse(bobs)

    for query in (
        {"before": anns_photo.pk, "after": bobs.pk},
        {"before": bobs.pk, "after": anns_photo.pk},
    ):
        assert bob.get(reverse("photos:compare"), query).status_code == 404


def test_the_list_shows_only_ones_own_photos(
    analysed: tuple[WebClient, Photo], browser_of: Any
) -> None:
    _, anns_photo = analysed
    bob, _ = browser_of("bob")

    page = text(bob.get(reverse("photos:index")))

    assert reverse("photos:detail", args=[anns_photo.pk]) not in page
    assert "No photos yet" in page


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(lambda pk: reverse("photos:index"), id="index"),
        pytest.param(lambda pk: reverse("photos:guidance"), id="guidance"),
        pytest.param(lambda pk: reverse("photos:upload"), id="upload"),
        pytest.param(lambda pk: reverse("photos:compare"), id="compare"),
        *[
            pytest.param(lambda pk, n=n: reverse(f"photos:{n}", args=[pk]), id=n)
            for n in PHOTO_URLS
        ],
    ],
)
def test_signed_out_every_photo_page_leads_to_sign_in(make_person: Any, url: Any) -> None:
    _, client = make_person("ann")
    photo = Photo.objects.create(client=client, taken_on=TODAY, original_name="x.jpg", image="x")

    response = WebClient().get(url(photo.pk))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert photo.status == PhotoStatus.QUEUED


def test_comparing_two_photos_taken_alike_says_what_differs_first_the_numbers_behind(
    browser_of: Any,
) -> None:
    web, client = browser_of("ann")
    days = (-60, -58, -56, -21, -14)
    names = ("baseline-1.jpg", "baseline-2.jpg", "baseline-3.jpg", "week-3.jpg", "week-4.jpg")
    photos = []
    for offset, name in zip(days, names, strict=True):
        data = (PHOTO_FOLDER / name).read_bytes()
        photo = services.store_photo(client, data, name, TODAY + dt.timedelta(days=offset))
        services.analyse(photo)
        photos.append(photo)
    before, after = photos[-2], photos[-1]

    response = web.get(reverse("photos:compare"), {"before": before.pk, "after": after.pk})

    page = text(response)
    assert response.context["comparison"].comparable
    summary = response.context["summary"]
    assert summary.compared
    later, earlier = (f"{p.taken_on:%-d %B %Y}" for p in (after, before))
    assert f"The photo of {later} against that of {earlier}, beyond the usual variation" in page
    assert summary.steady in page
    assert "line up to less than 1 % of the distance between your eyes" in page
    assert "this is a reading of two days, not a verdict" in page
    # The plain words come before the numbers, which sit behind a details summary.
    assert page.index("What differs between them") < page.index("The numbers behind this")
    assert '<details class="photo-details">' in page
    assert "Skin, measure by measure" in page
    assert "Change per zone" not in page  # no six-column table


def test_the_tables_mark_the_measures_not_yet_repeatable_enough_to_judge(
    detail_page: str,
) -> None:
    details = detail_page.split('<details class="photo-details">', 1)[1].split("</details>", 1)[0]
    marked = re.escape(f'<span class="exploratory">{EXPLORATORY_WORDS}</span>')
    assert re.findall(rf"<h3>([^<]*) {marked}</h3>", details) == ["Line length"]
    # The shape rows (smile line depth among them) are all repeatable: none is marked.
    assert "Smile line depth" in details
    assert (
        re.findall(
            rf'<th scope="row">([^<]*)<span[^>]*>[^<]*</span><span[^>]*>[^<]*</span>{marked}',
            details,
        )
        == []
    )
