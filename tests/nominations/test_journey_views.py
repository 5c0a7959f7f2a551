"""The nomination journey through the test client: start, steps, check, send, withdraw, access."""
import re
from io import BytesIO
from pathlib import Path

import pytest
from markupsafe import escape
from PIL import Image
from sqlalchemy import select

from awards.core.links import make_link_token
from awards.extensions import db
from awards.nominations.enums import AgeBand, HowLong, NominationStatus, NomineeKind, Phase
from awards.nominations.models import Nomination, Photo
from awards.nominations.services import journey
from tests.conftest import field_error, link_in, path_of, summary_error
from tests.nominations.conftest import (
    audit,
    count,
    grant,
    kinds,
    move_to,
    page,
    reload,
)

STEPS = ["category", "nominee", "what-they-do", "difference", "how-long", "photo", "about-you"]


# --- helpers -------------------------------------------------------------------------------

def all_nominations():
    db.session.expire_all()
    return db.session.scalars(select(Nomination).order_by(Nomination.id)).all()


def columns(nomination):
    """Every stored answer of a nomination, fresh from the database (not when it was last
    saved, nor the nominator's language, which every save notes)."""
    nomination = reload(nomination)
    return {c.name: getattr(nomination, c.name) for c in Nomination.__table__.columns
            if c.name not in {"updated_at", "locale"}}


def nominator_token(nomination):
    return make_link_token("nominator", nomination.id)


def jpeg_bytes(size=(40, 30), colour="red"):
    buffer = BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def start(client):
    """Start a draft through the start page; returns its reference."""

    def do(cycle, token="start-token-1", target=client, category=None):
        url = f"/nominate/{cycle.slug}" + (f"?category={category.slug}" if category else "")
        response = target.post(url, data={"start_token": token, "website": ""})
        assert response.status_code == 302, page(response)
        match = re.fullmatch(r"/nomination/(BC\d\d-[2-9A-Z]{5})/(category|nominee)",
                             path_of(response.headers["Location"]))
        assert match, response.headers["Location"]
        return match.group(1)

    return do


@pytest.fixture
def draft(make_cycle, make_area, start):
    """A draft started in the browser `client`, with one open cycle and one area."""
    cycle = make_cycle()
    area = make_area("Riverside")
    reference = start(cycle)
    nomination = all_nominations()[0]
    assert nomination.reference == reference
    return nomination, cycle, area


# --- choosing a cycle and starting -----------------------------------------------------------

def test_nominate_with_one_open_cycle_redirects_to_its_start_page(client, make_cycle):
    open_cycle = make_cycle(name="Awards 2027")
    make_cycle(Phase.UPCOMING, name="Awards 2028")

    response = client.get("/nominate")

    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == f"/nominate/{open_cycle.slug}"


def test_nominate_passes_on_only_the_category_to_the_start_page(client, make_cycle):
    """Regression: /nominate?slug=x and ?_method=DELETE were server errors (every query
    argument went to url_for)."""
    cycle = make_cycle(name="Awards 2027")

    for query in ("?slug=x", "?_method=DELETE", "?_external=1&_anchor=x&_scheme=javascript",
                  "?reference=ABC&step=nominee"):
        response = client.get(f"/nominate{query}")
        assert response.status_code == 302, query
        assert response.headers["Location"] == f"/nominate/{cycle.slug}", query
    response = client.get("/nominate?category=good-neighbour&slug=x")
    assert response.headers["Location"] == f"/nominate/{cycle.slug}?category=good-neighbour"


def test_nominate_with_several_open_cycles_lists_each(client, make_cycle):
    first = make_cycle(name="Spring Awards")
    second = make_cycle(name="Youth Awards")
    make_cycle(Phase.JUDGING, name="Last Year Awards")

    response = client.get("/nominate")

    text = page(response)
    assert response.status_code == 200
    assert "Choose the awards you are nominating for." in text
    assert f'<a href="/nominate/{first.slug}">Spring Awards</a>' in text
    assert f'<a href="/nominate/{second.slug}">Youth Awards</a>' in text
    assert "Last Year Awards" not in text


def test_nominate_with_no_open_cycle_says_none_is_open(client, make_cycle):
    make_cycle(Phase.UPCOMING, name="Awards 2028")

    response = client.get("/nominate")

    assert response.status_code == 200
    assert "Nominations are not open at the moment." in page(response)
    assert 'href="/nominate/' not in page(response)


def test_start_page_explains_the_questions_and_creates_nothing(client, make_cycle):
    cycle = make_cycle(name="Awards 2027")

    response = client.get(f"/nominate/{cycle.slug}")

    text = page(response)
    assert response.status_code == 200
    assert "Nominate someone for the Awards 2027" in text
    assert "What we will ask" in text
    close = cycle.nominations_close
    assert f"Nominations close on {close.day} {close:%B %Y}." in text
    assert 'name="start_token" type="hidden" value="' in text
    assert all_nominations() == []


def test_start_post_creates_one_draft_and_opens_the_first_step(client, make_cycle, start):
    cycle = make_cycle()

    reference = start(cycle)

    [nomination] = all_nominations()
    assert nomination.reference == reference
    assert nomination.reference.startswith(cycle.reference_prefix + "-")
    assert nomination.status is NominationStatus.DRAFT
    assert nomination.cycle_id == cycle.id
    assert nomination.category_id is None
    assert nomination.nominator_id is None
    assert nomination.start_token == "start-token-1"
    [event] = audit("nomination.started", nomination)
    assert event.details["reference"] == reference
    # The browser that started it may open it.
    assert client.get(f"/nomination/{reference}/category").status_code == 200


