"""Writing an issue, sending it now or at a time, a test copy to the admin, and the
scheduled issues whose time has come.

An issue is rendered once, when its send starts (its html_body and text_body are stored on
it); the delivery workers fill in each recipient's links. Featured stories are chosen from
the public listing, and only from winners whose consent covers the newsletter.
"""
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from awards.core.audit import record
from awards.core.db import utcnow
from awards.core.mail.compose import queue_message
from awards.core.references import REFERENCE_ALPHABET
from awards.extensions import db
from awards.newsletter import rendering
from awards.newsletter.enums import DeliveryStatus, IssueStatus
from awards.newsletter.models import Delivery, IssueStory, NewsletterIssue
from awards.newsletter.services import NewsletterError, sending
from awards.nominations.models import Area

MAX_STORIES = 10  # keeps the message well under MAX_HTML_BYTES
# The order issues are listed in, and each group's heading.
GROUPS = (IssueStatus.DRAFT, IssueStatus.SCHEDULED, IssueStatus.SENDING, IssueStatus.PAUSED,
          IssueStatus.SENT, IssueStatus.CANCELLED)
TEST_KIND = "newsletter/issue_test"


def list_issues():
    """Every issue by status (drafts, scheduled, sending, paused, sent, cancelled), newest
    first in each: {status: [issue, ...]} with an entry for every status."""
    issues = db.session.scalars(
        select(NewsletterIssue).order_by(NewsletterIssue.created_at.desc(),
                                         NewsletterIssue.id.desc()))
    grouped = {status: [] for status in GROUPS}
    for issue in issues:
        grouped[issue.status].append(issue)
    return grouped


def story_choices():
    """The public awards an issue may feature: on the public listing, and the nominee agreed
    to be in the newsletter. Newest cycle first, winners before highly commended."""
    consented = db.session.scalars(rendering.consented_nomination_ids()).all()
    awards = rendering.public_awards_of(consented).values()
    return sorted(awards, key=lambda a: (-a.cycle_id, not a.is_winner, a.display_name, a.id))


def all_areas():
    """Areas an issue can be aimed at (archived ones too: subscribers may have chosen them)."""
    return list(db.session.scalars(select(Area).order_by(Area.name)))


def new_reference():
    """A short unused reference such as N-4F7KQ2 (the archive page's address)."""
    while True:
        reference = "N-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
        if db.session.scalar(select(NewsletterIssue.id).where(
                NewsletterIssue.reference == reference)) is None:
            return reference


def create_issue(*, subject, introduction, award_ids=(), area_ids=(), actor=None):
    """A new draft issue."""
    issue = NewsletterIssue(reference=new_reference(), subject=subject, introduction="",
                            created_by_id=getattr(actor, "id", None))
    db.session.add(issue)
    _fill(issue, subject, introduction, award_ids, area_ids)
    db.session.flush()
    record("newsletter.issue_created", issue, actor=actor, reference=issue.reference)
    return issue


def update_issue(issue, *, subject, introduction, award_ids=(), area_ids=(), actor=None):
    """Change a draft: its subject, introduction, stories and audience."""
    _require_draft(issue)
    _fill(issue, subject, introduction, award_ids, area_ids)
    db.session.flush()
    record("newsletter.issue_updated", issue, actor=actor, reference=issue.reference)
    return issue


def _require_draft(issue):
    if not issue.is_draft:
        raise NewsletterError(_("Only a draft can be changed."))


def _fill(issue, subject, introduction, award_ids, area_ids):
    chosen = list(dict.fromkeys(award_ids))
    if len(chosen) > MAX_STORIES:
        raise NewsletterError(_("Choose at most %(number)d stories.", number=MAX_STORIES))
    allowed = {award.id: award for award in story_choices()}
    if any(award_id not in allowed for award_id in chosen):
        raise NewsletterError(_("One of the chosen stories can no longer be featured. "
                                "Choose again."))
    areas = [db.session.get(Area, area_id) for area_id in dict.fromkeys(area_ids)]
    if any(area is None for area in areas):
        raise NewsletterError(_("One of the chosen areas no longer exists."))
    issue.subject, issue.introduction, issue.areas = subject, introduction, areas
    if issue.stories:  # the old rows go first: (issue, nomination) is unique
        issue.stories = []
        db.session.flush()
    issue.stories = [IssueStory(nomination_id=allowed[award_id].nomination_id, position=n)
                     for n, award_id in enumerate(chosen)]


def chosen_award_ids(issue):
    """The ids of the public awards an issue features now (for the edit form)."""
    return [award.id for award in rendering.sendable_stories(issue)]


