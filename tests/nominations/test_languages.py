"""E-mails go out in the recipient's language, not the language of whoever acted: the
nominator's (remembered on the nomination), a supporter's, the nominee's (their consent
answer's, else the nominator's as the best guess), else the default."""
from contextlib import contextmanager
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g
from sqlalchemy import select

from awards import factories
from awards.core.mail.models import OutboxMessage
from awards.extensions import db
from awards.nominations.enums import ConsentStatus, NominationStatus, Phase
from awards.nominations.services import moderation, supporters
from awards.nominations.services.consent import save_consent

TRANSLATIONS = Path(__file__).resolve().parents[2] / "awards" / "translations"
WELSH_SUBJECT = "Ynglŷn â'ch enwebiad"  # "About your nomination"
WELSH = {"headers": {"Accept-Language": "cy"}}
ENGLISH = {"headers": {"Accept-Language": "en"}}


@pytest.fixture
def bilingual(build_app, tmp_path):
    """An app with the real Welsh catalogue compiled (the repository keeps only the .po)."""
    with (TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale="cy")
    folder = tmp_path / "translations" / "cy" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, catalogue)
    application = build_app(BABEL_TRANSLATION_DIRECTORIES=str(tmp_path / "translations"))
    with application.app_context():
        yield application


@contextmanager
def browser(app, language):
    """A request from a browser in `language` (its own request globals, as every real
    request has: the app clears them when a request starts)."""
    with app.test_request_context(**language):
        g.__dict__.clear()
        yield


def sent(recipient):
    return db.session.scalars(select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                              .order_by(OutboxMessage.id)).all()


def nominate(app, language, cycle, **answers):
    """A nomination started, filled in and sent from a browser in `language`."""
    with browser(app, language):
        nomination = factories.nomination(cycle, NominationStatus.SUBMITTED,
                                          area=factories.area(), **answers)
        db.session.commit()
    return nomination


def test_a_welsh_nominator_hears_in_welsh_from_an_english_admin(bilingual):
    cycle = factories.cycle(Phase.NOMINATING)
    admin = factories.user(name="Ada Admin")
    nomination = nominate(bilingual, WELSH, cycle, nominator_email="gwen@example.com")
    assert nomination.locale == "cy"

    with browser(bilingual, ENGLISH):
        moderation.mark_ineligible(nomination, "Outside the area.", actor=admin)
        db.session.commit()

    [notice] = [m for m in sent("gwen@example.com") if m.kind == "nominations/ineligible"]
    assert notice.subject == f"{WELSH_SUBJECT} {nomination.reference}"
    assert '<html lang="cy">' in notice.html_body


def test_an_english_nominator_hears_in_english_from_a_welsh_admin(bilingual):
    cycle = factories.cycle(Phase.NOMINATING)
    admin = factories.user(name="Ada Admin")
    nomination = nominate(bilingual, ENGLISH, cycle, nominator_email="ed@example.com",
                          nominee_email="nia@example.com")
    assert nomination.locale == "en"

    with browser(bilingual, WELSH):
        moderation.mark_ineligible(nomination, "Outside the area.", actor=admin)
        db.session.commit()

    [notice] = [m for m in sent("ed@example.com") if m.kind == "nominations/ineligible"]
    assert notice.subject == f"About your nomination {nomination.reference}"
    assert '<html lang="en">' in notice.html_body


def test_the_nominee_and_supporters_hear_in_their_own_language(bilingual):
    cycle = factories.cycle(Phase.NOMINATING)
    admin = factories.user(name="Ada Admin")
    nomination = nominate(bilingual, WELSH, cycle, nominator_email="gwen@example.com",
                          nominee_email="nia@example.com")
    # Invited by the Welsh nominator, not answered yet: the nominator's language is the guess.
    with browser(bilingual, WELSH):
        invited = supporters.invite_supporter(nomination, "sian@example.com")
        db.session.commit()
    assert invited.locale is None
    assert '<html lang="cy">' in sent("sian@example.com")[-1].html_body
    # A supporter who wrote in English is written to in English.
    with browser(bilingual, ENGLISH):
        joined = supporters.join_as_supporter(nomination, email="sam@example.com", name="Sam",
                                              relationship="Neighbour", statement="Kind.")
        db.session.commit()
    assert joined.locale == "en"
    assert '<html lang="en">' in sent("sam@example.com")[-1].html_body

    # The consent request after an English admin's check: the nominator's language.
    with browser(bilingual, ENGLISH):
        moderation.mark_eligible(nomination, actor=admin)
        db.session.commit()
    request = [m for m in sent("nia@example.com") if m.kind == "nominations/nominee_invitation"]
    assert len(request) == 1 and '<html lang="cy">' in request[0].html_body

    # The nominee answers in English: from now on they hear in English.
    with browser(bilingual, ENGLISH):
        save_consent(nomination, status=ConsentStatus.ACCEPTED)
        db.session.commit()
    assert nomination.consent.locale == "en"
    with browser(bilingual, WELSH):
        moderation.mark_ineligible(nomination, "Outside the area.", actor=admin)
        db.session.commit()
    [thanks] = [m for m in sent("nia@example.com") if m.kind == "nominations/nominee_thanks"]
    assert '<html lang="en">' in thanks.html_body
    [notice] = [m for m in sent("gwen@example.com") if m.kind == "nominations/ineligible"]
    assert '<html lang="cy">' in notice.html_body


def test_without_anyones_language_mail_is_in_the_default_not_the_actors(bilingual):
    from awards.core.mail import queue_email

    with browser(bilingual, WELSH):
        queue_email("nominations/ineligible", "nobody@example.com",
                    nomination=factories.nomination(factories.cycle(Phase.NOMINATING),
                                                    area=factories.area()),
                    reason="Outside the area.")
        db.session.commit()
    assert '<html lang="en">' in sent("nobody@example.com")[-1].html_body