def test_start_post_with_category_skips_the_category_step(client, make_cycle):
    cycle = make_cycle()
    category = cycle.categories[0]

    response = client.post(f"/nominate/{cycle.slug}?category={category.slug}",
                           data={"start_token": "t-cat"})

    [nomination] = all_nominations()
    assert nomination.category_id == category.id
    assert path_of(response.headers["Location"]) == f"/nomination/{nomination.reference}/nominee"


def test_start_post_twice_with_the_same_token_makes_one_draft(client, make_cycle, start):
    cycle = make_cycle()

    first = start(cycle, token="same-token")
    second = start(cycle, token="same-token")

    assert first == second
    assert [n.reference for n in all_nominations()] == [first]
    assert len(audit("nomination.started")) == 1


def test_start_post_with_different_tokens_makes_two_drafts(client, make_cycle, start):
    cycle = make_cycle()

    first = start(cycle, token="token-a")
    second = start(cycle, token="token-b")

    assert first != second
    assert len(all_nominations()) == 2


def test_start_post_with_honeypot_filled_makes_no_draft(client, make_cycle):
    cycle = make_cycle()

    response = client.post(f"/nominate/{cycle.slug}",
                           data={"start_token": "bot", "website": "http://spam.example"})

    text = page(response)
    assert response.status_code == 200
    assert "There is a problem" in text
    assert summary_error("website", "Please leave this field empty.") in text
    assert all_nominations() == []


def test_start_page_of_a_closed_cycle_refuses_to_start(client, make_cycle):
    cycle = make_cycle(Phase.JUDGING)

    get = client.get(f"/nominate/{cycle.slug}")
    post = client.post(f"/nominate/{cycle.slug}", data={"start_token": "late"})

    assert "Nominations are not open. Judging." in page(get)
    assert post.status_code == 200
    assert "Start now" not in page(post)
    assert all_nominations() == []


def test_start_page_of_an_unknown_cycle_is_404(client):
    assert client.get("/nominate/no-such-awards").status_code == 404


# --- each step with good input ---------------------------------------------------------------

def test_steps_save_each_answer_and_lead_to_the_next(client, draft):
    nomination, cycle, area = draft
    category = cycle.categories[0]
    ref = nomination.reference

    def post(step, data, expected_next):
        response = client.post(f"/nomination/{ref}/{step}", data=data)
        assert response.status_code == 302, page(response)
        assert path_of(response.headers["Location"]) == f"/nomination/{ref}/{expected_next}"
        return reload(nomination)

    saved = post("category", {"category_id": category.id}, "nominee")
    assert saved.category_id == category.id

    saved = post("nominee", {"nominee_kind": "group", "nominee_name": "Riverside Litter Pickers",
                             "area_id": area.id, "age_band": "16_17",
                             "nominee_email": "Pickers@Example.COM",
                             "nominee_phone": "01234 567890"}, "what-they-do")
    assert saved.nominee_kind is NomineeKind.GROUP
    assert saved.nominee_name == "Riverside Litter Pickers"
    assert saved.area_id == area.id
    assert saved.age_band is AgeBand.AGE_16_17
    assert saved.nominee_email == "pickers@example.com"
    assert saved.nominee_phone == "01234 567890"

    saved = post("what-they-do", {"what_they_do": "They clear the river path every week."},
                 "difference")
    assert saved.what_they_do == "They clear the river path every week."

    saved = post("difference", {"who_benefits": "Everyone who walks there.",
                                "difference_made": "Families use the path again."}, "how-long")
    assert (saved.who_benefits, saved.difference_made) == (
        "Everyone who walks there.", "Families use the path again.")

    saved = post("how-long", {"how_long": "5_10"}, "photo")
    assert saved.how_long is HowLong.YEARS_5_10

    saved = post("photo", {"alt_text": ""}, "about-you")
    assert saved.photo is None

    saved = post("about-you", {"nominator_name": "Sam Smith", "nominator_email": "Sam@Example.com",
                               "nominator_relationship": "Neighbour",
                               "nominator_may_be_named": "yes"}, "check")
    assert (saved.nominator_name, saved.nominator_email, saved.nominator_relationship) == (
        "Sam Smith", "sam@example.com", "Neighbour")
    assert saved.nominator_may_be_named is True
    assert saved.status is NominationStatus.DRAFT
    assert journey.missing_steps(saved) == []


def test_step_page_shows_the_saved_answers(client, make_nomination):
    nomination = make_nomination(nominee_name="Maria <Lopez> & Co")
    grant(client, nomination)

    nominee = page(client.get(f"/nomination/{nomination.reference}/nominee"))
    about = page(client.get(f"/nomination/{nomination.reference}/about-you"))

    assert 'value="Maria &lt;Lopez&gt; &amp; Co"' in nominee
    assert re.findall(r'<input checked [^>]*name="age_band"[^>]*value="([^"]+)"', nominee) == [
        "18_plus"]
    assert f'<option selected value="{nomination.area_id}">' in nominee
    assert 'value="sam@example.com"' in about
    assert re.findall(r'<input checked [^>]*name="nominator_may_be_named"[^>]*value="([^"]+)"',
                      about) == ["no"]


