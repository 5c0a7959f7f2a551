"""Demo newsletter for `make run`: subscribers in every state, one issue sent (in the
archive, and in the development mailbox) and one draft ready to send."""
from sqlalchemy import select

from awards import factories
from awards.accounts.queries import user_by_email
from awards.extensions import db
from awards.newsletter.enums import SubscriberStatus
from awards.newsletter.models import NewsletterIssue
from awards.newsletter.services import issues
from awards.nominations import queries as nomination_queries

S = SubscriberStatus
# (address, status, areas chosen: none means every area)
SUBSCRIBERS = [
    ("grace.hopper@riverside.example", S.ACTIVE, []),
    ("kofi.mensah@riverside.example", S.ACTIVE, ["Old Town"]),
    ("lena.novak@riverside.example", S.ACTIVE, ["Castle Hill", "Millbrook Village"]),
    ("owen.price@riverside.example", S.PAUSED, []),
    ("priya.shah@riverside.example", S.PENDING, []),
    ("tom.baker@riverside.example", S.UNSUBSCRIBED, ["Riverside Ward"]),
    ("bounced.address@riverside.example", S.SUPPRESSED, []),
]
SENT = dict(
    subject="Meet this year's Big Citizens",
    introduction=("Hello, neighbours!\n\nThe panel has chosen this year's **Big Citizens**. "
                  "Here are some of the people who give their time to help others, in their "
                  "own words and their nominators'.\n\nThank you to everyone who nominated."))
DRAFT = dict(
    subject="Nominations are open again",
    introduction=("Do you know someone who makes a difference where you live? "
                  "Nominations for the new awards are **open now**: it takes ten minutes, "
                  "and you can save your answers and come back.\n\nBelow: two stories from "
                  "last year to inspire you."))


def load_newsletter_demo(admin_email):
    """Subscribers, one sent issue and one draft, unless the demo has issues already;
    return whether anything was created."""
    if db.session.scalar(select(NewsletterIssue.id).limit(1)) is not None:
        return False
    admin = user_by_email(admin_email)
    areas = {area.name: area for area in nomination_queries.all_areas()}
    for email, status, chosen in SUBSCRIBERS:
        factories.subscriber(email, status, areas=[areas[name] for name in chosen],
                             source="/")
    stories = [award.id for award in issues.story_choices()]
    sent = issues.create_issue(**SENT, award_ids=stories[:3], actor=admin)
    issues.send_issue_now(sent, admin)
    issues.create_issue(**DRAFT, award_ids=stories[:2], actor=admin)
    return True
