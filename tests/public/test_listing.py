"""The public listing: which awards are public, with which fields, kept in step with consent."""
import pytest

from awards.extensions import db
from awards.nominations.enums import ConsentStatus, NameDisplay
from awards.nominations.services.consent import save_consent, withdraw_consent
from awards.panels.enums import Outcome
from awards.public.models import PublicAward
from awards.public.search import search_words
from awards.public.services.listing import (
    public_citation,
    rebuild_all,
    refresh_award,
    shown_name,
)
from awards.public.share_image import share_dir
from tests.public.conftest import EVERYTHING, NOTHING_BUT_YES


def rows():
    return db.session.scalars(db.select(PublicAward).order_by(PublicAward.id)).all()


@pytest.mark.parametrize(("name", "display", "shown"), [
    ("Margaret Ellis", NameDisplay.FULL, "Margaret Ellis"),
    ("Margaret Ellis", NameDisplay.FIRST_INITIAL, "Margaret E."),
    ("Mary Anne de la Cruz", NameDisplay.FIRST_INITIAL, "Mary C."),
    ("Cher", NameDisplay.FIRST_INITIAL, "Cher"),
    ("  Zoë   ó Briain ", NameDisplay.FIRST_INITIAL, "Zoë B."),
    ("Margaret Ellis", NameDisplay.ANONYMOUS, ""),
    ("", NameDisplay.FULL, ""),
])
def test_shown_name_follows_the_choice(name, display, shown):
    assert shown_name(name, display) == shown


def test_only_published_public_outcomes_of_consenting_nominees_are_listed(published):
    p = published(("winner", "highly_commended", "not_selected"))

    assert {row.nomination_id for row in rows()} == {n.id for n in p.nominations[:2]}
    winner, commended, not_selected = p.awards
    assert winner.outcome is Outcome.WINNER and commended.outcome is Outcome.HIGHLY_COMMENDED
    assert not_selected is None


def test_nothing_is_listed_before_publication(published):
    published(("winner", "highly_commended"), publish=False)

    assert rows() == []


def test_the_row_holds_only_what_was_allowed(published):
    p = published(("winner", "winner"), choices=[EVERYTHING, NOTHING_BUT_YES],
                  names=["Margaret Ellis", "Desmond Carter"],
                  citations=["Margaret runs the lunch club.", "Desmond fixes bikes."])
    everything, nothing = p.awards

    assert (everything.display_name, everything.is_anonymous, everything.citation) == (
        "Margaret Ellis", False, "Margaret runs the lunch club.")
    assert everything.area_id == p.nominations[0].area_id is not None
    assert everything.forwards_thanks is True
    assert (nothing.display_name, nothing.is_anonymous, nothing.slug) == (
        "A Big Citizen", True, "big-citizen")
    assert (nothing.citation, nothing.area_id, nothing.photo_id) == ("", None, None)
    assert nothing.forwards_thanks is False
    assert "Desmond" not in nothing.slug + nothing.display_name


def test_the_slug_is_the_name_as_shown_without_accents(published):
    p = published(("winner",), names=["Zoë Ó Briain"],
                  choices=[{**EVERYTHING, "name_display": NameDisplay.FIRST_INITIAL}])

    assert (p.awards[0].display_name, p.awards[0].slug) == ("Zoë B.", "zoe-b")


def test_withdrawal_after_publication_removes_the_row_at_once(published):
    p = published(("winner", "winner"))

    withdraw_consent(p.nominations[0])
    db.session.commit()

    assert [row.nomination_id for row in rows()] == [p.nominations[1].id]


def test_a_changed_choice_changes_the_row(published):
    p = published(("winner",), names=["Margaret Ellis"])
    key = p.awards[0].key

    save_consent(p.nominations[0], status=ConsentStatus.ACCEPTED,
                 name_display=NameDisplay.FIRST_INITIAL, publish_story=False)
    db.session.commit()

    row = rows()[0]
    assert (row.display_name, row.slug, row.citation, row.area_id) == (
        "Margaret E.", "margaret-e", "", None)
    assert row.key != key