@pytest.mark.parametrize("step,data", [
    ("category", None),
    ("nominee", {"nominee_kind": "person", "nominee_name": "New Name", "age_band": "18_plus"}),
    ("what-they-do", {"what_they_do": "Changed."}),
    ("difference", {"who_benefits": "Changed.", "difference_made": "Changed too."}),
    ("how-long", {"how_long": "over_10"}),
    ("photo", {"alt_text": ""}),
    ("about-you", {"nominator_name": "Sam Smith", "nominator_email": "sam@example.com",
                   "nominator_relationship": "Friend", "nominator_may_be_named": "no"}),
])
def test_step_with_change_returns_to_check(client, make_nomination, step, data):
    nomination = make_nomination()
    grant(client, nomination)
    if step == "category":
        data = {"category_id": nomination.category_id}
    if step == "nominee":
        data = {**data, "area_id": nomination.area_id}

    response = client.post(f"/nomination/{nomination.reference}/{step}?change=1", data=data)

    assert response.status_code == 302, page(response)
    assert path_of(response.headers["Location"]) == f"/nomination/{nomination.reference}/check"
    saved = reload(nomination)
    if step == "what-they-do":
        assert saved.what_they_do == "Changed."
    if step == "how-long":
        assert saved.how_long is HowLong.OVER_10
    if step == "about-you":
        assert saved.nominator_relationship == "Friend"


# --- each step with bad input ----------------------------------------------------------------

BAD_INPUT = [
    # step, posted data (area filled in by the test), field with the error, message, typed
    ("category", {}, "category_id", "Choose an award", []),
    ("nominee", {"nominee_kind": "person", "nominee_name": "Tom <& Jerry>", "area_id": "AREA",
                 "age_band": "18_plus", "nominee_email": "not-an-email<x>"},
     "nominee_email", "Enter an email address in the correct format, like name@example.com",
     ["Tom <& Jerry>", "not-an-email<x>"]),
    ("nominee", {"nominee_kind": "person", "nominee_name": "Tom <& Jerry>", "area_id": "0",
                 "age_band": "18_plus", "nominee_phone": "0123 <456>"},
     "area_id", "Choose the area where they help", ["Tom <& Jerry>", "0123 <456>"]),
    ("nominee", {"nominee_kind": "person", "nominee_name": "", "area_id": "AREA",
                 "age_band": "18_plus", "nominee_email": "kept@example.com"},
     "nominee_name", "Enter their name", ["kept@example.com"]),
    ("what-they-do", {"what_they_do": "<b>Fish & chips</b> " + "x" * 3000},
     "what_they_do", "Your answer is 3,020 characters: please shorten it by 20",
     ["<b>Fish & chips</b> " + "x" * 3000]),
    ("difference", {"who_benefits": "Kids & <teens>", "difference_made": ""},
     "difference_made", "Tell us what has changed for the people they help",
     ["Kids & <teens>"]),
    ("how-long", {}, "how_long", "Choose how long", []),
    ("about-you", {"nominator_name": "Sam <& Co>", "nominator_email": "sam@",
                   "nominator_relationship": "Neighbour & friend",
                   "nominator_may_be_named": "yes"},
     "nominator_email", "Enter an email address in the correct format, like name@example.com",
     ["Sam <& Co>", "sam@", "Neighbour & friend"]),
    ("about-you", {"nominator_name": "Sam", "nominator_email": "sam@example.com",
                   "nominator_relationship": "Neighbour"},
     "nominator_may_be_named", "Choose whether we may tell them", ["sam@example.com"]),
]


@pytest.mark.parametrize("step,data,field_id,message,typed", BAD_INPUT,
                         ids=[f"{b[0]}-{b[2]}" for b in BAD_INPUT])
def test_step_with_bad_input_shows_errors_keeps_typing_and_saves_nothing(
        client, draft, step, data, field_id, message, typed):
    nomination, _cycle, area = draft
    data = {k: (area.id if v == "AREA" else v) for k, v in data.items()}
    before = columns(nomination)

    response = client.post(f"/nomination/{nomination.reference}/{step}", data=data)

    text = page(response)
    assert response.status_code == 200
    assert "There is a problem" in text
    assert summary_error(field_id, message) in text
    assert field_error(field_id, message) in text
    assert "<title>Error:" in text
    for value in typed:
        assert str(escape(value)) in text
        if "<" in value:
            assert value not in text  # never unescaped
    if step == "about-you" and "nominator_may_be_named" in data:
        assert re.search(r'<input checked [^>]*id="nominator_may_be_named-0"', text)
    if step == "nominee":
        assert re.search(r'<input checked [^>]*id="age_band-2"', text)
    assert columns(nomination) == before
    assert count(Photo) == 0


def test_photo_step_with_a_file_that_is_not_a_photo_shows_the_error(client, draft):
    nomination, _cycle, _area = draft
    before = columns(nomination)

    response = client.post(
        f"/nomination/{nomination.reference}/photo", content_type="multipart/form-data",
        data={"photo": (BytesIO(b"%PDF-1.4 not a photo"), "maria.jpg"),
              "alt_text": "Maria & <her dog>"})

    text = page(response)
    message = "The file is not a photo we can read. Choose a JPG, PNG or WebP image."
    assert response.status_code == 200
    assert summary_error("photo", message) in text
    assert field_error("photo", message) in text
    assert 'value="Maria &amp; &lt;her dog&gt;"' in text
    assert count(Photo) == 0
    assert columns(nomination) == before


def test_a_closed_steps_url_for_an_unknown_step_is_404(client, draft):
    nomination, _cycle, _area = draft
    assert client.get(f"/nomination/{nomination.reference}/favourite-colour").status_code == 404


# --- save and come back later ----------------------------------------------------------------

