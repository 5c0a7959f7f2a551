"""Fixtures of the data protection tests: a person planted in every personal data source."""
import json
from types import SimpleNamespace

import pytest
from sqlalchemy import JSON, String, Text, select

from awards import factories
from awards.accounts.enums import Role
from awards.core.audit import AuditEvent
from awards.core.mail import queue_email
from awards.extensions import db
from awards.nominations.enums import NominationStatus, Phase
from awards.public.models import PublicAward
from awards.public.services.thanks import leave_thanks, moderate_thanks

EMAIL = "zara.quill@example.com"
NAME = "Zara Quillname"
# One marker per place the person's data is kept; each must be in the export and nowhere in
# the database after the erasure.
MARKERS = {
    "account": "Quillname",
    "nominee": "ZQSTORY",
    "consent": "ZQSUPPORTNEED",
    "photo": "ZQALT",
    "citation": "ZQCITATION",
    "nominator": "ZQRELATION",
    "supporter": "ZQSTATEMENT",
    "declaration": "ZQDECLARE",
    "review": "ZQREVIEW",
    "score": "ZQSCORE",
    "comment": "ZQCOMMENT",
    "thanks": "ZQTHANKS",
    "audit": "203.0.113.77",
    "outbox": "ZQMAIL",
}
# The nominator of Zara's published nomination did not agree to be named.
HIDDEN_NOMINATOR = "Nina Hiddenwell"


def text_columns():
    """Every (table, column) that can hold text."""
    return [(table, column) for table in db.metadata.sorted_tables
            for column in table.columns if isinstance(column.type, (String, Text, JSON))]


def database_text():
    """Every text value in the database, with where it is."""
    db.session.expire_all()
    found = []
    for table, column in text_columns():
        for value in db.session.scalars(select(column).select_from(table)):
            if value is not None:
                found.append((f"{table.name}.{column.name}",
                              value if isinstance(value, str) else json.dumps(value, default=str)))
    return found


def where(marker):
    """The columns holding `marker` anywhere in the database."""
    return sorted({place for place, value in database_text() if marker in value})


@pytest.fixture
def admin(make_user, sign_in, client):
    user = make_user(name="Ada Admin", email="ada.admin@example.com", roles=[Role.ADMIN])
    assert sign_in(user).status_code == 302
    return user


@pytest.fixture
def zara(app):
    """Zara (an account) in every role: nominee of a published winner (her nominator not
    named) and of an open nomination (her nominator named), nominator, supporter, panel
    member (declaration, review, scores, a comment), thank-you sender, audited, e-mailed."""
    admin = factories.user("Adam Admin", "adam.admin@example.com", roles=[Role.ADMIN])
    account = factories.user(NAME, EMAIL)
    chair = factories.user("Chris Chair", "chris.chair@example.com")
    past = factories.cycle(name="Past Awards", slug="past-awards")
    area = factories.area("Riverside Ward")
    kept = factories.nomination(
        past, NominationStatus.ELIGIBLE, area=area, admin=admin, nominee_name=NAME,
        nominee_email=EMAIL, what_they_do=f"{MARKERS['nominee']} runs the lunch club.",
        nominator_name=HIDDEN_NOMINATOR, nominator_email="nina@example.com",
        nominator_may_be_named=False, photo=factories.photo("teal"),
        photo_alt=f"{MARKERS['photo']} at the club",
        statements=[("fred@example.com", "Fred Friend", "Friend", "Zara is kind.")],
        consent={**factories.EVERYTHING, "support_needed": MARKERS["consent"]})
    other = factories.nomination(
        past, NominationStatus.ELIGIBLE, area=area, admin=admin, nominee_name="Olly Other",
        nominee_email="olly@example.com", nominator_email="olga@example.com",
        statements=[(EMAIL, NAME, "Neighbour", f"{MARKERS['supporter']} Olly is great.")],
        consent=factories.EVERYTHING)
    factories.start_judging(past, admin)
    panel = factories.panel(past, "Past panel", admin=admin, members=[chair, account])
    member = panel.members[1]
    factories.declare(member, kept, conflicted=True, kind="family",
                      reason=f"{MARKERS['declaration']} it is me")
    factories.review(member, other, comment=f"{MARKERS['review']} strong",
                     criterion_comment=MARKERS["score"])
    factories.comment(panel, other, f"{MARKERS['comment']} agreed", account)
    factories.decide(panel, kept, "winner", chair, f"{NAME} {MARKERS['citation']} lunch club.")
    factories.decide(panel, other, "winner", chair, "Olly keeps the park tidy.")
    factories.publish(past, admin)
    award = db.session.scalar(select(PublicAward).filter_by(nomination_id=kept.id))
    other_award = db.session.scalar(select(PublicAward).filter_by(nomination_id=other.id))
    thanks = leave_thanks(other_award, f"{MARKERS['thanks']} thank you Olly", "Zara Q")
    moderate_thanks(thanks, True, admin)

    current = factories.cycle(name="Current Awards", slug="current-awards")
    named = factories.nomination(
        current, NominationStatus.SUBMITTED, area=area, nominee_name=NAME, nominee_email=EMAIL,
        nominator_name="Ned Namedfriend", nominator_email="ned@example.com",
        nominator_may_be_named=True, photo=factories.photo("navy"))
    made = factories.nomination(
        current, NominationStatus.SUBMITTED, area=area, nominator=account,
        nominee_name="Pat Neighbour", nominee_email="pat.neighbour@example.com",
        nominator_name=NAME, nominator_email=EMAIL,
        nominator_relationship=MARKERS["nominator"])
    queue_email("accounts/verify_email", EMAIL, user=account, link="https://x.example/ZQMAIL",
                hours=48)
    db.session.add(AuditEvent(action="user.sign_in", actor_id=account.id, object_type="user",
                              object_id=account.id, ip_address=MARKERS["audit"]))
    db.session.commit()
    assert award is not None and kept.cycle.phase is Phase.ANNOUNCED
    return SimpleNamespace(account=account, kept=kept, other=other, named=named, made=made,
                           award=award, other_award=other_award, thanks=thanks, panel=panel,
                           admin_user=admin)