def test_consent_given_again_lists_the_award_again(published):
    p = published(("winner",))
    withdraw_consent(p.nominations[0])
    db.session.commit()
    assert rows() == []

    save_consent(p.nominations[0], status=ConsentStatus.ACCEPTED, **EVERYTHING)
    db.session.commit()

    assert [row.nomination_id for row in rows()] == [p.nominations[0].id]


def test_rebuild_restores_missing_rows_and_drops_stray_ones(published):
    p = published(("winner", "highly_commended"))
    db.session.delete(rows()[0])
    db.session.commit()

    assert rebuild_all() == 2
    db.session.commit()
    assert {row.nomination_id for row in rows()} == {n.id for n in p.nominations}


def test_refresh_of_an_unpublished_nomination_makes_nothing(published):
    p = published(("winner",), publish=False)

    assert refresh_award(p.nominations[0]) is None
    assert rows() == []


@pytest.mark.parametrize(("query", "words"), [
    ("lunch club", ["lunch", "club"]),
    ('"lunch" OR club* NEAR(x) -- ; DROP', ["lunch", "OR", "club", "NEAR", "x", "DROP"]),
    ("  ", []),
    ("a b c d e f g h i j", ["a", "b", "c", "d", "e", "f", "g", "h"]),
])
def test_search_keeps_only_words(query, words):
    assert search_words(query) == words


@pytest.mark.parametrize(("citation", "full", "shown", "public"), [
    ("Margaret Ellis runs the club.", "Margaret Ellis", "Margaret Ellis",
     "Margaret Ellis runs the club."),
    ("Margaret Ellis runs the club; Margaret  ellis cooks.", "Margaret Ellis", "Margaret E.",
     "Margaret E. runs the club; Margaret E. cooks."),
    ("Margaret runs the club.", "Margaret Ellis", "Margaret E.", "Margaret runs the club."),
    ("Mrs Ellis runs the club.", "Margaret Ellis", "Margaret E.", ""),
    ("Margaret runs the club.", "Margaret Ellis", "", ""),
    ("She runs the Ellisfield club.", "Margaret Ellis", "", "She runs the Ellisfield club."),
    ("Runs the club.", "Margaret Ellis", "", "Runs the club."),
])
def test_public_citation_never_keeps_a_hidden_part_of_the_name(citation, full, shown, public):
    assert public_citation(citation, full, shown) == public


def test_a_narrower_choice_gives_the_award_a_new_address(published):
    p = published(("winner",), names=["Margaret Ellis"],
                  citations=["Margaret Ellis runs the lunch club."])
    old_key = p.awards[0].key

    save_consent(p.nominations[0], status=ConsentStatus.ACCEPTED,
                 **{**EVERYTHING, "name_display": NameDisplay.FIRST_INITIAL})
    db.session.commit()

    row = rows()[0]
    assert row.key != old_key
    assert (row.display_name, row.citation) == ("Margaret E.", "Margaret E. runs the lunch club.")


def test_a_wider_choice_keeps_the_address(published):
    p = published(("winner",), choices=[{**EVERYTHING, "publish_area": False}])
    old_key = p.awards[0].key

    save_consent(p.nominations[0], status=ConsentStatus.ACCEPTED, **EVERYTHING)
    db.session.commit()

    assert rows()[0].key == old_key and rows()[0].area_id is not None


def test_flask_public_rebuild_lists_awards_and_removes_unlisted_share_images(app, published):
    p = published(("winner",))
    key = p.awards[0].key
    folder = share_dir()
    for left_over in folder.glob("*.png"):  # drawn by earlier tests (one instance folder)
        left_over.unlink()
    (folder / f"{key}-0123.png").write_bytes(b"kept")
    (folder / "deadbeef0000-0123.png").write_bytes(b"a withdrawn award's image")

    result = app.test_cli_runner().invoke(args=["public", "rebuild"])

    assert result.exit_code == 0, result.output
    assert "1 awards are public; 1 old share images removed." in result.output
    assert sorted(path.name for path in folder.glob("*.png")) == [f"{key}-0123.png"]
