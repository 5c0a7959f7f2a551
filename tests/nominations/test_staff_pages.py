"""Admin pages speak to the admin, and staff and nominees see the photo they decide about."""
import re

import pytest

from awards.accounts.enums import Role
from awards.core.links import make_link_token
from awards.factories import scheme
from awards.nominations.enums import NominationStatus
from tests.nominations.conftest import page


@pytest.fixture
def admin(client, make_user, sign_in):
    """An admin signed in on `client`."""
    user = make_user(name="Ada Admin", email="ada@example.com", roles=[Role.ADMIN])
    sign_in(user)
    return user


def headings(text):
    return re.findall(r"<h2>(.*?)</h2>", text)


def test_moderation_detail_speaks_about_the_nominator_and_the_nominee(
        client, admin, make_nomination):
    nomination = make_nomination(submit=True, nominee_name="Priya Raman",
                                 nominator_name="Sam Smith")
    assert nomination.status is NominationStatus.AWAITING_CONFIRMATION

    text = page(client.get(f"/admin/nominations/{nomination.reference}"))

    assert "Waiting for the nominator to confirm their email" in text
    assert "Waiting for you to confirm your email" not in text
    assert headings(text)[:4] == ["The award", "The nominee", "Their story", "The nominator"]
    assert "The person you are nominating" not in text and "About you" not in text
    for label in ("Your name", "Your email", "How you know them"):
        assert f"<dt>{label}</dt>" not in text, label
    assert "<dt>The nominator’s name</dt>" in text
    assert "<dt>How they know the nominee</dt>" in text
    assert "<dt>May we tell the nominee who nominated them?</dt>" in text


def test_moderation_queue_labels_statuses_for_the_admin(client, admin, make_nomination):
    make_nomination(submit=True, nominee_name="Priya Raman")

    text = page(client.get("/admin/nominations"))

    assert "<td>Waiting for the nominator to confirm their email</td>" in text
    assert ">Waiting for the nominator to confirm their email</option>" in text
    assert "Waiting for you to confirm your email" not in text


def test_the_nominator_still_reads_about_themselves(client, make_nomination, make_user,
                                                      sign_in):
    nominator = make_user(name="Sam Smith")
    sign_in(nominator)
    nomination = make_nomination(nominator=nominator, nominator_email=nominator.email)

    text = page(client.get(f"/nomination/{nomination.reference}/check"))

    assert headings(text)[:4] == ["The award", "The person you are nominating", "Their story",
                                  "About you"]
    assert "<dt>Your name</dt>" in text


def test_moderation_detail_shows_the_photo(client, admin, submitted):
    nomination = submitted(photo=scheme.photo("teal"), photo_alt="Priya at the lunch club")
    photo = f"/nomination/{nomination.reference}/photo/display"

    text = page(client.get(f"/admin/nominations/{nomination.reference}"))
    image = client.get(photo)

    assert re.search(rf'<img class="answer-photo" src="{re.escape(photo)}" '
                     r'alt="Priya at the lunch club"', text)
    assert (image.status_code, image.mimetype) == (200, "image/jpeg")
    assert image.headers["Cache-Control"] == "no-store"  # a signed-in page: never stored


def test_moderation_detail_without_a_photo_says_so(client, admin, submitted):
    nomination = submitted()

    text = page(client.get(f"/admin/nominations/{nomination.reference}"))

    assert "<img" not in re.search(r'<main.*</main>', text, re.S).group(0)


def test_consent_page_shows_the_nominee_the_photo(app, client, submitted):
    nomination = submitted(photo=scheme.photo("teal"), photo_alt="Priya at the lunch club")
    token = make_link_token("nominee", nomination.id)

    text = page(client.get(f"/consent/{token}"))
    image = app.test_client().get(f"/consent/{token}/photo")

    assert re.search(rf'<img src="/consent/{re.escape(token)}/photo" '
                     r'alt="Priya at the lunch club"', text)
    assert (image.status_code, image.mimetype) == (200, "image/jpeg")
    assert image.headers["Cache-Control"] == "private, no-store"


def test_consent_photo_needs_the_nominees_link_and_a_photo(app, client, submitted):
    with_photo = submitted(photo=scheme.photo("teal"))
    without = submitted()
    token = make_link_token("nominee", without.id)

    text = page(client.get(f"/consent/{token}"))

    assert "<img" not in re.search(r'<main.*</main>', text, re.S).group(0)
    assert client.get(f"/consent/{token}/photo").status_code == 404
    for wrong in (make_link_token("nominator", with_photo.id),
                  make_link_token("supporter", with_photo.id), "not-a-token"):
        assert client.get(f"/consent/{wrong}/photo").status_code == 404, wrong


def _queue_rows(text):
    return re.findall(r'<tr>\s*<td><a href="([^"]+)">([^<]+)</a></td>\s*<td>(.*?)</td>\s*'
                      r'<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*<td>(.*?)</td>\s*'
                      r'<td>(.*?)</td>\s*</tr>', text, re.S)


def test_the_queue_shows_each_nominations_row(client, admin, make_nomination, submitted,
                                              eligible, make_cycle):
    """Reference (linked), nominee, category, area, status and consent in the admin's words,
    and statements counted against the category's minimum (light rows since issue 15)."""
    cycle = make_cycle()
    waiting = make_nomination(cycle, submit=True, nominee_name="Priya Raman")
    received = submitted(cycle, nominee_name="Rhys Evans")
    ready = eligible(cycle, consented=True, statements=1, nominee_name="Siân O'Brien")
    category = cycle.categories[0]

    rows = _queue_rows(page(client.get("/admin/nominations")))

    def row(nomination, status, consent, statements):
        return (f"/admin/nominations/{nomination.reference}", nomination.reference,
                nomination.nominee_name.replace("'", "&#39;"), category.name,
                nomination.area.name, status, consent,
                f"{statements}/{category.min_supporters}")

    assert sorted(rows) == sorted([
        row(waiting, "Waiting for the nominator to confirm their email",
            "–" if waiting.consent is None else waiting.consent.status.label, 0),
        row(received, NominationStatus.SUBMITTED.label, received.consent.status.label, 0),
        row(ready, NominationStatus.ELIGIBLE.label, "Yes, I am happy to be considered", 1),
    ])


def test_the_queue_counts_every_nomination_but_drafts_whatever_the_filters(
        client, admin, make_nomination, submitted, make_cycle):
    cycle, other = make_cycle(), make_cycle()
    for _ in range(2):
        make_nomination(cycle)  # drafts: never listed nor counted
    make_nomination(other)
    make_nomination(cycle, submit=True, nominee_name="Priya Raman")
    submitted(cycle, nominee_name="Rhys Evans")
    submitted(other, nominee_name="Rhys Other")
    expected = {"": 3, f"?cycle={cycle.id}": 2, f"?cycle={other.id}": 1,
                "?status=submitted": 2, f"?status=submitted&cycle={cycle.id}": 1,
                "?q=Rhys": 2, f"?q=Rhys&cycle={other.id}": 1, "?q=Nobody": 0,
                f"?area={cycle.id + 10_000}": 0}

    for query, count in expected.items():
        text = page(client.get(f"/admin/nominations{query}"))
        word = "nomination" if count == 1 else "nominations"
        assert f"<p>{count} {word}</p>" in text, (query, count)
        assert len(_queue_rows(text)) == count, query