def test_save_and_exit_emails_a_come_back_link_when_the_email_is_known(
        client, other_client, draft, outbox):
    nomination, _cycle, _area = draft

    response = client.post(f"/nomination/{nomination.reference}/about-you", data={
        "nominator_name": "Sam Smith", "nominator_email": "sam@example.com",
        "nominator_relationship": "Neighbour", "nominator_may_be_named": "no",
        "action": "save-and-exit"})

    assert path_of(response.headers["Location"]) == f"/nomination/{nomination.reference}"
    assert reload(nomination).nominator_email == "sam@example.com"
    [message] = outbox()
    assert (message.kind, message.recipient) == ("nominations/come_back", "sam@example.com")
    assert nomination.reference in message.subject
    followed = client.get(path_of(response.headers["Location"]))
    assert "We have emailed you a link to come back to them." in page(followed)
    # The link works from another device.
    link = path_of(link_in(message, "/n/"))
    assert other_client.get(link).status_code == 302
    assert other_client.get(f"/nomination/{nomination.reference}/nominee").status_code == 200


def test_save_and_exit_without_an_email_saves_and_sends_nothing(client, draft, outbox):
    nomination, cycle, _area = draft

    response = client.post(f"/nomination/{nomination.reference}/category", data={
        "category_id": cycle.categories[0].id, "action": "save-and-exit"}, follow_redirects=True)

    assert reload(nomination).category_id == cycle.categories[0].id
    assert outbox() == []
    assert "Your answers are saved in this browser." in page(response)


@pytest.mark.parametrize("step", [s for s in STEPS if s != "photo"])
def test_save_and_come_back_later_works_from_any_step_with_nothing_answered(
        client, make_nomination, outbox, step):
    nomination = make_nomination()
    grant(client, nomination)
    before = columns(nomination)

    response = client.post(f"/nomination/{nomination.reference}/{step}",
                           data={"action": "save-and-exit"})

    assert path_of(response.headers["Location"]) == f"/nomination/{nomination.reference}"
    assert columns(reload(nomination)) == before  # empty answers leave the saved ones alone
    assert kinds(outbox()) == [("nominations/come_back", "sam@example.com")]


def test_save_and_come_back_later_keeps_valid_answers_and_says_what_still_needs_one(
        client, draft, outbox):
    nomination, _cycle, area = draft

    response = client.post(f"/nomination/{nomination.reference}/nominee", follow_redirects=True,
                           data={"nominee_kind": "person", "nominee_name": "Maria Lopez",
                                 "area_id": area.id, "nominee_email": "not-an-email",
                                 "action": "save-and-exit"})

    saved = reload(nomination)
    assert (saved.nominee_kind, saved.nominee_name, saved.area_id) == (
        NomineeKind.PERSON, "Maria Lopez", area.id)
    assert saved.nominee_email in (None, "") and saved.age_band is None
    text = page(response)
    assert "There is a problem" not in text
    assert "Your answers are saved in this browser." in text
    assert ("Still to answer: Which award, Who you are nominating, "
            "What they do, The difference they make, How long, About you.") in text
    assert outbox() == []  # no address to send the link to yet


def test_save_and_come_back_later_never_saves_a_story_over_the_limit(
        client, make_nomination, outbox):
    nomination = make_nomination()
    grant(client, nomination)

    response = client.post(f"/nomination/{nomination.reference}/difference",
                           follow_redirects=True,
                           data={"who_benefits": "Children at the club",
                                 "difference_made": "z" * 3001, "action": "save-and-exit"})

    saved = reload(nomination)
    assert saved.who_benefits == "Children at the club"
    assert saved.difference_made == nomination.difference_made != "z" * 3001
    assert "Still to answer" not in page(response)  # its old answer stands
    assert kinds(outbox()) == [("nominations/come_back", "sam@example.com")]


