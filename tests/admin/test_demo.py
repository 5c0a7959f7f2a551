"""`flask demo load`: the cycle in judging with its panel part-way through, the published past
cycle, and that loading twice adds nothing."""
from pathlib import Path

import pyotp
from flask import current_app
from sqlalchemy import func, select

from awards.accounts.queries import user_by_email
from awards.admin.demo import (
    DEMO_ACCOUNTS,
    JUDGING_PANEL,
    JUDGING_SLUG,
    PUBLISHED_SLUG,
    TWO_FACTOR_SECRET,
    load_demo_data,
)
from awards.extensions import db
from awards.newsletter.enums import IssueStatus, SubscriberStatus
from awards.newsletter.models import Delivery, NewsletterIssue, Subscriber
from awards.nominations.enums import NameDisplay, NominationStatus, Phase
from awards.nominations.queries import cycle_by_slug
from awards.panels.enums import ConflictKind, Outcome
from awards.panels.models import Comment, Decision, Declaration, Review
from awards.panels.queries import judge_queue, panels_of
from awards.panels.services.results import panel_results, progress
from awards.public.models import PublicAward

ALL_CYCLES = ["big-citizen-awards-demo", PUBLISHED_SLUG, JUDGING_SLUG]


def row_counts():
    """Rows in every table, by table name."""
    db.session.expire_all()
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def load():
    """Load the demo data and commit, as `flask demo load` does; return what was new."""
    created = load_demo_data()
    db.session.commit()
    return created


def member_of(panel, email):
    """The panel membership of the account with this e-mail address."""
    return next(member for member in panel.members if member.user.email == email)


def test_demo_load_builds_both_cycles_and_adds_nothing_the_second_time():
    # One test, because every load takes a couple of seconds.
    first = load()
    counts = row_counts()
    check_cycle_in_judging()
    check_published_cycle()
    check_newsletter()

    second = load()

    assert first[-4:] == [*ALL_CYCLES, "newsletter"]
    assert "chair@riverside.example" in first
    assert second == []
    assert row_counts() == counts
    assert counts["nomination"] > 0 and counts["review"] > 0 and counts["outbox_message"] > 0


def check_newsletter():
    """Subscribers in every state, one issue sent (to the active ones) and one draft, each
    featuring winners who agreed to be in the newsletter."""
    statuses = {s.status for s in db.session.scalars(select(Subscriber))}
    assert statuses == set(SubscriberStatus)
    issues = {i.status: i for i in db.session.scalars(select(NewsletterIssue))}
    assert set(issues) == {IssueStatus.SENDING, IssueStatus.DRAFT} or set(issues) == {
        IssueStatus.SENT, IssueStatus.DRAFT}
    sent = issues.get(IssueStatus.SENT) or issues[IssueStatus.SENDING]
    assert sent.stories and issues[IssueStatus.DRAFT].stories
    assert {d.address for d in db.session.scalars(select(Delivery))} == {
        s.email for s in db.session.scalars(select(Subscriber).where(
            Subscriber.status == SubscriberStatus.ACTIVE))}


def check_cycle_in_judging():
    """A cycle in judging whose panel is part-way through, with something for everyone."""
    cycle = cycle_by_slug(JUDGING_SLUG)
    [panel] = panels_of(cycle)
    chair = member_of(panel, "chair@riverside.example")
    pat = member_of(panel, "panel@riverside.example")

    assert cycle.phase is Phase.JUDGING and not cycle.is_published
    assert len(cycle.categories) == 2
    assert panel.name == JUDGING_PANEL and panel.category_ids == {c.id for c in cycle.categories}
    assert len(panel.members) == 4 and panel.chairs == [chair]
    assert chair.user.name == "Chris Chair" and not pat.is_chair
    conflicts = db.session.scalars(select(Declaration).where(
        Declaration.member_id.in_([m.id for m in panel.members]),
        Declaration.conflicted.is_(True))).all()
    assert [(d.kind, d.member.user.email) for d in conflicts] == [
        (ConflictKind.FRIEND, "nadia.okafor@riverside.example")]
    assert conflicts[0].member.user.email not in {email for _, email, _, _ in DEMO_ACCOUNTS}
    panel_reviews = db.session.scalars(select(Review).where(
        Review.member_id.in_([m.id for m in panel.members]))).all()
    assert sum(r.is_submitted for r in panel_reviews) == 17
    assert [r.member for r in panel_reviews if not r.is_submitted] == [pat]
    assert db.session.scalar(select(func.count(Comment.id)).where(
        Comment.panel_id == panel.id)) == 3
    # The demo panel member still has nominations to declare on and score.
    queue = judge_queue(pat)
    assert len(queue) == 8
    assert sum(1 for _, declaration, _ in queue if declaration is None) == 6
    assert {row.member: (row.submitted, row.drafts) for row in progress(panel)}[pat] == (1, 1)
    # The chair's dashboard has results and an outlier to talk about.
    results = panel_results(panel)
    assert all(category.rows[0].ranked.result.mean is not None for category in results)
    outliers = [o for category in results for o in category.outliers]
    assert [member_of(panel, "tom.whitfield@riverside.example").id] == [
        o.member_id for o in outliers]
    assert db.session.scalar(select(func.count(Decision.id)).where(
        Decision.panel_id == panel.id, Decision.outcome.is_not(None))) == 0


