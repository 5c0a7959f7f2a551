"""The factories (awards/factories) make what the services make: each status with its audit
trail, consent as chosen, and a published winner on the public pages."""
import pytest
from sqlalchemy import func, select

from awards import factories
from awards.accounts.enums import Role
from awards.core.audit import AuditEvent
from awards.extensions import db
from awards.factories import S
from awards.factories.bulk import public_awards
from awards.nominations.enums import ConsentStatus, NameDisplay, Phase
from awards.public.models import PublicAward


def transitions(nomination):
    """The status changes the audit log holds for the nomination, oldest first."""
    return [(e.from_state, e.to_state) for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "nomination",
                                 AuditEvent.object_id == nomination.id,
                                 AuditEvent.action == "nomination.status_changed")
        .order_by(AuditEvent.id))]


@pytest.mark.parametrize("status, trail", [
    (S.DRAFT, []),
    (S.AWAITING_CONFIRMATION, [("draft", "awaiting_confirmation")]),
    (S.SUBMITTED, [("draft", "awaiting_confirmation"), ("awaiting_confirmation", "submitted")]),
    (S.ELIGIBLE, [("draft", "awaiting_confirmation"), ("awaiting_confirmation", "submitted"),
                  ("submitted", "eligible")]),
    (S.SPAM, [("draft", "awaiting_confirmation"), ("awaiting_confirmation", "spam")]),
    (S.WITHDRAWN, [("draft", "awaiting_confirmation"), ("awaiting_confirmation", "submitted"),
                   ("submitted", "withdrawn")]),
])
def test_a_nomination_in_each_status_has_the_audit_trail_of_the_services(status, trail):
    nomination = factories.nomination(factories.cycle(), status)
    db.session.commit()

    assert nomination.status is status
    assert transitions(nomination) == trail


def test_a_verified_nominator_sends_straight_to_submitted_and_a_duplicate_is_merged():
    resident = factories.user()
    cycle = factories.cycle()
    kept = factories.nomination(cycle, S.SUBMITTED, nominator=resident, actor=resident,
                                nominator_email=resident.email)
    again = factories.nomination(cycle, S.DUPLICATE, kept=kept, statements=1)

    assert transitions(kept) == [("draft", "submitted")]
    assert again.duplicate_of_id == kept.id and [s.name for s in kept.supporters] == [
        "Supporter 0"]


def test_consent_and_statements_are_as_chosen():
    nomination = factories.nomination(factories.cycle(), S.ELIGIBLE, statements=2,
                                      consent=factories.NOTHING_BUT_YES)

    assert nomination.consent.status is ConsentStatus.ACCEPTED
    assert nomination.consent.name_display is NameDisplay.ANONYMOUS
    assert not nomination.consent.publish_story
    assert nomination.statements_count == 2 and nomination.is_complete


def test_a_published_winner_is_on_the_public_listing(client):
    admin = factories.user(roles=[Role.ADMIN])
    chair = factories.user("Chris Chair")
    cycle = factories.cycle()
    winner = factories.nomination(cycle, S.ELIGIBLE, nominee_name="Margaret Ellis",
                                  statements=1, consent=factories.EVERYTHING, admin=admin)
    factories.start_judging(cycle, admin)
    panel = factories.panel(cycle, admin=admin, members=[chair])
    factories.review(panel.members[0], winner, score=5)
    factories.decide(panel, winner, "winner", chair, "Margaret runs the Friday lunch club.")
    factories.publish(cycle, admin)
    db.session.commit()

    assert cycle.phase is Phase.ANNOUNCED and winner.status is S.OUTCOME
    award = db.session.scalar(select(PublicAward).filter_by(nomination_id=winner.id))
    page = client.get("/hall-of-fame").get_data(as_text=True)
    assert award.display_name == "Margaret Ellis"
    assert "Margaret Ellis" in page and "Friday lunch club" in page


def test_bulk_public_awards_are_listed(client):
    admin = factories.user(roles=[Role.ADMIN])
    cycle = factories.cycle(Phase.ANNOUNCED)
    cycle.results_published_at = cycle.created_at
    area = factories.area()
    public_awards(range(1, 26), cycle_id=cycle.id, category_id=cycle.categories[0].id,
                  area_id=area.id, thanks_nomination_id=None)
    db.session.commit()

    assert admin.has_role(Role.ADMIN)
    assert db.session.scalar(select(func.count()).select_from(PublicAward)) == 25
    assert "Bulk Person25" in client.get("/hall-of-fame").get_data(as_text=True)