def test_save_and_come_back_later_without_csrf_saves_nothing(app, make_nomination, outbox):
    nomination = make_nomination()
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        grant(client, nomination)
        response = client.post(f"/nomination/{nomination.reference}/what-they-do",
                               data={"what_they_do": "Changed.", "action": "save-and-exit"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code in (200, 400)
    assert reload(nomination).what_they_do != "Changed."
    assert outbox() == []


# --- check your answers and send -------------------------------------------------------------

def test_check_page_lists_the_missing_steps_with_links(client, draft):
    nomination, cycle, _area = draft
    client.post(f"/nomination/{nomination.reference}/category",
                data={"category_id": cycle.categories[0].id})

    response = client.get(f"/nomination/{nomination.reference}/check")

    text = page(response)
    assert "Some questions still need an answer:" in text
    missing = re.findall(
        rf'<li><a href="/nomination/{nomination.reference}/([a-z-]+)\?change=1">', text)
    assert missing == ["nominee", "what-they-do", "difference", "how-long", "about-you"]


def test_check_post_with_missing_answers_is_refused(client, draft, outbox):
    nomination, _cycle, _area = draft

    response = client.post(f"/nomination/{nomination.reference}/check", data={})

    assert response.status_code == 200
    assert "<li>Some questions still need an answer.</li>" in page(response)
    assert reload(nomination).status is NominationStatus.DRAFT
    assert outbox() == []


def test_check_page_of_a_complete_draft_shows_answers_and_the_send_button(
        client, make_nomination):
    nomination = make_nomination()
    grant(client, nomination)

    text = page(client.get(f"/nomination/{nomination.reference}/check"))

    assert "Some questions still need an answer" not in text
    assert "Maria Lopez" in text and "Runs the Tuesday lunch club." in text
    assert f'href="/nomination/{nomination.reference}/nominee?change=1"' in text
    assert "Send nomination" in text


def test_check_post_anonymous_asks_to_confirm_by_email(client, make_nomination, outbox):
    nomination = make_nomination()
    grant(client, nomination)

    response = client.post(f"/nomination/{nomination.reference}/check", data={"website": ""})

    assert path_of(response.headers["Location"]) == f"/nomination/{nomination.reference}/sent"
    saved = reload(nomination)
    assert saved.status is NominationStatus.AWAITING_CONFIRMATION
    [event] = audit("nomination.status_changed", nomination)
    assert (event.from_state, event.to_state) == ("draft", "awaiting_confirmation")
    assert kinds(outbox()) == [("nominations/confirm_nomination", "sam@example.com")]
    sent = page(client.get(f"/nomination/{nomination.reference}/sent"))
    assert "Almost done: check your email" in sent
    assert "We have sent a link to sam@example.com." in sent
    assert nomination.reference in sent


def test_almost_done_page_is_an_important_notice_not_a_success_panel(
        client, make_nomination, outbox):
    """Until the link is followed the nomination does not count: nothing on the page may
    look like it is finished."""
    nomination = make_nomination()
    grant(client, nomination)
    client.post(f"/nomination/{nomination.reference}/check", data={"website": ""})

    sent = page(client.get(f"/nomination/{nomination.reference}/sent"))

    assert "panel--confirmation" not in sent and "notice--success" not in sent
    notice = sent.split('<div class="notice notice--warning"', 1)[1].split("</div>", 1)[0]
    assert ('<strong><span class="visually-hidden">Important: </span>Your nomination does not '
            "count yet.</strong>") in notice
    assert "It counts only when you follow the link we have sent to sam@example.com." in notice


def test_check_post_by_a_signed_in_verified_resident_sends_at_once(
        client, make_user, sign_in, make_nomination, outbox):
    user = make_user(name="Sam Smith", email="sam@example.com")
    nomination = make_nomination(nominator=user, nominator_name=user.name,
                                 nominator_email=user.email)
    sign_in(user)
    before = len(outbox())

    response = client.post(f"/nomination/{nomination.reference}/check", data={})

    assert path_of(response.headers["Location"]) == f"/nomination/{nomination.reference}/sent"
    saved = reload(nomination)
    assert saved.status is NominationStatus.SUBMITTED
    assert saved.nominator_confirmed_at is not None and saved.submitted_at is not None
    [event] = audit("nomination.status_changed", nomination)
    assert (event.from_state, event.to_state, event.actor_id) == ("draft", "submitted", user.id)
    assert kinds(outbox()[before:]) == [("nominations/receipt", "sam@example.com")]
    sent = page(client.get(f"/nomination/{nomination.reference}/sent"))
    assert "<h1>Nomination sent</h1>" in sent
    assert f'<strong class="reference">{nomination.reference}</strong>' in sent


def test_check_post_twice_changes_status_once_and_emails_once(client, make_nomination, outbox):
    nomination = make_nomination()
    grant(client, nomination)

    first = client.post(f"/nomination/{nomination.reference}/check", data={})
    second = client.post(f"/nomination/{nomination.reference}/check", data={})

    assert path_of(first.headers["Location"]) == path_of(second.headers["Location"])
    assert reload(nomination).status is NominationStatus.AWAITING_CONFIRMATION
    assert len(audit("nomination.status_changed", nomination)) == 1
    assert kinds(outbox()) == [("nominations/confirm_nomination", "sam@example.com")]


def test_check_post_with_honeypot_filled_does_not_send(client, make_nomination, outbox):
    nomination = make_nomination()
    grant(client, nomination)

    response = client.post(f"/nomination/{nomination.reference}/check",
                           data={"website": "http://spam.example"})

    assert response.status_code == 200
    assert summary_error("website", "Please leave this field empty.") in page(response)
    assert reload(nomination).status is NominationStatus.DRAFT
    assert outbox() == []


def test_sent_page_of_a_draft_goes_back_to_check(client, make_nomination):
    nomination = make_nomination()
    grant(client, nomination)

    response = client.get(f"/nomination/{nomination.reference}/sent")

    assert path_of(response.headers["Location"]) == f"/nomination/{nomination.reference}/check"


# --- after the cycle closes ------------------------------------------------------------------

def closed_on(cycle):
    return f"closed on {cycle.nominations_close.day} {cycle.nominations_close:%B %Y}"


def test_draft_after_closing_shows_answers_read_only_with_the_closing_date(
        client, make_nomination):
    nomination = make_nomination()
    grant(client, nomination)
    move_to(nomination.cycle, Phase.JUDGING)
    cycle = reload(nomination).cycle

    step = client.get(f"/nomination/{nomination.reference}/what-they-do")
    status = page(client.get(f"/nomination/{nomination.reference}"))
    check = page(client.get(f"/nomination/{nomination.reference}/check"))

    assert path_of(step.headers["Location"]) == f"/nomination/{nomination.reference}"
    for text in (status, check):
        assert closed_on(cycle) in text
        assert "Runs the Tuesday lunch club." in text and "Maria Lopez" in text
        assert "?change=1" not in text
    assert "Send nomination" not in check
    assert "Continue your nomination" not in status


def test_check_post_after_closing_is_refused_and_keeps_the_answers(
        client, make_nomination, outbox):
    nomination = make_nomination()
    grant(client, nomination)
    move_to(nomination.cycle, Phase.JUDGING)
    before = columns(nomination)

    response = client.post(f"/nomination/{nomination.reference}/check", data={})

    text = page(response)
    assert response.status_code == 200
    assert "There is a problem" in text
    assert closed_on(reload(nomination).cycle) + ". Your answers are kept" in text
    assert columns(nomination) == before
    assert audit("nomination.status_changed", nomination) == []
    assert outbox() == []


def test_step_post_after_closing_changes_nothing(client, make_nomination):
    nomination = make_nomination()
    grant(client, nomination)
    move_to(nomination.cycle, Phase.JUDGING)
    before = columns(nomination)

    response = client.post(f"/nomination/{nomination.reference}/what-they-do",
                           data={"what_they_do": "Too late."})

    assert path_of(response.headers["Location"]) == f"/nomination/{nomination.reference}"
    assert columns(nomination) == before


# --- withdraw --------------------------------------------------------------------------------

def test_withdraw_asks_first_then_withdraws(client, make_nomination):
    nomination = make_nomination(submit=True)
    grant(client, nomination)

    confirm = client.get(f"/nomination/{nomination.reference}/withdraw")

    assert "Withdraw your nomination of Maria Lopez?" in page(confirm)
    assert "You cannot undo this." in page(confirm)
    assert reload(nomination).status is NominationStatus.AWAITING_CONFIRMATION

    response = client.post(f"/nomination/{nomination.reference}/withdraw",
                           data={"reason": "They asked me not to."}, follow_redirects=True)

    saved = reload(nomination)
    assert saved.status is NominationStatus.WITHDRAWN
    assert saved.withdrawn_at is not None
    event = audit("nomination.status_changed", nomination)[-1]
    assert (event.from_state, event.to_state) == ("awaiting_confirmation", "withdrawn")
    assert event.details["reason"] == "They asked me not to."
    text = page(response)
    assert f"Your nomination {nomination.reference} has been withdrawn." in text
    assert '<strong class="tag">Withdrawn</strong>' in text
    assert "Withdraw this nomination" not in text


def test_withdraw_is_refused_once_judging_has_started(client, eligible):
    nomination = eligible()
    move_to(nomination.cycle, Phase.JUDGING)
    grant(client, nomination)

    status = page(client.get(f"/nomination/{nomination.reference}"))
    response = client.post(f"/nomination/{nomination.reference}/withdraw", data={},
                           follow_redirects=True)

    assert "Withdraw this nomination" not in status
    assert "This nomination can no longer be withdrawn: judging has started." in page(response)
    assert reload(nomination).status is NominationStatus.ELIGIBLE
    assert [e.to_state for e in audit("nomination.status_changed", nomination)] == [
        "awaiting_confirmation", "submitted", "eligible"]


# --- my nominations --------------------------------------------------------------------------

def test_my_nominations_lists_only_my_own_with_status_labels(
        client, make_user, sign_in, make_cycle, make_nomination):
    me = make_user(name="Sam Smith", email="sam@example.com")
    someone = make_user()
    cycle = make_cycle()
    mine_draft = make_nomination(cycle, nominator=me, nominee_name="Draft Person",
                                 nominator_email=me.email)
    mine_sent = make_nomination(cycle, submit=True, actor=me, nominator=me,
                                nominee_name="Sent Person", nominator_email=me.email)
    theirs = make_nomination(cycle, nominator=someone, nominee_name="Their Person")
    anonymous = make_nomination(cycle, nominee_name="Anonymous Person")
    sign_in(me)

    text = page(client.get("/my/nominations"))

    rows = re.findall(r'<a href="/nomination/([^"]+)">[^<]+</a></td>\s*<td>([^<]+)</td>'
                      r'\s*<td>[^<]*</td>\s*<td>([^<]+)</td>', text)
    assert sorted(rows) == sorted([
        (mine_draft.reference, "Draft Person", "Draft – not sent yet"),
        (mine_sent.reference, "Sent Person", "Received – being checked"),
    ])
    assert theirs.reference not in text and anonymous.reference not in text
    assert "Their Person" not in text


def test_my_nominations_needs_sign_in(client):
    response = client.get("/my/nominations")

    assert response.status_code == 302
    assert path_of(response.headers["Location"]).startswith("/account/sign-in?next=")


# --- access ----------------------------------------------------------------------------------

def nominator_pages(reference):
    """Every nominator page: (method, path)."""
    get = [f"/nomination/{reference}/{s}" for s in STEPS] + [
        f"/nomination/{reference}/check", f"/nomination/{reference}/sent",
        f"/nomination/{reference}", f"/nomination/{reference}/withdraw",
        f"/nomination/{reference}/photo/display", f"/nomination/{reference}/photo/thumb"]
    post = [f"/nomination/{reference}/{s}" for s in STEPS] + [
        f"/nomination/{reference}/check", f"/nomination/{reference}/supporters",
        f"/nomination/{reference}/withdraw", f"/nomination/{reference}/photo/remove"]
    return [("GET", p) for p in get] + [("POST", p) for p in post]


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "other-resident"])
def test_another_browser_gets_403_on_every_nomination_page(
        client, other_client, make_user, sign_in, make_nomination, signed_in):
    nomination = make_nomination()
    grant(client, nomination)
    client.post(f"/nomination/{nomination.reference}/photo", content_type="multipart/form-data",
                data={"photo": (BytesIO(jpeg_bytes()), "p.jpg"), "alt_text": ""})
    if signed_in:
        sign_in(make_user(), target=other_client)
    before = columns(nomination)

    answers = {(method, path): other_client.open(path, method=method, data={
        "what_they_do": "Hijacked", "email": "x@example.com"}).status_code
        for method, path in nominator_pages(nomination.reference)}

    assert answers == {key: 403 for key in answers}
    assert columns(nomination) == before
    assert count(Photo) == 1
    # The nominator's own browser still gets in.
    assert client.get(f"/nomination/{nomination.reference}").status_code == 200