def check_published_cycle():
    """A past cycle, published, with every outcome and the consent choices issue 5 needs."""
    cycle = cycle_by_slug(PUBLISHED_SLUG)
    [panel] = panels_of(cycle)
    decisions = db.session.scalars(select(Decision).where(Decision.panel_id == panel.id)).all()
    by_outcome = {outcome: [d for d in decisions if d.outcome is outcome] for outcome in Outcome}
    winners = by_outcome[Outcome.WINNER]

    assert cycle.is_published and cycle.phase is Phase.ANNOUNCED
    assert cycle.results_published_at.date() == cycle.announcement
    assert len(cycle.categories) == 3
    assert len(winners) == 3
    assert len(by_outcome[Outcome.HIGHLY_COMMENDED]) == 2
    assert len(by_outcome[Outcome.NOT_SELECTED]) == 4
    assert {d.nomination.status for d in decisions} == {NominationStatus.OUTCOME}
    assert all(d.citation for d in decisions if d.outcome.is_public)
    assert all(d.feedback and not d.citation for d in by_outcome[Outcome.NOT_SELECTED])
    # Winners as issue 5 needs them: some with photos, some without, one anonymous.
    assert {d.nomination.consent.name_display for d in winners} == {NameDisplay.FULL,
                                                                    NameDisplay.ANONYMOUS}
    with_photos = [d for d in winners if d.nomination.photo and
                   d.nomination.consent.publish_photo]
    assert 0 < len(with_photos) < len(winners)
    anonymous = next(d for d in winners if d.nomination.consent.name_display
                     is NameDisplay.ANONYMOUS)
    assert anonymous.nomination.nominee_name.split()[0] not in anonymous.citation
    for decision in with_photos:
        assert (Path(current_app.config["UPLOAD_DIR"]) / decision.nomination.photo.display_name
                ).is_file()
    # And among everyone published: each way of showing a name, a photo and area refused,
    # a story not to be told.
    public = [d.nomination for d in decisions if d.outcome.is_public]
    assert {n.consent.name_display for n in public} == set(NameDisplay)
    assert any(n.photo and not n.consent.publish_photo for n in public)
    assert any(not n.consent.publish_area for n in public)
    assert any(not n.consent.publish_story for n in public)
    # Every member reviewed every nomination; decisions were made by the chair.
    assert db.session.scalar(select(func.count(Review.id)).where(
        Review.member_id.in_([m.id for m in panel.members]),
        Review.submitted_at.is_not(None))) == 9 * 3
    assert {d.decided_by_id for d in decisions} == {
        user_by_email("chair@riverside.example").id}
    # On the public pages: the five public outcomes, each only as the nominee allowed.
    listed = db.session.scalars(select(PublicAward)).all()
    assert {row.nomination_id for row in listed} == {n.id for n in public}
    assert sum(row.is_anonymous for row in listed) == 1
    assert any(row.photo_id for row in listed) and any(not row.photo_id for row in listed)


def test_demo_load_command_prints_the_chair_login(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])

    assert result.exit_code == 0, result.output
    assert "chair@riverside.example" in result.output
    assert "demo-chair-pass" in result.output
    assert all(cycle_by_slug(slug) is not None for slug in ALL_CYCLES)


def test_demo_load_command_prints_the_two_factor_admin_who_signs_in_with_a_code(app):
    result = app.test_cli_runner().invoke(args=["demo", "load"])

    assert result.exit_code == 0, result.output
    assert ("  Admin (2FA)   secure.admin@riverside.example demo-secure-pass\n"
            f"    then a code from an authenticator app with the secret {TWO_FACTOR_SECRET}\n"
            in result.output)
    secure = user_by_email("secure.admin@riverside.example")
    assert secure.is_admin and secure.has_two_factor
    assert secure.two_factor.secret == TWO_FACTOR_SECRET
    # The first admin still signs in with the password alone (development's setting).
    first = app.test_client()
    response = first.post("/account/sign-in", data={"email": "admin@riverside.example",
                                                    "password": "demo-admin-pass"})
    assert response.headers["Location"] == "/"
    assert first.get("/admin/users").status_code == 200
    # The second: the password, then a code from the printed secret.
    second = app.test_client()
    response = second.post("/account/sign-in", data={"email": "secure.admin@riverside.example",
                                                     "password": "demo-secure-pass"})
    assert response.headers["Location"] == "/account/two-factor/code"
    secure.two_factor.last_counter = None  # the code the demo used at set-up may be this one
    db.session.commit()
    response = second.post("/account/two-factor/code",
                           data={"code": pyotp.TOTP(TWO_FACTOR_SECRET).now()})
    assert response.headers["Location"] == "/"
    assert second.get("/admin/users").status_code == 200
