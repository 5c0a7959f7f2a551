"""The newsletter's tables: a delivery row is small, the body is stored once on the issue."""
from sqlalchemy import func, select

from awards import factories as f
from awards.extensions import db
from awards.newsletter.enums import SubscriberStatus
from awards.newsletter.models import Subscriber


def test_subscribers_in_bulk_have_their_own_tokens(app):
    f.subscribers(50)
    tokens = db.session.scalars(select(Subscriber.token)).all()
    assert len(tokens) == 50 and len(set(tokens)) == 50
    assert db.session.scalar(select(func.count()).where(
        Subscriber.status == SubscriberStatus.ACTIVE)) == 50


def test_an_issue_features_stories_in_order_for_its_areas(app):
    north, south = f.area("North"), f.area("South")
    issue = f.newsletter_issue(areas=[south, north])
    db.session.expire(issue)
    assert [a.name for a in issue.areas] == ["North", "South"]
    assert issue.is_draft and issue.reference.startswith("N-")
    person = f.subscriber("a@example.com", areas=[north])
    assert person.is_active and person.areas == [north] and person.consent_wording