def test_unknown_reference_is_404(client):
    assert client.get("/nomination/BC27-ZZZZZ").status_code == 404


def test_emailed_link_grants_this_browser_access(other_client, make_nomination):
    nomination = make_nomination(submit=True)
    assert other_client.get(f"/nomination/{nomination.reference}").status_code == 403

    grant(other_client, nomination)

    response = other_client.get(f"/nomination/{nomination.reference}")
    assert response.status_code == 200
    assert "Maria Lopez" in page(response)
    assert "Waiting for you to confirm your email" in page(response)


NOMINATION_PAGES = ("", "/withdraw")


def assert_can_open(target, nomination, allowed):
    for suffix in NOMINATION_PAGES:
        status = target.get(f"/nomination/{nomination.reference}{suffix}").status_code
        assert status == (200 if allowed else 403), suffix


def test_sign_out_ends_the_access_links_gave_this_browser(
        app, other_client, make_nomination, make_user, sign_in):
    nomination = make_nomination(submit=True)
    grant(other_client, nomination)
    assert sign_in(make_user(), target=other_client).status_code == 302
    assert_can_open(other_client, nomination, True)

    response = other_client.post("/account/sign-out")

    assert response.status_code == 302
    assert_can_open(other_client, nomination, False)
    withdrawn = other_client.post(f"/nomination/{nomination.reference}/withdraw",
                                  data={"reason": ""})
    assert withdrawn.status_code == 403
    assert reload(nomination).status is NominationStatus.AWAITING_CONFIRMATION