def prepare_issue(issue):
    """Render the issue and store its body on it, once, just before the send starts."""
    _subject, html, text = rendering.render_issue(issue)
    if len(html.encode()) > rendering.MAX_HTML_BYTES:
        raise NewsletterError(_("This issue is too long to send: shorten the introduction or "
                                "feature fewer stories."))
    issue.html_body, issue.text_body = html, text


def send_issue_now(issue, actor=None):
    """Render the issue and hand its audience to the workers; return how many people."""
    # Lock the row and read its state afresh (PostgreSQL): a second click, or the scheduler
    # at the same moment, waits here and then finds the send already started.
    db.session.flush()  # refresh() would drop the caller's unsaved changes
    if issue.id is not None:
        db.session.refresh(issue, with_for_update=True)
    if issue.status not in (IssueStatus.DRAFT, IssueStatus.SCHEDULED):
        raise NewsletterError(_("This issue has already been sent."))
    prepare_issue(issue)
    return sending.start_sending(issue, actor)


def schedule_issue(issue, when, actor=None):
    """Send the draft at `when` (an aware datetime, in the future)."""
    _require_draft(issue)
    if when <= utcnow() + timedelta(minutes=1):
        raise NewsletterError(_("Choose a time in the future."))
    issue.status, issue.scheduled_for = IssueStatus.SCHEDULED, when
    record("newsletter.send_scheduled", issue, actor=actor, from_state=IssueStatus.DRAFT.value,
           to_state=IssueStatus.SCHEDULED.value, scheduled_for=when.isoformat())
    db.session.flush()


def unschedule_issue(issue, actor=None):
    """Take a scheduled issue back to a draft (nothing has been sent)."""
    if not issue.is_scheduled:
        raise NewsletterError(_("This issue is not scheduled."))
    issue.status, issue.scheduled_for = IssueStatus.DRAFT, None
    record("newsletter.send_unscheduled", issue, actor=actor,
           from_state=IssueStatus.SCHEDULED.value, to_state=IssueStatus.DRAFT.value)
    db.session.flush()


def start_due_issues():
    """Periodic job: start every scheduled issue whose time has come, each in its own
    commit (one that fails to start is left scheduled and logged); return how many."""
    due = db.session.scalars(select(NewsletterIssue.id).where(
        NewsletterIssue.status == IssueStatus.SCHEDULED,
        NewsletterIssue.scheduled_for <= utcnow()).order_by(NewsletterIssue.scheduled_for)).all()
    started = 0
    for issue_id in due:
        # Another worker starting the same issue holds its row: leave it to that one.
        issue = db.session.scalar(select(NewsletterIssue).where(
            NewsletterIssue.id == issue_id, NewsletterIssue.status == IssueStatus.SCHEDULED)
            .with_for_update(skip_locked=True))
        if issue is None:
            continue
        try:
            send_issue_now(issue)
        except NewsletterError:
            db.session.rollback()
            continue
        db.session.commit()
        started += 1
    return started


def send_test(issue, recipient, actor=None):
    """Queue one copy of the issue, as it would be sent now, to `recipient` (the admin),
    with the personal links pointing at the public archive instead."""
    subject, html, text = rendering.render_issue(issue)
    message = queue_message(
        TEST_KIND, recipient,
        subject=_("[Test] %(subject)s", subject=subject),
        text_body=rendering.fill_example_links(text, issue),
        html_body=rendering.fill_example_links(html, issue))
    record("newsletter.test_sent", issue, actor=actor, recipient=recipient)
    db.session.flush()
    return message


# --- The progress page's figures (counts of delivery rows) -----------------------------------

RATE_WINDOW = timedelta(minutes=5)


def send_rate(issue, window=RATE_WINDOW):
    """Copies sent per minute over the last `window`, from the delivery rows' sent_at."""
    since = utcnow() - window
    sent = db.session.scalar(
        select(func.count()).where(Delivery.issue_id == issue.id,
                                   Delivery.status == DeliveryStatus.SENT,
                                   Delivery.sent_at >= since))
    return sent / (window.total_seconds() / 60)


def minutes_left(progress, rate):
    """About how many minutes the rest will take at `rate` (None if nothing is moving)."""
    if not progress.pending:
        return 0
    if rate <= 0:
        return None
    return max(1, round(progress.pending / rate))


def failed_deliveries(issue, limit=200):
    """The addresses that failed, and why (the first `limit`)."""
    return db.session.execute(
        select(Delivery.address, Delivery.last_error, Delivery.attempts)
        .where(Delivery.issue_id == issue.id, Delivery.status == DeliveryStatus.FAILED)
        .order_by(Delivery.address).limit(limit)).all()