def test_sign_out_everywhere_ends_link_access_on_the_other_devices(
        app, client, other_client, make_nomination, make_user, sign_in):
    user = make_user()
    nomination = make_nomination(submit=True)
    for device in (client, other_client):
        grant(device, nomination)
        assert sign_in(user, target=device).status_code == 302
        assert_can_open(device, nomination, True)

    assert client.post("/account/sign-out").status_code == 302

    # The other device was signed out by it, and its link access ended with its session.
    assert_can_open(other_client, nomination, False)
    # A password change signs the other devices out the same way.
    for device in (client, other_client):
        grant(device, nomination)
        assert sign_in(user, target=device).status_code == 302
    assert client.post("/account/password", data={
        "current_password": "correct horse battery", "password": "a new long password",
        "confirm": "a new long password"}).status_code == 302
    assert_can_open(client, nomination, True)
    assert_can_open(other_client, nomination, False)


@pytest.mark.parametrize("make_token", [
    lambda n: make_link_token("nominator", n.id)[:-3] + "abc",
    lambda n: make_link_token("nominee", n.id),
    lambda n: make_link_token("supporter", n.id),
    lambda n: "not-a-token",
], ids=["tampered", "nominee-token", "supporter-token", "garbage"])
def test_bad_nominator_link_is_404_and_grants_nothing(other_client, make_nomination, make_token):
    nomination = make_nomination(submit=True)
    token = make_token(nomination)

    assert other_client.get(f"/n/{token}").status_code == 404
    assert other_client.post(f"/n/{token}/confirm").status_code == 404
    assert other_client.get(f"/nomination/{nomination.reference}").status_code == 403
    assert reload(nomination).status is NominationStatus.AWAITING_CONFIRMATION


def test_confirm_link_get_shows_a_button_and_post_confirms(other_client, make_nomination, outbox):
    nomination = make_nomination(submit=True)
    [message] = outbox()
    link = path_of(link_in(message, "/confirm"))
    assert link == f"/n/{nominator_token(nomination)}/confirm"

    shown = other_client.get(link)

    assert shown.status_code == 200
    assert "Confirm my nomination" in page(shown)
    assert '<form method="post"' in page(shown)
    assert reload(nomination).status is NominationStatus.AWAITING_CONFIRMATION
    assert len(outbox()) == 1

    confirmed = other_client.post(link)

    assert path_of(confirmed.headers["Location"]) == f"/nomination/{nomination.reference}/sent"
    saved = reload(nomination)
    assert saved.status is NominationStatus.SUBMITTED
    assert saved.nominator_confirmed_at is not None
    event = audit("nomination.status_changed", nomination)[-1]
    assert (event.from_state, event.to_state) == ("awaiting_confirmation", "submitted")
    assert kinds(outbox()[1:]) == [("nominations/receipt", "sam@example.com")]
    assert "<h1>Nomination sent</h1>" in page(other_client.get(
        f"/nomination/{nomination.reference}/sent"))

    # Confirming again changes nothing and sends nothing.
    again = other_client.post(link)
    assert again.status_code == 302
    assert len(audit("nomination.status_changed", nomination)) == 2
    assert len(outbox()) == 2


# --- the photo step --------------------------------------------------------------------------

def upload_dir(app):
    return Path(app.config["UPLOAD_DIR"])


def test_photo_upload_is_stored_and_served_to_the_owner_only(
        app, client, other_client, make_nomination):
    nomination = make_nomination()
    grant(client, nomination)

    response = client.post(
        f"/nomination/{nomination.reference}/photo", content_type="multipart/form-data",
        data={"photo": (BytesIO(jpeg_bytes((40, 30))), "maria.jpg"),
              "alt_text": "Maria at the lunch club"})

    assert path_of(response.headers["Location"]) == f"/nomination/{nomination.reference}/about-you"
    photo = reload(nomination).photo
    assert (photo.width, photo.height, photo.alt_text) == (40, 30, "Maria at the lunch club")
    assert (upload_dir(app) / photo.display_name).is_file()
    assert (upload_dir(app) / photo.thumb_name).is_file()
    [event] = audit("photo.attached", nomination)
    assert event.details["reference"] == nomination.reference

    served = client.get(f"/nomination/{nomination.reference}/photo/display")
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    assert served.headers["Cache-Control"] == "private, no-store"
    with Image.open(BytesIO(served.get_data())) as image:
        assert (image.format, image.size) == ("JPEG", (40, 30))
    served.close()
    assert other_client.get(f"/nomination/{nomination.reference}/photo/display").status_code == 403
    assert other_client.get(f"/nomination/{nomination.reference}/photo/thumb").status_code == 403

    step = page(client.get(f"/nomination/{nomination.reference}/photo"))
    assert f'src="/nomination/{nomination.reference}/photo/thumb"' in step
    assert 'alt="Maria at the lunch club"' in step
    assert "Remove the photo" in step


def test_photo_remove_deletes_files_and_row(app, client, make_nomination):
    nomination = make_nomination()
    grant(client, nomination)
    client.post(f"/nomination/{nomination.reference}/photo", content_type="multipart/form-data",
                data={"photo": (BytesIO(jpeg_bytes()), "p.jpg"), "alt_text": ""})
    photo = reload(nomination).photo
    files = [upload_dir(app) / photo.display_name, upload_dir(app) / photo.thumb_name]

    response = client.post(f"/nomination/{nomination.reference}/photo/remove")

    assert path_of(response.headers["Location"]) == f"/nomination/{nomination.reference}/photo"
    assert reload(nomination).photo is None
    assert count(Photo) == 0
    assert [f.exists() for f in files] == [False, False]
    assert len(audit("photo.removed", nomination)) == 1
    assert client.get(f"/nomination/{nomination.reference}/photo/display").status_code == 404
    assert "Remove the photo" not in page(client.get(f"/nomination/{nomination.reference}/photo"))


def test_photo_with_no_photo_is_404(client, make_nomination):
    nomination = make_nomination()
    grant(client, nomination)

    assert client.get(f"/nomination/{nomination.reference}/photo/display").status_code == 404


def test_award_step_puts_each_description_with_its_radio_as_a_linked_hint(
        client, make_cycle, make_category, make_area, start):
    cycle = make_cycle(description="For anyone who helps their neighbours.",
                       eligibility="Aged 16 or over")
    youth = make_category(cycle, name="Young Citizen", description="For young volunteers.")
    first = cycle.categories[0]
    make_area("Riverside")
    reference = start(cycle)

    text = page(client.get(f"/nomination/{reference}/category"))

    assert "summary-list" not in text  # no list of descriptions above the radios
    items = re.findall(r'<div class="radios__item">(.*?)</div>\s*</div>', text, re.DOTALL)
    assert len(items) == 2, text
    for category, hint in ((first, "For anyone who helps their neighbours. Aged 16 or over"),
                           (youth, "For young volunteers.")):
        [item] = [i for i in items if f'value="{category.id}"' in i]
        input_id = re.search(r'<input[^>]* id="([^"]+)"', item).group(1)
        assert re.search(rf'<input[^>]*aria-describedby="{input_id}-hint"', item), item
        assert f'<label class="radios__label" for="{input_id}">{category.name}</label>' in item
        found = re.search(rf'<div id="{input_id}-hint" class="hint radios__hint">(.*?)$',
                          item, re.DOTALL).group(1)
        assert " ".join(re.sub(r"<[^>]+>", " ", found).split()) == hint


@pytest.mark.parametrize(("step", "name"), [("what-they-do", "what_they_do"),
                                            ("difference", "difference_made")])
def test_story_field_states_its_limit_and_loads_the_live_count(client, draft, step, name):
    nomination, _cycle, _area = draft

    text = page(client.get(f"/nomination/{nomination.reference}/{step}"))

    hint = re.search(rf'<div id="{name}-hint" class="hint">(.*?)</div>', text).group(1)
    assert hint.endswith(" Up to 3,000 characters.")
    textarea = re.search(rf'<textarea[^>]* id="{name}"[^>]*>', text).group(0)
    assert 'data-character-limit="3000"' in textarea
    assert "maxlength" not in textarea  # a browser would cut a pasted answer silently
    assert '<script src="/static/js/character-count.js" defer></script>' in text


def test_story_longer_than_the_limit_is_kept_whole_and_says_how_much_to_shorten(
        client, draft):
    nomination, _cycle, _area = draft
    story = "They run the lunch club. " + "y" * 3187  # 3,212 characters

    response = client.post(f"/nomination/{nomination.reference}/difference", data={
        "who_benefits": "Older neighbours", "difference_made": story})

    text = page(response)
    message = "Your answer is 3,212 characters: please shorten it by 212"
    assert summary_error("difference_made", message) in text
    assert field_error("difference_made", message) in text
    kept = re.search(r'<textarea[^>]* id="difference_made"[^>]*>\r?\n?([^<]*)</textarea>', text)
    assert kept.group(1) == story
    assert reload(nomination).difference_made == ""
